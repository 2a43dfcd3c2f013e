export type PatchLine = { line: number; text: string };
export type ParsedPatch = { added: PatchLine[]; removed: PatchLine[] };
/**
 * One side of a patch as parallel arrays: line `i` is numbered `numbers[i]`, reads `texts[i]` and
 * belongs to the run of changes `runs[i]` (set by `splitPatch`).
 */
export type PatchSide = { numbers: number[]; texts: string[]; runs?: number[] };

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;
const NEWLINE = 10;
const RETURN = 13;
const AT = 64;
const PLUS = 43;
const MINUS = 45;
const SPACE = 32;
const TAB = 9;

/**
 * Splits a unified diff (GitHub's `patch` field: hunks only, no file headers) into the lines it
 * adds (numbered in the new file) and removes (numbered in the old file). Never throws; text
 * before the first hunk header and "\ No newline at end of file" markers are skipped. Walks the
 * patch in place (no array of every line, no object per line): it is the engine's largest input.
 * Each line also gets the id of its run of changes (`runs`): the lines between two context lines
 * or hunk headers, on both sides. See `WhitespaceTwins`.
 */
export function splitPatch(patch: string): { added: PatchSide; removed: PatchSide } {
  const added: PatchSide = { numbers: [], texts: [], runs: [] };
  const removed: PatchSide = { numbers: [], texts: [], runs: [] };
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  let run = 0;
  for (let from = 0; from <= patch.length; ) {
    let to = patch.indexOf("\n", from);
    if (to === -1) to = patch.length;
    const end = to > from && patch.charCodeAt(to - 1) === RETURN ? to - 1 : to;
    const mark = from < end ? patch.charCodeAt(from) : NEWLINE;
    const hunk = mark === AT ? HUNK.exec(patch.slice(from, end)) : null;
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      inHunk = true;
      run++;
    } else if (inHunk) {
      if (mark === PLUS) {
        added.numbers.push(newLine++);
        added.texts.push(patch.slice(from + 1, end));
        added.runs!.push(run);
      } else if (mark === MINUS) {
        removed.numbers.push(oldLine++);
        removed.texts.push(patch.slice(from + 1, end));
        removed.runs!.push(run);
      } else if (mark === SPACE || mark === NEWLINE) {
        // A context line; an empty line counts as one too.
        oldLine++;
        newLine++;
        run++;
      }
    }
    from = to + 1;
  }
  return { added, removed };
}

/**
 * Tells which lines are only re-spaced: a removed line and an added line of the same run of
 * changes that differ only in whitespace inside the line, with the same indentation, are twins.
 * `}  elseif` becoming `} elseif`, or `=` signs re-aligned, is not a change to what the code does,
 * so the engine matches neither. A change of indentation is kept (it can change meaning, as in
 * Python or YAML), and so is a line moved past a context line. Worked out lazily, run by run, for
 * the lines that matched a pattern only: most runs are never looked at.
 */
export class WhitespaceTwins {
  readonly #twins = new Map<number, { added: Set<number>; removed: Set<number> }>();
  constructor(
    private readonly added: PatchSide,
    private readonly removed: PatchSide,
  ) {}
  /** True when line `index` of that side has a twin on the other side. */
  has(kind: "added" | "removed", index: number): boolean {
    const run = this[kind].runs?.[index];
    if (run === undefined) return false;
    let twins = this.#twins.get(run);
    if (!twins) this.#twins.set(run, (twins = this.#pair(run, kind, index)));
    return twins[kind].has(index);
  }
  #pair(run: number, kind: "added" | "removed", index: number): { added: Set<number>; removed: Set<number> } {
    const twins = { added: new Set<number>(), removed: new Set<number>() };
    const other = kind === "added" ? "removed" : "added";
    const theirs = spanOf(this[other], run, firstAtOrAfter(this[other].runs!, run));
    if (!theirs) return twins; // lines only added (or only removed) here: nothing is re-spaced
    const mine = spanOf(this[kind], run, index);
    const waiting = new Map<string, number[]>();
    for (const i of theirs) {
      const key = whitespaceKey(this[other].texts[i]!);
      if (key === undefined) continue;
      const list = waiting.get(key);
      if (list) list.push(i);
      else waiting.set(key, [i]);
    }
    for (const i of mine!) {
      const key = whitespaceKey(this[kind].texts[i]!);
      const match = key === undefined ? undefined : waiting.get(key)?.shift();
      if (match === undefined) continue;
      twins[kind].add(i);
      twins[other].add(match);
    }
    return twins;
  }
}

/** The indices of a side's lines in `run` (they are contiguous), from any index of it; undefined when there are none. */
function spanOf(side: PatchSide, run: number, index: number): number[] | undefined {
  const runs = side.runs!;
  if (index < 0 || index >= runs.length || runs[index] !== run) return undefined;
  let from = index;
  while (from > 0 && runs[from - 1] === run) from--;
  const span: number[] = [];
  for (let i = from; i < runs.length && runs[i] === run; i++) span.push(i);
  return span;
}

/** The first index whose run id is at least `run` (ids only grow along a side); -1 when none. */
function firstAtOrAfter(runs: number[], run: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid]! < run) lo = mid + 1;
    else hi = mid;
  }
  return lo < runs.length ? lo : -1;
}

/** The indentation, then the rest without any whitespace; undefined for a blank line. */
function whitespaceKey(text: string): string | undefined {
  let at = 0;
  while (at < text.length && (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB)) at++;
  const rest = text.slice(at).replace(/\s+/g, "");
  return rest ? `${text.slice(0, at)}\u0000${rest}` : undefined;
}

/** `splitPatch` as one object per line. */
export function parsePatch(patch: string): ParsedPatch {
  const lines = ({ numbers, texts }: PatchSide) => numbers.map((line, i) => ({ line, text: texts[i]! }));
  const { added, removed } = splitPatch(patch);
  return { added: lines(added), removed: lines(removed) };
}
