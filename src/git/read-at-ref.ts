import { runGit } from "./run-git.js";

/**
 * The text of `path` (relative to the repository root) as it is in commit `ref`,
 * or `undefined` when the file doesn't exist there. Rejects with a GitError on other failures.
 */
export async function readAtRef(repo: string, ref: string, path: string): Promise<string | undefined> {
  // `ls-tree` tells "no such file" apart from real errors, which `git show` does not.
  const listing = await runGit(["ls-tree", "-z", "--full-tree", ref, "--", path], repo);
  const entry = listing.toString("utf8").split("\0")[0] ?? "";
  if (!/^\d+ blob /.test(entry)) return undefined;
  return (await runGit(["cat-file", "blob", `${ref}:${path}`], repo)).toString("utf8");
}
