import { GitError, runGit } from "./run-git.js";

/**
 * Resolves `ref` (a branch, tag, sha or expression such as `HEAD~2`) to a commit sha in `repo`.
 * Rejects with a GitError saying `unknown revision` when it names no commit.
 */
export async function resolveCommit(repo: string, ref: string): Promise<string> {
  try {
    // `--end-of-options` keeps a ref such as `--output=x` from being read as an option.
    const out = await runGit(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], repo);
    return out.toString("utf8").trim();
  } catch (error) {
    if (error instanceof GitError && error.exitCode !== null) {
      throw new GitError(`unknown revision "${ref}": no such commit in ${repo}`, error.args, error.exitCode);
    }
    throw error;
  }
}
