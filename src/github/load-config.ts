import { createHash } from "node:crypto";
import { CONFIG_PATH, mergeConfig, parseConfig, resolveChecklists, type ConfigLayer } from "../core/config.js";
import { parseChecklist } from "../core/checklist.js";
import { parseYaml } from "../core/yaml.js";
import { hasErrors } from "../core/format.js";
import type { Checklist, Problem, RepoConfig } from "../types.js";
import { TtlCache } from "../runtime/ttl-cache.js";
import { readFile } from "./read-file.js";
import { errorMessage, type RepoClient } from "./repo-client.js";

export type LoadedConfig =
  | { ok: true; config: RepoConfig; checklists: Checklist[]; sources: string[]; warnings: Problem[] }
  | { ok: false; problems: Problem[]; sources: string[]; repoFiles: string[] };

/** One file of the `_extends` chain, with its raw text (none when it does not exist). */
type ChainFile = { owner: string; repo: string; path: string; label: string; text?: string };

/** The config layers parsed from a chain of files, and the checklist files they list. */
type Layers = { layers: ConfigLayer[]; problems: Problem[]; listed: string[] };

/**
 * What a process keeps between events (held in `Deps`, so each App instance has its own):
 * - `org`: the organisation's `.github` file per owner, for 5 minutes. It is read on every event
 *   otherwise, and changes rarely; a change to it applies within 5 minutes.
 * - `layers` and `loaded`: parsed, validated and compiled configurations keyed by the digest of
 *   the text of every file they came from (and the repository and ref they describe), so an
 *   unchanged configuration is not parsed again. Content-keyed entries are never stale; the
 *   lifetime only bounds memory.
 */
export type ConfigCaches = { org: TtlCache<ChainFile[]>; layers: TtlCache<Layers>; loaded: TtlCache<LoadedConfig> };

export function configCaches(): ConfigCaches {
  return { org: new TtlCache(5 * 60_000, 1_000), layers: new TtlCache(30 * 60_000, 500), loaded: new TtlCache(30 * 60_000, 500) };
}

const ORG_REPO = ".github";

/**
 * Loads the configuration that judges a PR: `.github/compliance.yml` at the PR's **base** ref
 * (never the head: a PR cannot weaken its own check), following `_extends`, layered over the
 * organisation's `.github` repository file (whose `enforce` the repo cannot undo), plus the
 * repo checklist files it lists, read at the same ref. Fails closed: a missing `_extends`
 * target, unreadable file or invalid content gives `ok: false` with located problems.
 * Unchanged files are not parsed again (`caches`); a read that failed is never cached.
 */
export async function loadConfig(gh: RepoClient, baseRef: string, builtins: Checklist[], caches: ConfigCaches = configCaches()): Promise<LoadedConfig> {
  const problems: Problem[] = [];
  const repoChain = await readChain(gh, gh.repo, baseRef, problems);
  const orgIndex = repoChain.findIndex((f) => isOrgFile(gh, f));
  const orgChain = orgIndex >= 0 || gh.repo === ORG_REPO ? repoChain.slice(Math.max(orgIndex, 0)) : await readOrgChain(gh, problems, caches.org);
  const ownChain = orgIndex >= 0 || gh.repo === ORG_REPO ? repoChain.slice(0, Math.max(orgIndex, 0)) : repoChain;
  const sources = describeSources(gh, baseRef, ownChain, orgChain);
  // Files of this repository can carry annotations; those of other repositories cannot.
  const repoFiles = [CONFIG_PATH];
  // A chain that could not be read leaves problems that its (missing) texts do not explain: no caching.
  const cacheable = problems.length === 0;

  const chainKey = digest([gh.owner, gh.repo, baseRef, ...[...orgChain, ...ownChain].map((f) => [f.label, f.text ?? null])]);
  const parsed = (cacheable && caches.layers.get(chainKey)) || parseLayers(ownChain, orgChain, builtins);
  if (cacheable) caches.layers.set(chainKey, parsed);
  problems.push(...parsed.problems);
  if (hasErrors(problems)) return { ok: false, problems, sources, repoFiles };

  // Per listed file: its text, null when it does not exist, undefined when it could not be read (reported here).
  const texts: (string | null | undefined)[] = [];
  let readFailed = false;
  for (const path of parsed.listed) {
    try {
      texts.push((await readFile(gh, path, baseRef)) ?? null);
    } catch (error) {
      readFailed = true;
      texts.push(undefined);
      problems.push({ file: path, message: `could not read the checklist: ${errorMessage(error)}` });
    }
  }
  const key = digest([chainKey, ...texts]);
  const hit = cacheable && !readFailed ? caches.loaded.get(key) : undefined;
  if (hit) return hit;
  const loaded = resolve(parsed, texts, problems, { baseRef, builtins, sources, repoFiles });
  if (cacheable && !readFailed) caches.loaded.set(key, loaded);
  return loaded;
}

