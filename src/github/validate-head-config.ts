import { CONFIG_PATH, mergeConfig, parseConfig } from "../core/config.js";
import { parseChecklist } from "../core/checklist.js";
import type { ChangedFile, Checklist, Problem, RepoConfig } from "../types.js";
import { readFile } from "./read-file.js";
import type { RepoClient } from "./repo-client.js";

/**
 * Validates Lockstep's configuration as the PR changes it: `.github/compliance.yml` and the
 * checklist files listed by the base or the new config, read at the head sha. Returns their
 * problems (to annotate those files); the PR is still judged by the base configuration.
 * Makes no request when the PR touches none of these files.
 */
export async function validateHeadConfig(
  gh: RepoClient,
  files: ChangedFile[],
  headSha: string,
  base: { config: RepoConfig; knownChecklists: Checklist[] },
): Promise<Problem[]> {
  const changed = new Set(files.filter((f) => f.status !== "removed").map((f) => f.filename));
  const problems: Problem[] = [];
  const knownIds = new Set(base.knownChecklists.map((c) => c.id));
  let listed = base.config.checklists.files;
  let layer;

  if (changed.has(CONFIG_PATH)) {
    const text = await readFile(gh, CONFIG_PATH, headSha);
    const parsed = parseConfig(text ?? "", CONFIG_PATH);
    problems.push(...parsed.problems);
    layer = parsed.layer;
    if (layer) listed = [...new Set([...listed, ...(layer.raw.checklists?.files ?? [])])];
  }
  for (const path of listed) {
    if (!changed.has(path)) continue;
    const text = await readFile(gh, path, headSha);
    const parsed = parseChecklist(text ?? "", path);
    problems.push(...parsed.problems);
    if (parsed.checklist) knownIds.add(parsed.checklist.id);
  }
  if (layer) problems.push(...mergeConfig([layer], knownIds).problems);
  return problems;
}
