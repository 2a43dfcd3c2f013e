export type PatchLine = { line: number; text: string };
export type ParsedPatch = { added: PatchLine[]; removed: PatchLine[] };

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * Splits a unified diff (GitHub's `patch` field: hunks only, no file headers) into the lines it
 * adds (numbered in the new file) and removes (numbered in the old file). Never throws; text
 * before the first hunk header and "\ No newline at end of file" markers are skipped.
 */
export function parsePatch(patch: string): ParsedPatch {
  const added: PatchLine[] = [];
  const removed: PatchLine[] = [];
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  for (const raw of patch.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const mark = line[0];
    if (mark === "+") added.push({ line: newLine++, text: line.slice(1) });
    else if (mark === "-") removed.push({ line: oldLine++, text: line.slice(1) });
    else if (mark === " " || line === "") {
      oldLine++;
      newLine++;
    }
  }
  return { added, removed };
}