/** Parses the chain's files into layers (org first), and merges them once to learn the listed checklist files. */
function parseLayers(ownChain: ChainFile[], orgChain: ChainFile[], builtins: Checklist[]): Layers {
  const layers: ConfigLayer[] = [];
  const problems: Problem[] = [];
  for (const [chain, org] of [[orgChain, true], [ownChain, false]] as const)
    for (const file of [...chain].reverse()) {
      if (file.text === undefined) continue;
      const parsed = parseConfig(file.text, file.label, { org });
      problems.push(...parsed.problems);
      if (parsed.layer) layers.push(parsed.layer);
    }
  const listed = hasErrors(problems) ? [] : mergeConfig(layers, builtins.map((c) => c.id)).config.checklists.files;
  return { layers, problems, listed };
}

/** Parses the listed checklist files and merges everything, now knowing every checklist id. */
function resolve(
  { layers, listed }: Layers,
  texts: (string | null | undefined)[],
  problems: Problem[],
  { baseRef, builtins, sources, repoFiles }: { baseRef: string; builtins: Checklist[]; sources: string[]; repoFiles: string[] },
): LoadedConfig {
  const repoChecklists: Checklist[] = [];
  listed.forEach((path, i) => {
    repoFiles.push(path);
    const text = texts[i];
    if (text === null) problems.push({ file: CONFIG_PATH, message: `checklists.files lists "${path}", which does not exist on ${baseRef}` });
    if (typeof text !== "string") return;
    const parsed = parseChecklist(text, path);
    problems.push(...parsed.problems);
    if (parsed.checklist) repoChecklists.push(parsed.checklist);
  });
  const merged = mergeConfig(layers, [...builtins, ...repoChecklists].map((c) => c.id));
  const resolved = resolveChecklists(merged.config, builtins, repoChecklists);
  problems.push(...merged.problems, ...resolved.problems);
  if (hasErrors(problems)) return { ok: false, problems, sources, repoFiles };
  return { ok: true, config: merged.config, checklists: resolved.checklists, sources, warnings: problems };
}

/** The organisation's file and its `_extends` chain, from the cache when read recently without problems. */
async function readOrgChain(gh: RepoClient, problems: Problem[], cache: TtlCache<ChainFile[]>): Promise<ChainFile[]> {
  const cached = cache.get(gh.owner);
  if (cached) return cached;
  const found: Problem[] = [];
  const chain = await readChain(gh, ORG_REPO, undefined, found);
  if (found.length === 0) cache.set(gh.owner, chain);
  problems.push(...found);
  return chain;
}

function digest(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64");
}

/** `_extends` values as Probot's config plugin reads them: `repo`, `owner/repo`, optionally `:path.yml`. */
const EXTENDS = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

/**
 * Reads a config file and its `_extends` chain with the semantics of Probot's config plugin
 * (`octokit.config.get`): the file in `repo` at `branch`, or when it is missing the owner's
 * `.github` file; then each `_extends` target in turn. Unlike the plugin it keeps each file's raw
 * text (to locate problems) and parses YAML only where an `_extends` must be followed: the
 * plugin parsed every file once more on every event. A missing `_extends` target is reported
 * (the plugin ignores it), and so is a loop. Problems in the files themselves are left to
 * `parseConfig`, which locates them.
 */
