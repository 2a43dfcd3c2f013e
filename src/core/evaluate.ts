import RE2 from "re2";
import type { ChangedFile, Checklist, ChecklistFinding, Evaluation, Hit, RepoConfig, Risk, RiskLevel } from "../types.js";
import { compareRisk, maxRisk, reaches } from "../types.js";
import { GlobSet, GlobTable, type Memo } from "./glob.js";
import { parsePatch, type PatchLine } from "./patch.js";
import { compileLinePattern, withoutCaptures } from "./regex.js";

/** Longest line text kept in a hit: enough to recognise the line, small enough to render. */
const MAX_HIT_TEXT = 200;

/**
 * Evaluates changed files against checklists under a config. Pure and deterministic: the same
 * findings whatever the order of `files`. Never throws on file data (odd paths, broken patches,
 * binary files); checklists must have been validated (parseChecklist / resolveChecklists).
 */
export function evaluate(files: readonly ChangedFile[], config: RepoConfig, checklists: readonly Checklist[]): Evaluation {
  const rules = compile(config, checklists);
  const sorted = [...files].sort((a, b) => cmp(a.filename, b.filename) || cmp(a.previous_filename ?? "", b.previous_filename ?? ""));
  const hits: Hit[][] = rules.checklists.map(() => []);
  let examined = 0;

  for (const file of sorted) {
    // One memo per candidate path: the same glob recurs across checklists.
    const memos = new Map<string, Memo>(candidatePaths(file).map((p) => [p, rules.globs.memo()]));
    const paths = [...memos.keys()].filter((p) => !rules.exclude.has(p, memos.get(p)));
    if (paths.length === 0) continue;
    examined++;
    const lines = new LazyLines(file, rules.sets);
    rules.checklists.forEach((checklist, ci) => {
      const open = paths.filter((p) => !checklist.exclude.has(p, memos.get(p)));
      if (open.length === 0) return;
      checklist.triggers.forEach((trigger, ti) => {
        for (const path of open) {
          const memo = memos.get(path);
          const glob = trigger.paths.match(path, memo);
          if (glob === undefined || trigger.exclude.has(path, memo)) continue;
          hits[ci]!.push(...matchTrigger(trigger, ti, file, path, glob, lines));
          return; // one matching path is enough: old and new path of a rename see the same lines
        }
      });
    });
  }

  const findings: ChecklistFinding[] = [];
  rules.checklists.forEach((c, ci) => {
    const found = hits[ci]!;
    if (found.length === 0) return;
    found.sort((a, b) => cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || a.trigger - b.trigger || cmp(a.kind, b.kind));
    const risk = found.reduce<Risk>((r, h) => (compareRisk(h.risk, r) > 0 ? h.risk : r), "low");
    findings.push({
      id: c.checklist.id,
      title: c.checklist.title,
      summary: c.checklist.summary,
      references: c.checklist.references,
      reviewers: c.checklist.reviewers,
      risk,
      items: c.checklist.items,
      label: c.checklist.label ?? `${config.labels.prefix}${c.checklist.id}`,
      triggers: c.checklist.triggers.map((t) => ({ ...(t.description ? { description: t.description } : {}), risk: t.risk })),
      hits: found,
    });
  });
  findings.sort((a, b) => compareRisk(b.risk, a.risk) || cmp(a.id, b.id));
  const risk = findings.reduce<RiskLevel>((r, f) => maxRisk(r, f.risk), "none");
  return {
    risk,
    decisions: {
      comment: reaches(risk, config.comment_at),
      requestReview: reaches(risk, config.request_review_at),
      blocking: reaches(risk, config.block_at),
    },
    checklists: findings,
    filesExamined: examined,
    filesExcluded: files.length - examined,
    active: rules.checklists.map((c) => c.checklist.id).sort(cmp),
  };
}

// ---------------------------------------------------------------------------
// Matching

