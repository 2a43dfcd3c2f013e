import type { ChangedFile } from "../types.js";
import type { RepoClient } from "./repo-client.js";

/** GitHub lists at most this many files of a pull request, and silently cuts the rest. */
export const MAX_LISTED_FILES = 3000;

export type ListedFiles = { files: ChangedFile[]; incomplete?: { listed: number; total?: number } };

/**
 * Lists every file of a PR (all pages, 100 per page). `incomplete` is set when GitHub listed
 * fewer files than the PR changes (`changedFiles`, from the payload), or, when that count is
 * unknown, when the list reached GitHub's 3,000-file cap: the PR cannot be evaluated in full.
 */
export async function listFiles(gh: RepoClient, pullNumber: number, changedFiles?: number): Promise<ListedFiles> {
  const entries = await gh.octokit.paginate(gh.octokit.rest.pulls.listFiles, { owner: gh.owner, repo: gh.repo, pull_number: pullNumber, per_page: 100 });
  const files = entries.map((f): ChangedFile => ({
    filename: f.filename,
    status: f.status,
    ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
  }));
  const cut = changedFiles !== undefined ? files.length < changedFiles : files.length >= MAX_LISTED_FILES;
  if (!cut) return { files };
  return { files, incomplete: changedFiles !== undefined ? { listed: files.length, total: changedFiles } : { listed: files.length } };
}
