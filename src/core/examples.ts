import type { ChangedFile, Checklist, ChecklistExample, ExampleFile, Problem } from "../types.js";
import { DEFAULT_CONFIG } from "./config.js";
import { evaluate } from "./evaluate.js";

/**
 * Runs a checklist's own examples: each `fire` example must make it fire (at exactly `risk` when
 * given), each `quiet` example must not. Returns one problem per failing example; [] when all pass.
 */
export function runExamples(checklist: Checklist): Problem[] {
  const problems: Problem[] = [];
  const run = (example: ChecklistExample) =>
    evaluate(example.files.map(exampleToFile), DEFAULT_CONFIG, [checklist], example.title ? { titles: [example.title] } : {}).checklists[0];
  checklist.examples.fire.forEach((example, i) => {
    const found = run(example);
    if (!found) problems.push({ file: checklist.source, path: `examples.fire[${i}]`, message: `example "${example.name}" should fire but nothing matched` });
    else if (example.risk && found.risk !== example.risk)
      problems.push({ file: checklist.source, path: `examples.fire[${i}]`, message: `example "${example.name}" fires at ${found.risk}, expected ${example.risk}` });
  });
  checklist.examples.quiet.forEach((example, i) => {
    const found = run(example);
    if (found) {
      const why = found.hits[0]!;
      const detail =
        why.kind === "title" ? `the title matched /${why.pattern}/` : why.pattern ? `${why.file}:${why.line} matched /${why.pattern}/` : `${why.file} matched ${why.glob}`;
      problems.push({ file: checklist.source, path: `examples.quiet[${i}]`, message: `example "${example.name}" should stay quiet but fired (${detail})` });
    }
  });
  return problems;
}

/** Turns an example file into the ChangedFile GitHub would send, with a well-formed patch. */
export function exampleToFile(example: ExampleFile): ChangedFile {
  const added = toLines(example.added);
  const removed = toLines(example.removed);
  const status = example.status ?? (example.previous_path ? "renamed" : "modified");
  const file: ChangedFile = { filename: example.path, status, additions: added.length, deletions: removed.length };
  if (example.previous_path) file.previous_filename = example.previous_path;
  if (!example.no_patch && (added.length > 0 || removed.length > 0)) {
    const header = `@@ -${removed.length ? 1 : 0},${removed.length} +${added.length ? 1 : 0},${added.length} @@`;
    file.patch = [header, ...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)].join("\n");
  } else if (!example.no_patch) file.patch = "";
  return file;
}

function toLines(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  return value.replace(/\n$/, "").split("\n");
}