function matchTrigger(trigger: CompiledTrigger, index: number, file: ChangedFile, path: string, glob: string, lines: LazyLines): Hit[] {
  const base = { trigger: index, file: file.filename, matched_path: path, glob, risk: trigger.risk };
  if (!trigger.added && !trigger.removed) return [{ ...base, kind: "path" }];
  if (file.patch === undefined) {
    // A pure rename has no patch because no line changed: there is nothing for a line trigger.
    if (file.status === "renamed" && file.changes === 0) return [];
    // No patch (binary, or too large for GitHub): we cannot see the lines, so fire conservatively
    // when the file could hold the kind of line the trigger looks for.
    const couldAdd = trigger.added && file.status !== "removed";
    const couldRemove = trigger.removed && file.status !== "added";
    return couldAdd || couldRemove ? [{ ...base, kind: "no-patch" }] : [];
  }
  const out: Hit[] = [];
  if (trigger.added && lines.mayMatch("added", trigger.added.slot)) for (const m of scan(trigger.added, lines.added())) out.push({ ...base, kind: "added", ...m });
  if (trigger.removed && lines.mayMatch("removed", trigger.removed.slot)) for (const m of scan(trigger.removed, lines.removed())) out.push({ ...base, kind: "removed", ...m });
  return out;
}

/**
 * Finds the lines that one of the patterns matches. All lines of a file are searched in one RE2
 * call over a UTF-8 buffer (RE2 crosses into C++ per call, so per-line calls dominate otherwise);
 * each candidate line is then confirmed on its own, so a match never spans two lines.
 */
function scan(patterns: LinePatterns, text: JoinedLines): { line: number; text: string; pattern: string }[] {
  if (text.lines.length === 0) return [];
  const out: { line: number; text: string; pattern: string }[] = [];
  const { any, each } = patterns;
  any.lastIndex = 0;
  let m: { index: number; 0: Buffer } | null;
  while ((m = any.exec(text.buffer)) !== null) {
    const i = lineAt(text.starts, m.index);
    const line = text.lines[i]!;
    const next = i + 1 < text.starts.length ? text.starts[i + 1]! : text.buffer.length + 1;
    // A match that stays on its line is confirmed; with one pattern, it is that pattern.
    const onItsLine = m.index + m[0].length < next;
    const match = onItsLine && each.length === 1 ? each[0] : each.find((p) => p.re.test(line.text));
    if (match) out.push({ line: line.line, text: clip(line.text), pattern: match.pattern });
    // Continue at the next line: one hit per line is enough.
    any.lastIndex = Math.max(Math.min(next, text.buffer.length), m.index + 1);
  }
  return out;
}

function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

type JoinedLines = { lines: PatchLine[]; buffer: Buffer; starts: number[] };

/**
 * Parses a file's patch at most once, and only when a line trigger needs it; then learns in one
 * pass (an RE2 set of every trigger's patterns) which triggers can match at all, so each trigger
 * that cannot is skipped without a scan of its own.
 */
class LazyLines {
  #parsed?: { added: JoinedLines; removed: JoinedLines };
  readonly #possible: Partial<Record<"added" | "removed", Set<number> | null>> = {};
  constructor(
    private readonly file: ChangedFile,
    private readonly sets: Rules["sets"],
  ) {}
  added(): JoinedLines {
    return this.#parse().added;
  }
  removed(): JoinedLines {
    return this.#parse().removed;
  }
  /** False only when the trigger in `slot` certainly matches no line of that kind. */
  mayMatch(kind: "added" | "removed", slot: number): boolean {
    if (!(kind in this.#possible)) {
      const set = this.sets[kind];
      const lines = kind === "added" ? this.added() : this.removed();
      try {
        this.#possible[kind] = set ? new Set(set.match(lines.buffer)) : null;
      } catch {
        // RE2 gives up (out of memory) on some inputs: then every trigger scans on its own.
        this.#possible[kind] = null;
      }
    }
    const possible = this.#possible[kind];
    return possible == null || possible.has(slot);
  }
  #parse() {
    if (!this.#parsed) {
      const { added, removed } = parsePatch(this.file.patch ?? "");
      this.#parsed = { added: join(added), removed: join(removed) };
    }
    return this.#parsed;
  }
}

function join(lines: PatchLine[]): JoinedLines {
  const buffer = Buffer.from(lines.map((l) => l.text).join("\n"), "utf8");
  // Lines hold no newline, so the buffer's newlines are exactly the line boundaries.
  const starts: number[] = lines.length ? [0] : [];
  for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) starts.push(at + 1);
  return { lines, buffer, starts };
}

