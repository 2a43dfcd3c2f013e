import { runGit } from "./run-git.js";

/**
 * The subject (first line of the message) of each commit in `from..to`, merges included: in the
 * CLI they stand in for a pull request's title. Commit messages are the author's text, like a title.
 */
export async function commitSubjects(repo: string, from: string, to: string): Promise<string[]> {
  const out = (await runGit(["log", "--format=%s%x00", `${from}..${to}`], repo)).toString("utf8");
  return out
    .split("\0")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
