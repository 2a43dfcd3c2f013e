import RE2 from "re2";
import type { ChangedFile, ChangeInfo, Checklist, ChecklistFinding, Evaluation, Hit, RepoConfig, Risk, RiskLevel } from "../types.js";
import { compareRisk, maxRisk, reaches } from "../types.js";
import { GlobSet, GlobTable, type Memo } from "./glob.js";
import { splitPatch, LineTwins } from "./patch.js";
import { clip, join, linePatterns, scan, type JoinedLines, type LineMatch, type LinePatterns as ScanPatterns } from "./scan.js";
import { LineFilter } from "./linefilter.js";
import { compileLinePattern, withoutCaptures } from "./regex.js";

/**
 * Evaluates changed files against checklists under a config. Pure and deterministic: the same
 * findings whatever the order of `files` (or of `change.titles`). Never throws on file data (odd
 * paths, broken patches, binary files); checklists must have been validated (parseChecklist /
 * resolveChecklists).
 */
export function evaluate(files: readonly ChangedFile[], config: RepoConfig, checklists: readonly Checklist[], change: ChangeInfo = {}): Evaluation {
  const rules = compile(config, checklists);
  const titles = [...(change.titles ?? [])].sort(cmp).map((text) => ({ text, bare: withoutTicketKeys(text) }));
  // Per trigger with title patterns: the title it matched, or null when none did (it cannot fire).
  const titled = rules.checklists.map((c) => c.triggers.map((t) => (t.titles ? (matchTitle(t.titles, titles) ?? null) : undefined)));
  const sorted = [...files].sort((a, b) => cmp(a.filename, b.filename) || cmp(a.previous_filename ?? "", b.previous_filename ?? ""));
  const hits: Hit[][] = rules.checklists.map(() => []);
  let examined = 0;
  // wanted[n] === examined: trigger n (numbered across checklists) lists a glob one of the file's paths matches.
  const wanted = new Int32Array(rules.triggerCount);
  const small = files.length < SMALL_CHANGE_FILES;

  for (const file of sorted) {
    // One memo per candidate path: the same glob recurs across checklists.
    const paths = candidatePaths(file)
      .map((path) => {
        const matched: number[] = [];
        return { path, memo: rules.globs.memo(path, matched), matched, excluded: new Int8Array(rules.excludeLists.length) };
      })
      .filter(({ path, memo }) => !rules.exclude.has(path, memo));
    if (paths.length === 0) continue;
    examined++;
    for (const { path, memo, matched } of paths) {
      for (const id of rules.testedPathGlobs) if (rules.globs.test(id, path, memo)) matched.push(id);
      for (const id of matched) for (const n of rules.triggersOfGlob[id] ?? NONE) wanted[n] = examined;
    }
    const lines = new LazyLines(file, rules.filters, small);
    for (let ci = 0; ci < rules.checklists.length; ci++) {
      const checklist = rules.checklists[ci]!;
      for (let ti = 0; ti < checklist.triggers.length; ti++) {
        if (wanted[checklist.firstTrigger + ti] !== examined) continue;
        const trigger = checklist.triggers[ti]!;
        const title = trigger.titles ? titled[ci]![ti] : undefined;
        if (title === null) continue;
        for (let pi = 0; pi < paths.length; pi++) {
          const { path, memo, excluded } = paths[pi]!;
          const glob = trigger.paths.match(path, memo);
          if (glob === undefined || isExcluded(rules, checklist.exclude, path, memo, excluded) || isExcluded(rules, trigger.exclude, path, memo, excluded)) continue;
          for (const hit of matchTrigger(trigger, ti, file, path, glob, lines, title)) hits[ci]!.push(hit);
          break; // one matching path is enough: old and new path of a rename see the same lines
        }
      }
    }
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

function matchTrigger(trigger: CompiledTrigger, index: number, file: ChangedFile, path: string, glob: string, lines: LazyLines, title?: TitleMatch): Hit[] {
  const base = { trigger: index, file: file.filename, matched_path: path, glob, risk: trigger.risk };
  if (!trigger.added && !trigger.removed) return [title ? { ...base, kind: "title", ...title } : { ...base, kind: "path" }];
  if (file.patch === undefined) {
    if (hasNoLines(file)) return [];
    // No patch (binary, or too large for GitHub): we cannot see the lines, so fire conservatively
    // when the file could hold the kind of line the trigger looks for.
    const couldAdd = trigger.added && file.status !== "removed";
    const couldRemove = trigger.removed && file.status !== "added";
    return couldAdd || couldRemove ? [{ ...base, kind: "no-patch" }] : [];
  }
  const out: Hit[] = [];
  // Written out per kind rather than looped: this runs for every file a line trigger's paths match.
  if (trigger.added && lines.mayMatch("added", trigger.added.slot)) {
    const found = lines.changed("added", scan(trigger.added, lines.added()));
    for (const m of trigger.newTermsOnly ? newTerms(trigger.added, found, "added", lines) : found)
      out.push({ ...base, kind: "added", pattern: m.pattern, line: m.line, text: m.text });
  }
  if (trigger.removed && lines.mayMatch("removed", trigger.removed.slot)) {
    const found = lines.changed("removed", scan(trigger.removed, lines.removed()));
    for (const m of trigger.newTermsOnly ? newTerms(trigger.removed, found, "removed", lines) : found)
      out.push({ ...base, kind: "removed", pattern: m.pattern, line: m.line, text: m.text });
  }
  return out;
}

/** Git's ids of the empty blob (SHA-1 and SHA-256 repositories). */
const EMPTY_BLOBS = new Set(["e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813"]);

/**
 * Files GitHub lists without a patch that have no changed line for a line trigger: a pure rename
 * (no line changed) and an empty file, such as a new `__init__.py` (no line at all).
 */
function hasNoLines(file: ChangedFile): boolean {
  return (file.status === "renamed" && file.changes === 0) || (typeof file.sha === "string" && EMPTY_BLOBS.has(file.sha));
}

type TitleMatch = { pattern: string; text: string };

/**
 * Issue-tracker keys (`CSP-2314`, `[RUN-4247]`, `DT-2287:`): a project's code, not a word of the
 * title, so `CSP-2314 Added searchTerm` does not read as a content security policy. Vulnerability
 * identifiers (CVE, GHSA, CWE) stay, and so do the names of algorithms and standards written the
 * same way (`SHA-256`, `AES-128`, `TLS-1`, `RFC-6749`): they say what the change is about.
 */
const TICKET_KEY = /\b(?!(?:CVE|GHSA|CWE|SHA|AES|RSA|HMAC|PBKDF|TLS|SSL|UTF|ISO|RFC|PKCS|FIPS|X|HS|RS|ES|PS|MD)-)[A-Z][A-Z0-9]{1,9}-\d+\b/g;

function withoutTicketKeys(title: string): string {
  return title.replace(TICKET_KEY, " ");
}

/** The first title (in sorted order) that one of the patterns matches once its ticket keys are set aside, with that pattern. */
function matchTitle(patterns: readonly { pattern: string; re: RE2 }[], titles: readonly { text: string; bare: string }[]): TitleMatch | undefined {
  for (const { text, bare } of titles)
    for (const { pattern, re } of patterns) if (re.test(bare)) return { pattern, text: clip(text) };
  return undefined;
}

/**
 * With `new_terms_only`, keeps the matched lines that carry a term the other side of the patch
 * does not: `email` added where a removed line of the same file already had `email` is code
 * moved or reworded around it, not new handling of it.
 */
function newTerms(patterns: LinePatterns, found: LineMatch[], kind: "added" | "removed", lines: LazyLines): LineMatch[] {
  if (found.length === 0) return found;
  const otherKind = kind === "added" ? "removed" : "added";
  const other = lines[otherKind]();
  const before = new Set<string>();
  for (const m of lines.changed(otherKind, scan(patterns, other))) for (const term of termsOf(patterns, other.texts[m.index]!)) before.add(term);
  if (before.size === 0) return found;
  const side = lines[kind]();
  return found.filter((m) => termsOf(patterns, side.texts[m.index]!).some((term) => !before.has(term)));
}

/** Every term the patterns match on a line: the first capture group that took part in a match, else the whole match, lower-cased. */
function termsOf(patterns: LinePatterns, line: string): string[] {
  const terms: string[] = [];
  for (const { terms: re } of patterns.each) {
    if (!re) continue;
    re.lastIndex = 0;
    for (let m = re.exec(line); m !== null; m = re.exec(line)) {
      terms.push((m.slice(1).find((group) => group !== undefined) ?? m[0]).toLowerCase());
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return terms;
}

/**
 * Parses a file's patch at most once, and only when a line trigger needs it; then learns from the
 * rule set's line filter which triggers can match at all, so each trigger that cannot is skipped
 * without a scan of its own.
 */
class LazyLines {
  #parsed?: { added: JoinedLines; removed: JoinedLines };
  #twins?: LineTwins;
  readonly #possible: Partial<Record<"added" | "removed", (slot: number) => boolean>> = {};
  constructor(
    private readonly file: ChangedFile,
    private readonly filters: Rules["filters"],
    private readonly small: boolean,
  ) {}
  added(): JoinedLines {
    return this.#parse().added;
  }
  removed(): JoinedLines {
    return this.#parse().removed;
  }
  /** The matches whose line was really changed: lines that were only re-spaced or re-versioned are dropped (see LineTwins). */
  changed(kind: "added" | "removed", found: LineMatch[]): LineMatch[] {
    // A line can only have a twin when the patch both adds and removes lines.
    if (found.length === 0 || this.added().texts.length === 0 || this.removed().texts.length === 0) return found;
    const twins = (this.#twins ??= new LineTwins(this.added(), this.removed()));
    return found.some((m) => twins.has(kind, m.index)) ? found.filter((m) => !twins.has(kind, m.index)) : found;
  }
  /** False only when the trigger in `slot` certainly matches no line of that kind. */
  mayMatch(kind: "added" | "removed", slot: number): boolean {
    let possible = this.#possible[kind];
    if (!possible) {
      const filter = this.filters[kind];
      possible = this.#possible[kind] = filter ? filter.forLines(this[kind]().buffer, this.small) : () => true;
    }
    return possible(slot);
  }
  #parse() {
    if (!this.#parsed) {
      const { added, removed } = splitPatch(this.file.patch ?? "");
      this.#parsed = { added: join(added), removed: join(removed) };
    }
    return this.#parsed;
  }
}

/** Whether exclude list `list` matches `path`; `excluded` holds this path's answers (0 not read yet, 1 excluded, 2 not). */
function isExcluded(rules: Rules, list: number, path: string, memo: Memo, excluded: Int8Array): boolean {
  if (excluded[list] === 0) excluded[list] = rules.excludeLists[list]!.has(path, memo) ? 1 : 2;
  return excluded[list] === 1;
}

const NONE: readonly number[] = [];

/**
 * A change with fewer files than this does not compile the line filter's set of every trigger
 * (see LineFilter): for a command-line check or an Action run that compile would cost more than
 * the whole evaluation.
 */
const SMALL_CHANGE_FILES = 64;

function candidatePaths(file: ChangedFile): string[] {
  return file.previous_filename && file.previous_filename !== file.filename ? [file.filename, file.previous_filename] : [file.filename];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Compilation (once per distinct config + checklists, cached)

type LinePatterns = ScanPatterns & { slot: number; each: (ScanPatterns["each"][number] & { terms?: RE2 })[] };
type CompiledTrigger = {
  paths: GlobSet;
  /** Index in `Rules.excludeLists`. */
  exclude: number;
  added?: LinePatterns;
  removed?: LinePatterns;
  newTermsOnly: boolean;
  titles?: { pattern: string; re: RE2 }[];
  risk: Risk;
};
/** `firstTrigger`: the number of its first trigger, counting every trigger of the checklists before it. */
type CompiledChecklist = { checklist: Checklist; exclude: number; triggers: CompiledTrigger[]; firstTrigger: number };
type Rules = {
  globs: GlobTable;
  exclude: GlobSet;
  checklists: CompiledChecklist[];
  /**
   * The distinct exclude lists of the checklists and triggers (most triggers of a checklist repeat
   * one list): each is read at most once per path, whoever asks.
   */
  excludeLists: GlobSet[];
  triggerCount: number;
  /**
   * Glob id → the numbers of the triggers whose paths list it. A file's paths are matched against
   * each glob once, not once per trigger that lists it: a trigger is then looked at only when one
   * of its globs matched.
   */
  triggersOfGlob: number[][];
  /** The globs of trigger paths that the table's indexes do not answer: each is tested per path. */
  testedPathGlobs: number[];
  /** Which line triggers can match a file's lines, per kind; slots are `LinePatterns.slot`. */
  filters: Partial<Record<"added" | "removed", LineFilter>>;
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
  const linePatterns = (kind: "added" | "removed", patterns: readonly string[] | undefined, terms?: boolean) => compileLines(patterns, sources[kind], terms === true);
  let triggerCount = 0;
  const excludeLists: GlobSet[] = [];
  const listIndex = new Map<string, number>();
  const excludeList = (list: readonly string[]) => {
    const key = JSON.stringify(list);
    let index = listIndex.get(key);
    if (index === undefined) listIndex.set(key, (index = excludeLists.push(new GlobSet(list, globs)) - 1));
    return index;
  };
  const rules: Rules = {
    globs,
    exclude: new GlobSet(config.exclude, globs),
    checklists: checklists.map((checklist) => ({
      checklist,
      firstTrigger: (triggerCount += checklist.triggers.length) - checklist.triggers.length,
      exclude: excludeList(checklist.exclude),
      triggers: checklist.triggers.map((t) => {
        const added = linePatterns("added", t.added_lines, t.new_terms_only);
        const removed = linePatterns("removed", t.removed_lines, t.new_terms_only);
        return {
          paths: new GlobSet(t.paths, globs),
          exclude: excludeList(t.exclude ?? []),
          ...(added ? { added } : {}),
          ...(removed ? { removed } : {}),
          newTermsOnly: t.new_terms_only === true,
          ...(t.titles ? { titles: compileTitles(t.titles) } : {}),
          risk: t.risk,
        };
      }),
    })),
    filters: {},
    excludeLists,
    triggerCount,
    triggersOfGlob: [],
    testedPathGlobs: [],
  };
  for (const c of rules.checklists)
    c.triggers.forEach((t, ti) => {
      for (const id of new Set(t.paths.ids)) {
        if (id < 0) continue;
        if (!rules.triggersOfGlob[id]) {
          rules.triggersOfGlob[id] = [];
          if (!globs.indexed(id)) rules.testedPathGlobs.push(id);
        }
        rules.triggersOfGlob[id]!.push(c.firstTrigger + ti);
      }
    });
  for (const kind of ["added", "removed"] as const) if (sources[kind].length) rules.filters[kind] = new LineFilter(sources[kind]);
  cache.set(key, rules);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return rules;
}

/** Title patterns; an invalid one (the checklist was not validated) matches nothing. */
function compileTitles(patterns: readonly string[]): { pattern: string; re: RE2 }[] {
  return patterns.flatMap((pattern) => {
    const re = compileLinePattern(pattern);
    return "error" in re ? [] : [{ pattern, re }];
  });
}

function compileLines(patterns: readonly string[] | undefined, setSources: string[], terms: boolean): LinePatterns | undefined {
  if (!patterns?.length) return undefined;
  const each = patterns.flatMap((pattern) => {
    if ("error" in compileLinePattern(pattern)) return [];
    const source = withoutCaptures(pattern);
    const fast = compileLinePattern(source);
    return "error" in fast ? [] : [{ pattern, source, re: fast }];
  });
  if (each.length === 0) return undefined;
  const compiled = linePatterns(each);
  setSources.push(compiled.source);
  // Terms need the pattern's own groups, so they are read with the pattern as written (global).
  const withTerms = terms ? compiled.each.map((p) => ({ ...p, terms: new RE2(p.pattern, "gu") })) : compiled.each;
  return { ...compiled, each: withTerms, slot: setSources.length - 1 };
}