function candidatePaths(file: ChangedFile): string[] {
  return file.previous_filename && file.previous_filename !== file.filename ? [file.filename, file.previous_filename] : [file.filename];
}

function clip(text: string): string {
  return text.length > MAX_HIT_TEXT ? `${text.slice(0, MAX_HIT_TEXT - 1)}…` : text;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Compilation (once per distinct config + checklists, cached)

type LinePatterns = { any: RE2; each: { pattern: string; source: string; re: RE2 }[]; slot: number };
type CompiledTrigger = {
  paths: GlobSet;
  exclude: GlobSet;
  added?: LinePatterns;
  removed?: LinePatterns;
  risk: Risk;
};
type CompiledChecklist = { checklist: Checklist; exclude: GlobSet; triggers: CompiledTrigger[] };
type Rules = {
  globs: GlobTable;
  exclude: GlobSet;
  checklists: CompiledChecklist[];
  /** Every line trigger's patterns as one RE2 set per kind, indexed by `LinePatterns.slot`. */
  sets: Partial<Record<"added" | "removed", InstanceType<typeof RE2.Set>>>;
};

const cache = new Map<string, Rules>();
const CACHE_SIZE = 32;

/** The same checklists array again (the App caches loaded configurations): not even the content key is built. */
const byIdentity = new WeakMap<readonly Checklist[], { exclude: readonly string[]; rules: Rules }>();

function compile(config: RepoConfig, checklists: readonly Checklist[]): Rules {
  const same = byIdentity.get(checklists);
  if (same?.exclude === config.exclude) return same.rules;
  const rules = compileByContent(config, checklists);
  byIdentity.set(checklists, { exclude: config.exclude, rules });
  return rules;
}

function compileByContent(config: RepoConfig, checklists: readonly Checklist[]): Rules {
  // Keyed by content: callers may resolve fresh but equal objects (the CLI, a changed but equivalent config).
  const key = JSON.stringify([config.exclude, checklists.map((c) => [c.id, c.exclude, c.triggers])]);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const globs = new GlobTable();
  const sources: Record<"added" | "removed", string[]> = { added: [], removed: [] };
  const linePatterns = (kind: "added" | "removed", patterns: readonly string[] | undefined) => compileLines(patterns, sources[kind]);
  const rules: Rules = {
    globs,
    exclude: new GlobSet(config.exclude, globs),
    checklists: checklists.map((checklist) => ({
      checklist,
      exclude: new GlobSet(checklist.exclude, globs),
      triggers: checklist.triggers.map((t) => {
        const added = linePatterns("added", t.added_lines);
        const removed = linePatterns("removed", t.removed_lines);
        return {
          paths: new GlobSet(t.paths, globs),
          exclude: new GlobSet(t.exclude ?? [], globs),
          ...(added ? { added } : {}),
          ...(removed ? { removed } : {}),
          risk: t.risk,
        };
      }),
    })),
    sets: {},
  };
  for (const kind of ["added", "removed"] as const) {
    if (sources[kind].length === 0) continue;
    try {
      rules.sets[kind] = new RE2.Set(sources[kind], "mu");
    } catch {
      // Too large for one set: every trigger then scans on its own (slower, same answers).
    }
  }
  cache.set(key, rules);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return rules;
}

function compileLines(patterns: readonly string[] | undefined, setSources: string[]): LinePatterns | undefined {
  if (!patterns?.length) return undefined;
  const each = patterns.flatMap((pattern) => {
    if ("error" in compileLinePattern(pattern)) return [];
    const fast = compileLinePattern(withoutCaptures(pattern));
    return "error" in fast ? [] : [{ pattern, source: withoutCaptures(pattern), re: fast }];
  });
  if (each.length === 0) return undefined;
  // Multiline so ^ and $ anchor at line starts/ends in the joined buffer, as on a single line.
  const source = each.map((p) => `(?:${p.source})`).join("|");
  setSources.push(source);
  return { any: new RE2(source, "gmu"), each, slot: setSources.length - 1 };
}
