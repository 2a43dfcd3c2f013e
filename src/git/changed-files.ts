import type { ChangedFile } from "../types.js";
import { runGit } from "./run-git.js";

/** Options shared by both diff invocations, so that they list the same files in the same order. */
const DIFF_OPTIONS = ["-M", "--no-ext-diff", "--no-textconv", "--no-color", "--no-relative", "--ignore-submodules=none"];

const STATUS: Record<string, ChangedFile["status"]> = {
  A: "added",
  D: "removed",
  M: "modified",
  R: "renamed",
  C: "copied",
  T: "changed",
};

type NameStatus = Pick<ChangedFile, "filename" | "status" | "previous_filename">;

/**
 * Lists the files changed between two commits of the repository at `repo`, in the shape of
 * GitHub's "list pull request files" response: renames carry `previous_filename`, deletions
 * have status `removed`, binary files have no `patch`, and `patch` holds the hunks exactly as
 * GitHub shows them (from the first `@@` line, no file headers, three lines of context).
 * A text change without hunks (a pure rename, a mode change, an empty new file) has `patch: ""`;
 * a type change (a file that becomes a symlink) has status `changed` and both sides' hunks.
 * `base` and `head` are commits (the caller picks the merge-base); an empty range yields `[]`.
 * Rejects with a GitError when git fails.
 */
export async function listChangedFiles(repo: string, base: string, head: string): Promise<ChangedFile[]> {
  const range = [base, head, "--"];
  const [names, patches] = await Promise.all([
    runGit(["diff", "--name-status", "-z", ...DIFF_OPTIONS, ...range], repo),
    runGit(["diff", "--patch", "--unified=3", ...DIFF_OPTIONS, ...range], repo),
  ]);
  const entries = parseNameStatus(names.toString("utf8"));
  const chunks = splitPatch(patches.toString("utf8"));
  const files: ChangedFile[] = [];
  let next = 0;
  for (const entry of entries) {
    const chunk = chunks[next++] ?? "";
    let diff = parseChunk(chunk);
    // A type change (a file that becomes a symlink, or the reverse) is one entry but two diffs
    // under the same header: the old object deleted, then the new one added.
    if (entry.status === "changed" && next < chunks.length && headerOf(chunks[next]!) === headerOf(chunk)) {
      diff = joinChunks(diff, parseChunk(chunks[next++]!));
    }
    files.push({ ...entry, ...diff });
  }
  if (next !== chunks.length) {
    throw new Error(`git listed ${entries.length} changed files but printed ${chunks.length} diffs`);
  }
  return files;
}

function headerOf(chunk: string): string {
  const end = chunk.indexOf("\n");
  return end === -1 ? chunk : chunk.slice(0, end);
}

/** A file's diff in GitHub's terms: no patch for a binary file. */
type Diff = { patch?: string; additions: number; deletions: number; changes: number };

/** One file's two diffs as one: both hunks, both counts; no patch if either side is binary. */
function joinChunks(a: Diff, b: Diff): Diff {
  if (a.patch === undefined || b.patch === undefined) return { additions: 0, deletions: 0, changes: 0 };
  const additions = a.additions + b.additions;
  const deletions = a.deletions + b.deletions;
  return { patch: [a.patch, b.patch].filter((p) => p !== "").join("\n"), additions, deletions, changes: additions + deletions };
}

/** Parses `git diff --name-status -z`: `X\0path\0`, or `R86\0old\0new\0` for renames and copies. */
function parseNameStatus(text: string): NameStatus[] {
  const fields = text.split("\0");
  const entries: NameStatus[] = [];
  for (let i = 0; i < fields.length - 1; ) {
    const code = fields[i++] ?? "";
    const letter = code.charAt(0);
    const status = STATUS[letter] ?? "modified";
    if (letter === "R" || letter === "C") {
      const previous = fields[i++] ?? "";
      entries.push({ filename: fields[i++] ?? "", status, previous_filename: previous });
    } else {
      entries.push({ filename: fields[i++] ?? "", status });
    }
  }
  return entries;
}

/** Splits `git diff --patch` output into one chunk per file (each starting with `diff --git`). */
function splitPatch(text: string): string[] {
  if (text === "") return [];
  // Inside hunks every line starts with ' ', '+', '-', '\' or '@@', so this header can't be content.
  return text.split(/\n(?=diff --git )/);
}

/** Turns one file's diff into GitHub's `patch` (hunks only) and line counts. */
function parseChunk(chunk: string): Diff {
  const lines = chunk.replace(/\n$/, "").split("\n");
  const firstHunk = lines.findIndex((line) => line.startsWith("@@ "));
  const header = firstHunk === -1 ? lines : lines.slice(0, firstHunk);
  if (header.some((line) => line.startsWith("Binary files ") || line === "GIT binary patch")) {
    return { additions: 0, deletions: 0, changes: 0 };
  }
  const hunks = firstHunk === -1 ? [] : lines.slice(firstHunk);
  let additions = 0;
  let deletions = 0;
  for (const line of hunks) {
    if (line.startsWith("+")) additions++;
    else if (line.startsWith("-")) deletions++;
  }
  return { patch: hunks.join("\n"), additions, deletions, changes: additions + deletions };
}
