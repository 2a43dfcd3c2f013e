import RE2 from "re2";
import type { ChangedFile, Checklist, ChecklistFinding, Evaluation, Hit, RepoConfig, Risk, RiskLevel } from "../types.js";
import { compareRisk, maxRisk, reaches } from "../types.js";
import { GlobSet } from "./glob.js";
import { parsePatch, type PatchLine } from "./patch.js";
import { compileLinePattern } from "./regex.js";

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
    const paths = candidatePaths(file).filter((p) => !rules.exclude.has(p));
    if (paths.length === 0) continue;
    examined++;
    const lines = new LazyLines(file);
    rules.checklists.forEach((checklist, ci) => {
      const open = paths.filter((p) => !checklist.exclude.has(p));
      if (open.length === 0) return;
      checklist.triggers.forEach((trigger, ti) => {
        for (const path of open) {
          const glob = trigger.paths.match(path);
          if (glob === undefined || trigger.exclude.has(path)) continue;
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
  if (trigger.added) for (const m of scan(trigger.added, lines.added())) out.push({ ...base, kind: "added", ...m });
  if (trigger.removed) for (const m of scan(trigger.removed, lines.removed())) out.push({ ...base, kind: "removed", ...m });
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
  const { any } = patterns;
  any.lastIndex = 0;
  let m: { index: number } | null;
  while ((m = any.exec(text.buffer)) !== null) {
    const i = lineAt(text.starts, m.index);
    const line = text.lines[i]!;
    const match = patterns.each.find((p) => p.re.test(line.text));
    if (match) out.push({ line: line.line, text: clip(line.text), pattern: match.pattern });
    // Continue at the next line: one hit per line is enough.
    any.lastIndex = i + 1 < text.starts.length ? text.starts[i + 1]! : text.buffer.length;
    if (any.lastIndex <= m.index) any.lastIndex = m.index + 1;
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

/** Parses a file's patch at most once, and only when a line trigger needs it. */
class LazyLines {
  #parsed?: { added: JoinedLines; removed: JoinedLines };
  constructor(private readonly file: ChangedFile) {}
  added(): JoinedLines {
    return this.#parse().added;
  }
  removed(): JoinedLines {
    return this.#parse().removed;
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
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    offset += Buffer.byteLength(l.text, "utf8") + 1;
  }
  return { lines, buffer: Buffer.from(lines.map((l) => l.text).join("\n"), "utf8"), starts };
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

type LinePatterns = { any: RE2; each: { pattern: string; re: RE2 }[] };
type CompiledTrigger = {
  paths: GlobSet;
  exclude: GlobSet;
  added?: LinePatterns;
  removed?: LinePatterns;
  risk: Risk;
};
type CompiledChecklist = { checklist: Checklist; exclude: GlobSet; triggers: CompiledTrigger[] };
type Rules = { exclude: GlobSet; checklists: CompiledChecklist[] };

const cache = new Map<string, Rules>();
const CACHE_SIZE = 32;

function compile(config: RepoConfig, checklists: readonly Checklist[]): Rules {
  // Keyed by content, not identity: the App resolves a fresh config object on every delivery.
  const key = JSON.stringify([config.exclude, checklists.map((c) => [c.id, c.exclude, c.triggers])]);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const rules: Rules = {
    exclude: new GlobSet(config.exclude),
    checklists: checklists.map((checklist) => ({
      checklist,
      exclude: new GlobSet(checklist.exclude),
      triggers: checklist.triggers.map((t) => {
        const added = linePatterns(t.added_lines);
        const removed = linePatterns(t.removed_lines);
        return {
          paths: new GlobSet(t.paths),
          exclude: new GlobSet(t.exclude ?? []),
          ...(added ? { added } : {}),
          ...(removed ? { removed } : {}),
          risk: t.risk,
        };
      }),
    })),
  };
  cache.set(key, rules);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return rules;
}

function linePatterns(patterns: readonly string[] | undefined): LinePatterns | undefined {
  if (!patterns?.length) return undefined;
  const each = patterns.flatMap((pattern) => {
    const re = compileLinePattern(pattern);
    return "error" in re ? [] : [{ pattern, re }];
  });
  if (each.length === 0) return undefined;
  // Multiline so ^ and $ anchor at line starts/ends in the joined buffer, as on a single line.
  return { any: new RE2(each.map((p) => `(?:${p.pattern})`).join("|"), "gmu"), each };
}
