import type { Context } from "probot";

/** The installation's GitHub client, the repository an event is about, and a logger. */
export type RepoClient = {
  octokit: Context["octokit"];
  log: Context["log"];
  owner: string;
  repo: string;
};

/** Who Lockstep is on GitHub: its App id and (looked up at most once, lazily) its slug. */
export type AppIdentity = {
  id: () => Promise<number | undefined>;
  slug: () => Promise<string | undefined>;
};

/** True for an error from the GitHub API with the given HTTP status. */
export function hasStatus(error: unknown, ...statuses: number[]): boolean {
  const status = typeof error === "object" && error !== null && "status" in error ? error.status : undefined;
  return typeof status === "number" && statuses.includes(status);
}

/** A short message for an API error, for logs and check notes. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
