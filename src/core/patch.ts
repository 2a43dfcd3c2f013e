export type PatchLine = { line: number; text: string };
export type ParsedPatch = { added: PatchLine[]; removed: PatchLine[] };
/**
 * One side of a patch as parallel arrays: line `i` is numbered `numbers[i]` and reads `texts[i]`.
 * `splitPatch` also records where each run of changes starts on this side: run `runIds[k]` holds
 * the lines from `runStarts[k]` up to the next start (both arrays grow; see `LineTwins`).
 */
export type PatchSide = { numbers: number[]; texts: string[]; runStarts?: number[]; runIds?: number[] };

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;
const NEWLINE = 10;
const RETURN = 13;
const AT = 64;
const PLUS = 43;
const MINUS = 45;
const SPACE = 32;
const TAB = 9;
/** U+FEFF, the byte-order mark some editors (Visual Studio) put at the start of a file. */
const BOM = 0xfeff;

/**
 * Splits a unified diff (GitHub's `patch` field: hunks only, no file headers) into the lines it
 * adds (numbered in the new file) and removes (numbered in the old file). Never throws; text
 * before the first hunk header and "\ No newline at end of file" markers are skipped. Walks the
 * patch in place (no array of every line, no object per line): it is the engine's largest input.
 * It also records the runs of changes: the lines between two context lines or hunk headers, on
 * both sides (`runStarts`, `runIds`). See `LineTwins`.
 */
export function splitPatch(patch: string): { added: PatchSide; removed: PatchSide } {
  const added: PatchSide = { numbers: [], texts: [], runStarts: [], runIds: [] };
  const removed: PatchSide = { numbers: [], texts: [], runStarts: [], runIds: [] };
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  let run = 0;
  let addedRun = -1;
  let removedRun = -1;
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
        if (addedRun !== run) startRun(added, (addedRun = run));
        added.texts.push(lineText(patch, from + 1, end, newLine));
        added.numbers.push(newLine++);
      } else if (mark === MINUS) {
        if (removedRun !== run) startRun(removed, (removedRun = run));
        removed.texts.push(lineText(patch, from + 1, end, oldLine));
        removed.numbers.push(oldLine++);
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
 * A changed line's text. A byte-order mark opening a file's first line is not part of it: editors
 * add and drop it unseen, so a change that only adds or drops it changes nothing, and left in it
 * would hide what the line starts with (a comment mark, `import`).
 */
function lineText(patch: string, start: number, end: number, line: number): string {
  // On an empty line `start` is `end`, whose character is a line break, never a BOM.
  return line === 1 && patch.charCodeAt(start) === BOM ? patch.slice(start + 1, end) : patch.slice(start, end);
}

function startRun(side: PatchSide, run: number): void {
  side.runStarts!.push(side.texts.length);
  side.runIds!.push(run);
}

/**
 * Tells which lines are only re-spaced or re-versioned: a removed line and an added line of the
 * same run of changes that differ only in whitespace inside the line, with the same indentation,
 * are twins; so are two that differ only in version literals (see `VERSION`). `}  elseif` becoming
 * `} elseif`, `=` signs re-aligned, or `uses: actions/checkout@v4` becoming `@v5` is not a change
 * to what the code does, so the engine matches neither. A change of indentation is kept (it can
 * change meaning, as in Python or YAML), and so is a line moved past a context line. Worked out
 * lazily, run by run, for the lines that matched a pattern only: most runs are never looked at.
 */
export class LineTwins {
  readonly #twins = new Map<number, Pairs>();
  constructor(
    private readonly added: PatchSide,
    private readonly removed: PatchSide,
  ) {}
  /** True when line `index` of that side has a twin on the other side. */
  has(kind: "added" | "removed", index: number): boolean {
    const side = this[kind];
    const k = lastAtOrBefore(side.runStarts ?? [], index);
    if (k < 0) return false;
    const run = side.runIds![k]!;
    let twins = this.#twins.get(run);
    if (!twins) this.#twins.set(run, (twins = this.#pair(run)));
    return twins[kind].has(index);
  }
  #pair(run: number): Pairs {
    const twins: Pairs = { added: new Set<number>(), removed: new Set<number>() };
    const removed = spanOf(this.removed, run);
    const added = spanOf(this.added, run);
    // Lines only added (or only removed) in this run: nothing is re-spaced or re-versioned.
    if (!removed || !added) return twins;
    this.#pairSpacing(twins, added, removed);
    this.#pairVersions(twins, added, removed);
    return twins;
  }
  /** Pairs the lines of `[added)` and `[removed)` that differ only in whitespace inside the line. */
  #pairSpacing(twins: Pairs, added: [number, number], removed: [number, number]): void {
    // Twins share their indentation and their count of other characters: a cheap first sieve,
    // so that only the few candidates build a key.
    const removedShape: number[] = [];
    for (let i = removed[0]; i < removed[1]; i++) removedShape.push(shape(this.removed.texts[i]!));
    const removedShapes = new Set(removedShape);
    const candidates: number[] = [];
    const addedShapes = new Set<number>();
    for (let i = added[0]; i < added[1]; i++) {
      const s = shape(this.added.texts[i]!);
      if (s >= 0 && removedShapes.has(s)) {
        candidates.push(i);
        addedShapes.add(s);
      }
    }
    if (candidates.length === 0) return;
    const waiting = indices(removed).filter((i) => addedShapes.has(removedShape[i - removed[0]]!));
    this.#pairBy(twins, waiting, candidates, whitespaceKey);
  }
  /** Pairs the lines left unpaired in `[added)` and `[removed)` that differ only in version literals. */
  #pairVersions(twins: Pairs, added: [number, number], removed: [number, number]): void {
    const waiting = indices(removed).filter((i) => !twins.removed.has(i));
    const candidates = indices(added).filter((i) => !twins.added.has(i));
    this.#pairBy(twins, waiting, candidates, versionKey);
  }
  /** Pairs each of the `added` lines, in order, with the first unclaimed `removed` line of the same key. */
  #pairBy(twins: Pairs, removed: number[], added: number[], keyOf: (text: string) => string | undefined): void {
    const waiting = new Map<string, number[]>();
    for (const i of removed) {
      const key = keyOf(this.removed.texts[i]!);
      if (key === undefined) continue;
      const list = waiting.get(key);
      if (list) list.push(i);
      else waiting.set(key, [i]);
    }
    if (waiting.size === 0) return;
    for (const i of added) {
      const key = keyOf(this.added.texts[i]!);
      const match = key === undefined ? undefined : waiting.get(key)?.shift();
      if (match === undefined) continue;
      twins.added.add(i);
      twins.removed.add(match);
    }
  }
}

