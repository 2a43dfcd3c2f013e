import { GitError, runGit } from "./run-git.js";

/**
 * The best common ancestor of commits `a` and `b`: what GitHub diffs a pull request against.
 * Rejects with a GitError when the two histories share no commit (with a hint for shallow clones).
 */
export async function mergeBase(repo: string, a: string, b: string): Promise<string> {
  try {
    return (await runGit(["merge-base", a, b], repo)).toString("utf8").trim();
  } catch (error) {
    if (!(error instanceof GitError) || error.exitCode !== 1) throw error;
    const shallow = (await runGit(["rev-parse", "--is-shallow-repository"], repo)).toString("utf8").trim() === "true";
    const hint = shallow
      ? "; this clone is shallow, so fetch the history (e.g. git fetch --unshallow, or fetch-depth: 0 with actions/checkout)"
      : "";
    throw new GitError(`${a} and ${b} have no common ancestor${hint}`, error.args, 1);
  }
}
