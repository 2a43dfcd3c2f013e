import type { Checklist, ChecklistExample, ChecklistItem, Problem, Trigger } from "../types.js";
import { checkGlob } from "./glob.js";
import { compileLinePattern } from "./regex.js";
import { validateSchema, formatPath } from "./schema.js";
import { parseYaml, type Locate } from "./yaml.js";

type Path = readonly (string | number)[];

/**
 * Parses and validates one checklist file. Never throws: every problem is located
 * (file:line:column) and `checklist` is only set when there is no error.
 */
export function parseChecklist(text: string, file: string): { checklist?: Checklist; problems: Problem[] } {
  const parsed = parseYaml(text, file);
  if (parsed.value === undefined || parsed.value === null) return { problems: parsed.problems.length ? parsed.problems : [{ file, line: 1, column: 1, message: "the file is empty; a checklist needs id, title, summary, triggers and items" }] };
  const result = checkChecklist(parsed.value, file, parsed.locate, [], file);
  return { checklist: result.checklist, problems: [...parsed.problems, ...result.problems] };
}

/**
 * Validates a checklist value found at `prefix` in `file` (a checklist file, or a config's
 * `checklists.custom[i]`) and normalises it with its defaults.
 */
export function checkChecklist(
  value: unknown,
  file: string,
  locate: Locate,
  prefix: Path,
  source: string,
): { checklist?: Checklist; problems: Problem[] } {
  const problems = validateSchema("checklist", value, file, locate, prefix);
  if (problems.length > 0) return { problems };
  const raw = value as RawChecklist;
  const at = (path: Path, message: string, severity?: "warning"): Problem => ({
    file,
    ...locate([...prefix, ...path]),
    path: formatPath([...prefix, ...path]),
    message,
    ...(severity ? { severity } : {}),
  });

  const globs = (list: string[] | undefined, path: Path) =>
    (list ?? []).forEach((glob, i) => {
      const error = checkGlob(glob);
      if (error) problems.push(at([...path, i], error));
    });
  const patterns = (list: string[] | undefined, path: Path) =>
    (list ?? []).forEach((pattern, i) => {
      const re = compileLinePattern(pattern);
      if ("error" in re) problems.push(at([...path, i], re.error));
    });

  globs(raw.exclude, ["exclude"]);
  raw.triggers.forEach((t, i) => {
    globs(t.paths, ["triggers", i, "paths"]);
    globs(t.exclude, ["triggers", i, "exclude"]);
    patterns(t.added_lines, ["triggers", i, "added_lines"]);
    patterns(t.removed_lines, ["triggers", i, "removed_lines"]);
    patterns(t.titles, ["triggers", i, "titles"]);
    if (t.new_terms_only && !t.added_lines && !t.removed_lines)
      problems.push(at(["triggers", i, "new_terms_only"], "new_terms_only applies to line patterns: add added_lines or removed_lines, or remove it"));
  });

  const reviewers = raw.reviewers ?? "counsel";
  const items: ChecklistItem[] = raw.items.map((item) => ({ id: item.id, text: item.text, owner: item.owner ?? "author" }));
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined) problems.push(at(["items", i, "id"], `duplicate item id "${item.id}" (also items[${first}]); item ids must be unique within a checklist`));
    else seen.set(item.id, i);
  });
  if (!items.some((item) => item.owner === reviewers))
    problems.push(at(["items"], `no item is owned by "${reviewers}", the role that signs this checklist off; give at least one item "owner: ${reviewers}"`, "warning"));

  if (problems.some((p) => p.severity !== "warning")) return { problems };
  const checklist: Checklist = {
    id: raw.id,
    title: raw.title,
    summary: raw.summary,
    references: raw.references ?? [],
    reviewers,
    triggers: raw.triggers,
    exclude: raw.exclude ?? [],
    items,
    ...(raw.label ? { label: raw.label } : {}),
    examples: { fire: raw.examples?.fire ?? [], quiet: raw.examples?.quiet ?? [] },
    source,
  };
  return { checklist, problems };
}

type RawChecklist = {
  id: string;
  title: string;
  summary: string;
  references?: string[];
  reviewers?: string;
  label?: string;
  exclude?: string[];
  triggers: Trigger[];
  items: { id: string; text: string; owner?: string }[];
  examples?: { fire?: ChecklistExample[]; quiet?: ChecklistExample[] };
};
