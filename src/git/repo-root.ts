import { GitError, runGit } from "./run-git.js";

/**
 * The top-level directory of the git work tree containing `dir`.
 * Rejects with a GitError when `dir` is not inside a git repository.
 */
export async function repoRoot(dir: string): Promise<string> {
  try {
    return (await runGit(["rev-parse", "--show-toplevel"], dir)).toString("utf8").replace(/\n$/, "");
  } catch (error) {
    if (error instanceof GitError && error.exitCode !== null) {
      throw new GitError(`not a git repository: ${dir}`, error.args, error.exitCode);
    }
    throw error;
  }
}
