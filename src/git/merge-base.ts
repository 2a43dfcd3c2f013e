import { GitError, runGit } from "./run-git.js";

/**
 * The best common ancestor of commits `a` and `b`: what GitHub diffs a pull request against.
 * Rejects with a GitError when the two histories share no commit.
 */
export async function mergeBase(repo: string, a: string, b: string): Promise<string> {
  try {
    return (await runGit(["merge-base", a, b], repo)).toString("utf8").trim();
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 1) {
      throw new GitError(`${a} and ${b} have no common ancestor`, error.args, 1);
    }
    throw error;
  }
}
