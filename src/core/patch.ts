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
 */
export function splitPatch(patch: string): { added: PatchSide; removed: PatchSide } {
  const added: PatchSide = { numbers: [], texts: [] };
  const removed: PatchSide = { numbers: [], texts: [] };
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
        oldLine++;
        newLine++;
      }
    }
    from = to + 1;
  }
  return { added, removed };
}

/** `splitPatch` as one object per line. */
export function parsePatch(patch: string): ParsedPatch {
  const lines = ({ numbers, texts }: PatchSide) => numbers.map((line, i) => ({ line, text: texts[i]! }));
  const { added, removed } = splitPatch(patch);
  return { added: lines(added), removed: lines(removed) };
}
