import { GitError, runGit } from "./run-git.js";

/** Where a pull request from the current branch would most likely go, best guess first. */
const CANDIDATES = ["origin/HEAD", "origin/main", "origin/master", "main", "master"];

/**
 * Picks the branch that `lockstep check` compares against when no `--base` is given:
 * the first of `origin/HEAD` (the remote's default branch), `origin/main`, `origin/master`,
 * `main`, `master` that exists. Resolves with its name; rejects with a GitError when none exists.
 */
export async function defaultBase(repo: string): Promise<string> {
  for (const name of CANDIDATES) {
    try {
      await runGit(["rev-parse", "--verify", "--quiet", `${name}^{commit}`], repo);
      return name;
    } catch (error) {
      if (!(error instanceof GitError) || error.exitCode === null) throw error;
    }
  }
  throw new GitError(
    `no base branch found (tried ${CANDIDATES.join(", ")}); pass --base REF`,
    ["rev-parse"],
    1,
  );
}
