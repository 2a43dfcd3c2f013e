import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Checklist, Problem } from "../types.js";
import { parseChecklist } from "./checklist.js";

/** The package's own `checklists/` directory (next to `src/` and `lib/`). */
export const BUILTIN_DIR = fileURLToPath(new URL("../../checklists/", import.meta.url));

let cached: { checklists: Checklist[]; problems: Problem[] } | undefined;

/**
 * Loads every `*.yml` checklist in `dir` (default: the built-in library), sorted by id.
 * The built-in library is read once per process. Each checklist's id must equal its file name.
 */
export function loadBuiltinChecklists(dir: string = BUILTIN_DIR): { checklists: Checklist[]; problems: Problem[] } {
  if (dir === BUILTIN_DIR && cached) return cached;
  const checklists: Checklist[] = [];
  const problems: Problem[] = [];
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  for (const name of files) {
    const file = dir === BUILTIN_DIR ? `checklists/${name}` : `${dir.replace(/\/$/, "")}/${name}`;
    const result = parseChecklist(readFileSync(`${dir.replace(/\/$/, "")}/${name}`, "utf8"), file);
    problems.push(...result.problems);
    if (!result.checklist) continue;
    const expected = name.replace(/\.ya?ml$/, "");
    if (result.checklist.id !== expected) {
      problems.push({ file, line: 1, column: 1, message: `checklist id "${result.checklist.id}" must match its file name "${expected}"` });
      continue;
    }
    checklists.push(result.checklist);
  }
  const result = { checklists, problems };
  if (dir === BUILTIN_DIR) cached = result;
  return result;
}
