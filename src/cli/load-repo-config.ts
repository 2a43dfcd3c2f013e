import { parseChecklist } from "../core/checklist.js";
import { DEFAULT_CONFIG, mergeConfig, parseConfig } from "../core/config.js";
import type { Checklist, Problem, RepoConfig } from "../types.js";

/** Reads a repository-relative path from wherever the config lives; undefined when it's missing. */
export type RepoReader = (path: string) => Promise<string | undefined>;

export type LoadedConfig = {
  config: RepoConfig;
  /** Checklists from the files the config names under `checklists.files`. */
  repoChecklists: Checklist[];
  problems: Problem[];
};

/**
 * Parses a repository config (`text` of the file shown as `file`; undefined means "no config",
 * i.e. the defaults), reads the checklist files it names through `read` (so they come from the
 * same place as the config: a git ref, or the disk) and merges it over the defaults. `knownIds`
 * are the built-in ids. Never throws on bad content: everything lands in `problems`, located.
 * `_extends` is reported as a warning: the CLI has no access to the organisation's repository.
 */
export async function loadRepoConfig(
  text: string | undefined,
  file: string,
  read: RepoReader,
  knownIds: readonly string[],
  /** How to show a checklist file's repository path in problems (default: as is). */
  display: (path: string) => string = (path) => path,
): Promise<LoadedConfig> {
  if (text === undefined) return { config: structuredClone(DEFAULT_CONFIG), repoChecklists: [], problems: [] };
  const parsed = parseConfig(text, file);
  const problems = [...parsed.problems];
  const layer = parsed.layer;
  if (!layer) return { config: structuredClone(DEFAULT_CONFIG), repoChecklists: [], problems };
  if (layer.raw._extends !== undefined) {
    problems.push({
      file,
      ...layer.locate(["_extends"]),
      path: "_extends",
      severity: "warning",
      message: `the CLI cannot read "${layer.raw._extends}" (no GitHub access); only this file's settings apply`,
    });
  }
  const repoChecklists: Checklist[] = [];
  const files = layer.raw.checklists?.files ?? [];
  for (const [i, path] of files.entries()) {
    const content = await read(path);
    if (content === undefined) {
      problems.push({ file, ...layer.locate(["checklists", "files", i]), path: `checklists.files[${i}]`, message: `checklist file "${path}" not found` });
      continue;
    }
    const result = parseChecklist(content, display(path));
    problems.push(...result.problems);
    if (result.checklist) repoChecklists.push(result.checklist);
  }
  const merged = mergeConfig([layer], [...knownIds, ...repoChecklists.map((c) => c.id)]);
  return { config: merged.config, repoChecklists, problems: [...problems, ...merged.problems] };
}
