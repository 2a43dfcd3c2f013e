import { createHash } from "node:crypto";
import { CONFIG_PATH, mergeConfig, parseConfig, resolveChecklists, type ConfigLayer } from "../core/config.js";
import { parseChecklist } from "../core/checklist.js";
import { hasErrors } from "../core/format.js";
import type { Checklist, Problem, RepoConfig } from "../types.js";
import { TtlCache } from "../runtime/ttl-cache.js";
import { asText, readFile } from "./read-file.js";
import { errorMessage, type RepoClient } from "./repo-client.js";

export type LoadedConfig =
  | { ok: true; config: RepoConfig; checklists: Checklist[]; sources: string[]; warnings: Problem[] }
  | { ok: false; problems: Problem[]; sources: string[]; repoFiles: string[] };

/** One file of the `_extends` chain as `octokit.config.get` found it, with its raw text. */
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

/**
 * Reads a config file and its `_extends` chain with `octokit.config.get`. The plugin parses YAML
 * itself and loses positions, so the raw text of each file is captured from its response to
 * locate problems. The plugin ignores a missing `_extends` target: that is reported here.
 */
async function readChain(gh: RepoClient, repo: string, branch: string | undefined, problems: Problem[]): Promise<ChainFile[]> {
  const texts = new Map<string, string>();
  const record = (response: { data: unknown }, options: Record<string, unknown>) => {
    if (options.url === "/repos/{owner}/{repo}/contents/{path}") texts.set(`${String(options.owner)}/${String(options.repo)}/${String(options.path)}`, asText(response.data));
  };
  gh.octokit.hook.after("request", record);
  try {
    const { files } = await gh.octokit.config.get({ owner: gh.owner, repo, path: CONFIG_PATH, ...(branch ? { branch } : {}) });
    const chain = files.map((f) => ({ owner: f.owner, repo: f.repo, path: f.path, label: label(gh, f), text: texts.get(`${f.owner}/${f.repo}/${f.path}`) }));
    // files = [requested, (org fallback when the requested file is missing), ..._extends targets]
    const firstExtends = chain[0]?.text === undefined && repo !== ORG_REPO ? 2 : 1;
    chain.forEach((file, i) => {
      if (i >= firstExtends && file.text === undefined)
        problems.push({ file: chain[i - 1]!.label, message: `_extends points to ${file.label}, which does not exist or which the App cannot read; fix _extends or install the App on ${file.owner}/${file.repo}` });
    });
    return chain;
  } catch (error) {
    // Invalid YAML, a directory, 403, recursion: report located problems where the text is known.
    const located = [...texts].flatMap(([key, text]) => parseConfig(text, labelOfKey(gh, key)).problems);
    problems.push(...(hasErrors(located) ? located : [{ file: repo === gh.repo ? CONFIG_PATH : `${gh.owner}/${repo}:${CONFIG_PATH}`, message: `could not read the configuration: ${errorMessage(error)}` }]));
    return [];
  } finally {
    gh.octokit.hook.remove("request", record);
  }
}

function isOrgFile(gh: RepoClient, f: ChainFile): boolean {
  return f.owner === gh.owner && f.repo === ORG_REPO && f.path === CONFIG_PATH;
}

function label(gh: RepoClient, f: { owner: string; repo: string; path: string }): string {
  return f.owner === gh.owner && f.repo === gh.repo ? f.path : `${f.owner}/${f.repo}:${f.path}`;
}

function labelOfKey(gh: RepoClient, key: string): string {
  const [owner = "", repo = "", ...path] = key.split("/");
  return label(gh, { owner, repo, path: path.join("/") });
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