async function readChain(gh: RepoClient, repo: string, branch: string | undefined, problems: Problem[]): Promise<ChainFile[]> {
  const chain: ChainFile[] = [];
  const read = async (at: { owner: string; repo: string; path: string }, ref?: string): Promise<ChainFile> => {
    const file = { ...at, label: label(gh, at) };
    const text = await readFile({ ...gh, owner: at.owner, repo: at.repo }, at.path, ref);
    return text === undefined ? file : { ...file, text };
  };
  try {
    chain.push(await read({ owner: gh.owner, repo, path: CONFIG_PATH }, branch));
    if (chain[0]!.text === undefined) {
      if (repo === ORG_REPO) return chain;
      chain.push(await read({ owner: gh.owner, repo: ORG_REPO, path: CONFIG_PATH }));
    }
    for (let file = chain.at(-1)!; file.text !== undefined; ) {
      const target = extendsTarget(gh, file, problems);
      if (!target) break;
      if (chain.some((f) => f.owner === target.owner && f.repo === target.repo && f.path === target.path)) {
        problems.push({ file: file.label, message: `_extends: ${label(gh, target)} is already part of this configuration (a loop)` });
        break;
      }
      const next = await read(target);
      chain.push(next);
      if (next.text === undefined)
        problems.push({ file: file.label, message: `_extends points to ${next.label}, which does not exist or which the App cannot read; fix _extends or install the App on ${next.owner}/${next.repo}` });
      file = next;
    }
    return chain;
  } catch (error) {
    // A 403, a 5xx, a directory where the file should be: nothing to locate.
    const failed = chain.length === 0 ? (repo === gh.repo ? CONFIG_PATH : `${gh.owner}/${repo}:${CONFIG_PATH}`) : chain.at(-1)!.label;
    problems.push({ file: failed, message: `could not read the configuration: ${errorMessage(error)}` });
    return [];
  }
}

/** Where a file's `_extends` points, if anywhere. A value that is not a valid target is a located problem. */
function extendsTarget(gh: RepoClient, file: ChainFile, problems: Problem[]): { owner: string; repo: string; path: string } | undefined {
  // Most files have no `_extends`: they are parsed once, by parseConfig, and only when they changed.
  if (!file.text?.includes("_extends")) return undefined;
  const parsed = parseYaml(file.text, file.label);
  const value: unknown = typeof parsed.value === "object" && parsed.value !== null ? (parsed.value as Record<string, unknown>)._extends : undefined;
  if (value === undefined) return undefined;
  const match = typeof value === "string" ? EXTENDS.exec(value) : null;
  if (!match) {
    problems.push({ file: file.label, ...parsed.locate(["_extends"], "value"), path: "_extends", message: `_extends must name a repository: "repo", "owner/repo" or "owner/repo:path/file.yml", not ${JSON.stringify(value)}` });
    return undefined;
  }
  return { owner: match[1] || gh.owner, repo: match[2]!, path: match[3] || CONFIG_PATH };
}

function isOrgFile(gh: RepoClient, f: ChainFile): boolean {
  return f.owner === gh.owner && f.repo === ORG_REPO && f.path === CONFIG_PATH;
}

function label(gh: RepoClient, f: { owner: string; repo: string; path: string }): string {
  return f.owner === gh.owner && f.repo === gh.repo ? f.path : `${f.owner}/${f.repo}:${f.path}`;
}

function describeSources(gh: RepoClient, baseRef: string, own: ChainFile[], org: ChainFile[]): string[] {
  const found = (chain: ChainFile[]) => chain.filter((f) => f.text !== undefined).map((f) => `\`${f.label}\``);
  const sources: string[] = [];
  const mine = found(own);
  sources.push(mine.length ? `${mine.join(" extending ")} at \`${baseRef}\`` : `no \`${CONFIG_PATH}\` on \`${baseRef}\``);
  const theirs = found(org);
  sources.push(theirs.length ? `organisation defaults ${theirs.join(" extending ")}` : `no organisation defaults in \`${gh.owner}/${ORG_REPO}\``);
  sources.push("built-in defaults");
  return sources;
}
