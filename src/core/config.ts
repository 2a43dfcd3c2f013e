import type { Checklist, Problem, RepoConfig, ReviewerGroup, Risk, Threshold } from "../types.js";
import { checkChecklist } from "./checklist.js";
import { checkGlob } from "./glob.js";
import { formatPath, validateSchema } from "./schema.js";
import { parseYaml, type Locate } from "./yaml.js";

/** Where Lockstep reads its configuration in a repository (and in the org's `.github` repository). */
export const CONFIG_PATH = ".github/compliance.yml";

/** The built-in checklist that fires when a PR changes Lockstep's own configuration. */
export const CONFIG_CHECKLIST_ID = "compliance-config";

/** Defaults: comment from low, request counsel from medium, block from high. */
export const DEFAULT_CONFIG: RepoConfig = Object.freeze({
  roles: { counsel: { users: [], teams: [] } },
  comment_at: "low",
  request_review_at: "medium",
  block_at: "high",
  checklists: { enable: [], disable: [], enforce: [], risk: {}, files: [], custom: [] },
  exclude: [],
  labels: { enabled: true, prefix: "compliance: ", at: "medium" },
  drafts: "evaluate",
}) as RepoConfig;

/** A config file as written (validated), before merging with its layers. */
export type RawConfig = {
  _extends?: string;
  counsel?: Partial<ReviewerGroup>;
  roles?: Record<string, Partial<ReviewerGroup>>;
  comment_at?: Threshold;
  request_review_at?: Threshold;
  block_at?: Threshold;
  checklists?: {
    enable?: string[];
    disable?: string[];
    enforce?: string[];
    risk?: Record<string, Risk>;
    files?: string[];
    custom?: unknown[];
  };
  exclude?: string[];
  labels?: boolean | { enabled?: boolean; prefix?: string; at?: Threshold };
  drafts?: "evaluate" | "skip";
};

/** One parsed config file, ready to be merged. */
export type ConfigLayer = {
  file: string;
  raw: RawConfig;
  /** Checklists written inline under `checklists.custom`, validated. */
  custom: Checklist[];
  locate: Locate;
  /** True for the organisation's file: only there is `enforce` honoured. */
  org?: boolean;
};

/**
 * Parses and validates one `.github/compliance.yml`. Never throws; `layer` is set when the file
 * has no error. An empty file is a valid, empty config.
 */
export function parseConfig(text: string, file: string, options: { org?: boolean } = {}): { layer?: ConfigLayer; problems: Problem[] } {
  const parsed = parseYaml(text, file);
  if (parsed.problems.some((p) => p.severity !== "warning")) return { problems: parsed.problems };
  const value = parsed.value ?? {};
  const problems = [...parsed.problems, ...validateSchema("compliance", value, file, parsed.locate)];
  if (problems.some((p) => p.severity !== "warning")) return { problems: dedupe(problems) };
  const raw = value as RawConfig;
  const at = (path: (string | number)[], message: string): Problem => ({ file, ...parsed.locate(path), path: formatPath(path), message });

  (raw.exclude ?? []).forEach((glob, i) => {
    const error = checkGlob(glob);
    if (error) problems.push(at(["exclude", i], error));
  });
  if (raw.counsel && raw.roles?.counsel)
    problems.push(at(["roles", "counsel"], 'counsel is given twice: keep either the top-level "counsel" or "roles.counsel"'));
  if (raw.checklists?.enforce?.length && !options.org)
    problems.push(at(["checklists", "enforce"], "enforce is only honoured in the organisation's .github repository; use enable/disable here"));

  const custom: Checklist[] = [];
  (raw.checklists?.custom ?? []).forEach((value, i) => {
    const result = checkChecklist(value, file, parsed.locate, ["checklists", "custom", i], file);
    problems.push(...result.problems);
    if (result.checklist) custom.push(result.checklist);
  });
  if (problems.some((p) => p.severity !== "warning")) return { problems: dedupe(problems) };
  return { layer: { file, raw, custom, locate: parsed.locate, ...(options.org ? { org: true } : {}) }, problems: dedupe(problems) };
}

/**
 * Merges config layers, organisation first and repository last: later scalars win, roles and risk
 * overrides merge per key, custom checklists add up, the org's `enforce` cannot be disabled.
 * `knownIds` lists every checklist id that exists (built-in, custom, repo files): others are errors.
 */
