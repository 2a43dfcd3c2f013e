export type PatchLine = { line: number; text: string };
export type ParsedPatch = { added: PatchLine[]; removed: PatchLine[] };
/** One side of a patch as parallel arrays: line `i` is numbered `numbers[i]` and reads `texts[i]`. */
export type PatchSide = { numbers: number[]; texts: string[] };

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;
const NEWLINE = 10;
const RETURN = 13;
const AT = 64;
const PLUS = 43;
const MINUS = 45;
const SPACE = 32;

/**
 * Splits a unified diff (GitHub's `patch` field: hunks only, no file headers) into the lines it
 * adds (numbered in the new file) and removes (numbered in the old file). Never throws; text
 * before the first hunk header and "\ No newline at end of file" markers are skipped. Walks the
 * patch in place (no array of every line, no object per line): it is the engine's largest input.
 *
 * With `skipWhitespaceEdits`, a removed line and an added line of the same run of changes (no
 * context line between them) that differ only in whitespace inside the line, with the same
 * indentation, are both left out: `}  elseif` becoming `} elseif`, or `=` signs re-aligned, is
 * not a change to what the code does. A change of indentation is kept (it can change meaning, as
 * in Python or YAML), and so is a line moved elsewhere in the file.
 */
export function splitPatch(patch: string, options: { skipWhitespaceEdits?: boolean } = {}): { added: PatchSide; removed: PatchSide } {
  const added: PatchSide = { numbers: [], texts: [] };
  const removed: PatchSide = { numbers: [], texts: [] };
  const edits = options.skipWhitespaceEdits ? new WhitespaceEdits(added, removed) : undefined;
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  for (let from = 0; from <= patch.length; ) {
    let to = patch.indexOf("\n", from);
    if (to === -1) to = patch.length;
    const end = to > from && patch.charCodeAt(to - 1) === RETURN ? to - 1 : to;
    const mark = from < end ? patch.charCodeAt(from) : NEWLINE;
    const hunk = mark === AT ? HUNK.exec(patch.slice(from, end)) : null;
    if (hunk) {
      edits?.endRun();
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      inHunk = true;
    } else if (inHunk) {
      if (mark === PLUS) {
        added.numbers.push(newLine++);
        added.texts.push(patch.slice(from + 1, end));
      } else if (mark === MINUS) {
        removed.numbers.push(oldLine++);
        removed.texts.push(patch.slice(from + 1, end));
      } else if (mark === SPACE || mark === NEWLINE) {
        // A context line; an empty line counts as one too.
        edits?.endRun();
        oldLine++;
        newLine++;
      }
    }
    from = to + 1;
  }
  if (edits) {
    edits.endRun();
    return edits.result();
  }
  return { added, removed };
}

/** Finds, run by run, the removed and added lines that differ only in whitespace inside the line. */
class WhitespaceEdits {
  readonly #dropped = { added: new Set<number>(), removed: new Set<number>() };
  #addedFrom = 0;
  #removedFrom = 0;
  constructor(
    private readonly added: PatchSide,
    private readonly removed: PatchSide,
  ) {}
  endRun(): void {
    const { added, removed } = this;
    if (added.texts.length > this.#addedFrom && removed.texts.length > this.#removedFrom) {
      const waiting = new Map<string, number[]>();
      for (let i = this.#removedFrom; i < removed.texts.length; i++) {
        const key = whitespaceKey(removed.texts[i]!);
        if (key === undefined) continue;
        const list = waiting.get(key);
        if (list) list.push(i);
        else waiting.set(key, [i]);
      }
      for (let i = this.#addedFrom; i < added.texts.length; i++) {
        const key = whitespaceKey(added.texts[i]!);
        const match = key === undefined ? undefined : waiting.get(key)?.shift();
        if (match === undefined) continue;
        this.#dropped.added.add(i);
        this.#dropped.removed.add(match);
      }
    }
    this.#addedFrom = added.texts.length;
    this.#removedFrom = removed.texts.length;
  }
  result(): { added: PatchSide; removed: PatchSide } {
    return { added: without(this.added, this.#dropped.added), removed: without(this.removed, this.#dropped.removed) };
  }
}

/** The indentation, then the rest without any whitespace; undefined for a blank line. */
function whitespaceKey(text: string): string | undefined {
  const indent = /^[ \t]*/.exec(text)![0];
  const rest = text.slice(indent.length).replace(/\s+/g, "");
  return rest ? `${indent}\u0000${rest}` : undefined;
}

function without(side: PatchSide, dropped: Set<number>): PatchSide {
  if (dropped.size === 0) return side;
  const kept: PatchSide = { numbers: [], texts: [] };
  side.texts.forEach((text, i) => {
    if (dropped.has(i)) return;
    kept.numbers.push(side.numbers[i]!);
    kept.texts.push(text);
  });
  return kept;
}

/** `splitPatch` as one object per line. */
export function parsePatch(patch: string): ParsedPatch {
  const lines = ({ numbers, texts }: PatchSide) => numbers.map((line, i) => ({ line, text: texts[i]! }));
  const { added, removed } = splitPatch(patch);
  return { added: lines(added), removed: lines(removed) };
}