type Pairs = { added: Set<number>; removed: Set<number> };

/** The indices of the range [from, to). */
function indices([from, to]: [number, number]): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

/**
 * Version literals: a pin after `@` (`@v4`, `@3.1`, a commit sha of 7 to 40 hex digits) or a
 * version of three or more parts (`7.4.1`, `v2.0.0-beta.1`). Two-part numbers stay (`0.1` is as
 * likely a sample rate or a TLS version as a release), and so does any other number.
 */
const VERSION = /@v?\d+(?:\.\d+)*\b|@[0-9a-f]{7,40}\b|\bv?\d+\.\d+\.\d+(?:[-+.][0-9A-Za-z.-]+)?/g;

/** `whitespaceKey` with every version literal blanked; undefined when the line holds none. */
function versionKey(text: string): string | undefined {
  const blanked = text.replace(VERSION, "\u0001");
  return blanked === text ? undefined : whitespaceKey(blanked);
}

/** The index range [from, to) of a side's lines in `run`; undefined when it has none there. */
function spanOf(side: PatchSide, run: number): [number, number] | undefined {
  const ids = side.runIds ?? [];
  const k = lastAtOrBefore(ids, run);
  if (k < 0 || ids[k] !== run) return undefined;
  return [side.runStarts![k]!, side.runStarts![k + 1] ?? side.texts.length];
}

/** The last position whose value is at most `value` in an ascending array; -1 when there is none. */
function lastAtOrBefore(values: number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Indentation length and count of other non-whitespace characters as one number; -1 for a blank line. */
function shape(text: string): number {
  const at = indentOf(text);
  let visible = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== RETURN && c !== NEWLINE && c !== 11 && c !== 12) visible++;
  }
  return visible === 0 ? -1 : at * 0x100000 + visible;
}

/** The length of a line's indentation (spaces and tabs). */
function indentOf(text: string): number {
  let at = 0;
  while (at < text.length && (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB)) at++;
  return at;
}

/** The indentation, then the rest without any whitespace; undefined for a blank line. */
function whitespaceKey(text: string): string | undefined {
  const at = indentOf(text);
  const rest = text.slice(at).replace(/[ \t\r\n\v\f]+/g, "");
  return rest ? `${text.slice(0, at)}\u0000${rest}` : undefined;
}

/** `splitPatch` as one object per line. */
export function parsePatch(patch: string): ParsedPatch {
  const lines = ({ numbers, texts }: PatchSide) => numbers.map((line, i) => ({ line, text: texts[i]! }));
  const { added, removed } = splitPatch(patch);
  return { added: lines(added), removed: lines(removed) };
}
