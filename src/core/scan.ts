import RE2 from "re2";
import { nearlyAlwaysCompiled } from "./linefilter.js";
import type { PatchSide } from "./patch.js";

/** Longest line text kept in a hit: enough to recognise the line, small enough to render. */
const MAX_HIT_TEXT = 200;

/** One side of a patch, its lines joined by newlines in one UTF-8 buffer where line `i` starts at `starts[i]`. */
export type JoinedLines = PatchSide & { buffer: Buffer; starts: number[] };

/** A line trigger's patterns, compiled for scanning. */
export type LinePatterns = {
  each: { pattern: string; re: RE2 }[];
  /** The RE2 source of `any`. */
  source: string;
  /** All patterns as one alternation, multiline (^ and $ at each line of the joined buffer). */
  any: RE2;
  /** `any`, global, for walking the buffer match by match (only patterns that are not line-local). */
  anyGlobal?: RE2;
  /**
   * Whether a match inside one line of the joined buffer is exactly a match of that line alone.
   * Not so for text anchors (\A, \z) or a pattern that turns multiline off: those are scanned
   * match by match, as the buffer reads.
   */
  lineLocal: boolean;
};

/** A matched line: its number, its index in the side's arrays, its (clipped) text and the pattern. */
export type LineMatch = { line: number; index: number; text: string; pattern: string };

/** Compiles a trigger's patterns (`source`: valid RE2 without capturing groups; `re`: that source compiled). */
export function linePatterns(each: { pattern: string; source: string; re: RE2 }[]): LinePatterns {
  const source = each.map((p) => `(?:${p.source})`).join("|");
  // Text anchors, or a flag group turning multiline off (so ^ and $ anchor the whole text): a
  // range of lines then matches differently from its lines one by one. (?-i:…) is line-local.
  const anchored = /\\[Az]|\(\?[a-zA-Z]*-[a-zA-Z]*m/.test(source);
  // A pattern that matches nearly every line gains nothing from halving: it is walked instead.
  const any = new RE2(source, "mu");
  const lineLocal = !anchored && !nearlyAlwaysCompiled(source, any);
  return {
    each: each.map(({ pattern, re }) => ({ pattern, re })),
    source,
    any,
    ...(lineLocal ? {} : { anyGlobal: new RE2(source, "gmu") }),
    lineLocal,
  };
}

/** The lines one of the patterns matches (at most one hit per line, with the first such pattern). */
export function scan(patterns: LinePatterns, text: JoinedLines): LineMatch[] {
  if (text.texts.length === 0) return [];
  const out: LineMatch[] = [];
  if (patterns.lineLocal) bisect(patterns, text, 0, text.texts.length, out);
  else walk(patterns, text, out);
  return out;
}

/**
 * Halves the run of lines [from, to) while it holds a match: each test is one pass of RE2's DFA
 * over bytes, where finding each match's position (as `walk` does) can take its much slower
 * engines. Matches that span lines only send the halving further down; a single line is tested
 * alone, so a match never spans two lines.
 */
function bisect(patterns: LinePatterns, text: JoinedLines, from: number, to: number, out: LineMatch[]): void {
  const end = to < text.starts.length ? text.starts[to]! - 1 : text.buffer.length;
  if (!patterns.any.test(text.buffer.subarray(text.starts[from]!, end))) return;
  if (to - from > 1) {
    const mid = (from + to) >>> 1;
    bisect(patterns, text, from, mid, out);
    bisect(patterns, text, mid, to, out);
    return;
  }
  const line = text.texts[from]!;
  const match = patterns.each.length === 1 ? patterns.each[0] : patterns.each.find((p) => p.re.test(line));
  if (match) out.push({ line: text.numbers[from]!, index: from, text: clip(line), pattern: match.pattern });
}

/**
 * Finds the lines that one of the patterns matches, match by match over the joined buffer (RE2
 * crosses into C++ per call, so per-line calls dominate otherwise); each candidate line is then
 * confirmed on its own, so a match never spans two lines.
 */
function walk({ anyGlobal, source, each }: LinePatterns, text: JoinedLines, out: LineMatch[]): void {
  const any = anyGlobal ?? new RE2(source, "gmu");
  any.lastIndex = 0;
  let m: { index: number; 0: Buffer } | null;
  while ((m = any.exec(text.buffer)) !== null) {
    const i = lineAt(text.starts, m.index);
    const line = text.texts[i]!;
    const next = i + 1 < text.starts.length ? text.starts[i + 1]! : text.buffer.length + 1;
    // A match that stays on its line is confirmed; with one pattern, it is that pattern.
    const onItsLine = m.index + m[0].length < next;
    const match = onItsLine && each.length === 1 ? each[0] : each.find((p) => p.re.test(line));
    if (match) out.push({ line: text.numbers[i]!, index: i, text: clip(line), pattern: match.pattern });
    // Continue at the next line: one hit per line is enough.
    any.lastIndex = Math.max(Math.min(next, text.buffer.length), m.index + 1);
  }
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

/** A patch side joined for RE2. */
export function join(side: PatchSide): JoinedLines {
  const joined = side.texts.join("\n");
  const buffer = Buffer.from(joined, "utf8");
  const starts: number[] = [];
  if (buffer.length === joined.length) {
    // ASCII only: byte offsets are character offsets.
    for (let i = 0, at = 0; i < side.texts.length; at += side.texts[i++]!.length + 1) starts.push(at);
  } else if (side.texts.length) {
    // Lines hold no newline, so the buffer's newlines are exactly the line boundaries.
    starts.push(0);
    for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) starts.push(at + 1);
  }
  return { ...side, buffer, starts };
}

/** A hit's text, at most MAX_HIT_TEXT characters. */
export function clip(text: string): string {
  return text.length > MAX_HIT_TEXT ? `${text.slice(0, MAX_HIT_TEXT - 1)}…` : text;
}