export function mergeConfig(layers: ConfigLayer[], knownIds: Iterable<string>): { config: RepoConfig; problems: Problem[] } {
  const known = new Set(knownIds);
  for (const layer of layers) for (const c of layer.custom) known.add(c.id);
  const problems: Problem[] = [];
  const config: RepoConfig = structuredClone({ ...DEFAULT_CONFIG, checklists: { ...DEFAULT_CONFIG.checklists, custom: [] } });
  const enforcedBy = new Map<string, string>();

  for (const { file, raw, custom, locate, org } of layers) {
    const at = (path: (string | number)[], message: string): Problem => ({ file, ...locate(path), path: formatPath(path), message });
    const checkIds = (key: "enable" | "disable" | "enforce") =>
      (raw.checklists?.[key] ?? []).forEach((id, i) => {
        if (!known.has(id)) problems.push(at(["checklists", key, i], unknownId(id, known)));
      });
    checkIds("enable");
    checkIds("disable");
    checkIds("enforce");
    for (const id of Object.keys(raw.checklists?.risk ?? {}))
      if (!known.has(id)) problems.push(at(["checklists", "risk", id], unknownId(id, known)));

    if (raw.counsel) config.roles.counsel = group(raw.counsel);
    for (const [role, g] of Object.entries(raw.roles ?? {})) config.roles[role] = group(g);
    if (raw.comment_at) config.comment_at = raw.comment_at;
    if (raw.request_review_at) config.request_review_at = raw.request_review_at;
    if (raw.block_at) config.block_at = raw.block_at;
    if (raw.exclude) config.exclude = [...raw.exclude];
    if (raw.drafts) config.drafts = raw.drafts;
    if (raw.labels !== undefined)
      config.labels = typeof raw.labels === "boolean" ? { ...config.labels, enabled: raw.labels } : { ...config.labels, ...raw.labels };

    const c = raw.checklists ?? {};
    if (c.enable) config.checklists.enable = [...c.enable];
    if (c.disable) {
      c.disable.forEach((id, i) => {
        const by = enforcedBy.get(id);
        if (by) problems.push(at(["checklists", "disable", i], `checklist "${id}" is enforced by the organisation (${by}) and cannot be disabled`));
      });
      config.checklists.disable = [...c.disable];
    }
    if (org)
      for (const id of c.enforce ?? []) {
        enforcedBy.set(id, file);
        if (!config.checklists.enforce.includes(id)) config.checklists.enforce.push(id);
      }
    Object.assign(config.checklists.risk, c.risk ?? {});
    if (c.files) {
      if (org) problems.push({ ...at(["checklists", "files"], "checklist files are read from each repository; list them in the repository's own config"), severity: "warning" });
      else config.checklists.files = [...c.files];
    }
    for (const [i, checklist] of custom.entries()) {
      if (config.checklists.custom.some((x) => x.id === checklist.id))
        problems.push(at(["checklists", "custom", i, "id"], `checklist id "${checklist.id}" is defined twice`));
      else config.checklists.custom.push(checklist);
    }
  }
  return { config, problems };
}

/**
 * The checklists that run under `config`: built-ins filtered by enable/disable (enforced ones and
 * the config checklist always run), then repo-file and inline checklists, with risk overrides applied.
 * Checklist ids must be unique across all sources.
 */
export function resolveChecklists(
  config: RepoConfig,
  builtins: Checklist[],
  repoChecklists: Checklist[] = [],
): { checklists: Checklist[]; problems: Problem[] } {
  const { enable, disable, enforce, risk, files, custom } = config.checklists;
  const always = new Set([...enforce, CONFIG_CHECKLIST_ID]);
  const active = builtins
    .filter((c) => always.has(c.id) || ((enable.length === 0 || enable.includes(c.id)) && !disable.includes(c.id)))
    .map((c) => (c.id === CONFIG_CHECKLIST_ID && files.length > 0 ? withConfigFiles(c, files) : c));
  const problems: Problem[] = [];
  const ids = new Map(builtins.map((c) => [c.id, c.source]));
  for (const c of [...repoChecklists, ...custom]) {
    const other = ids.get(c.id);
    if (other) {
      problems.push({ file: c.source, message: `checklist id "${c.id}" is already used by ${other}; pick another id` });
      continue;
    }
    ids.set(c.id, c.source);
    if (!disable.includes(c.id) || always.has(c.id)) active.push(c);
  }
  const tuned = active.map((c) => (risk[c.id] ? { ...c, triggers: c.triggers.map((t) => ({ ...t, risk: risk[c.id]! })) } : c));
  return { checklists: tuned, problems };
}

function withConfigFiles(c: Checklist, files: string[]): Checklist {
  return { ...c, triggers: [...c.triggers, { description: "A checklist file named in the Lockstep configuration changes", paths: files, risk: "high" }] };
}

function group(g: Partial<ReviewerGroup>): ReviewerGroup {
  // Team reviewers are requested by slug; accept "org/slug" as people write it.
  return { users: [...(g.users ?? [])], teams: (g.teams ?? []).map((t) => t.split("/").pop()!) };
}

function unknownId(id: string, known: Set<string>): string {
  const list = [...known].sort();
  const close = list.filter((k) => k.includes(id) || id.includes(k) || editDistance(k, id) <= 3);
  const hint = close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(" or ")}?` : "";
  return `unknown checklist "${id}"${hint} (available: ${list.join(", ")})`;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
