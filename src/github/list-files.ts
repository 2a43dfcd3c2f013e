import type { ChangedFile } from "../types.js";
import type { RepoClient } from "./repo-client.js";

/** GitHub lists at most this many files of a pull request, and silently cuts the rest. */
export const MAX_LISTED_FILES = 3000;

const PER_PAGE = 100;
/** Pages read together when the PR's file count is known: bounded so one PR cannot flood the installation's reads. */
const PAGES_AT_ONCE = 10;

type Entry = Awaited<ReturnType<RepoClient["octokit"]["rest"]["pulls"]["listFiles"]>>["data"][number];

export type ListedFiles = { files: ChangedFile[]; incomplete?: { listed: number; total?: number } };

/**
 * Lists every file of a PR (all pages, 100 per page). When the payload gives the file count, the
 * pages it implies are read together (10 at a time) rather than one after another; if the last
 * of them links to a next page (a push since added files), the rest is read page by page.
 * `incomplete` is set when GitHub listed fewer files than the PR changes (`changedFiles`), or,
 * when that count is unknown, when the list reached GitHub's 3,000-file cap: the PR cannot be
 * evaluated in full.
 */
export async function listFiles(gh: RepoClient, pullNumber: number, changedFiles?: number): Promise<ListedFiles> {
  const where = { owner: gh.owner, repo: gh.repo, pull_number: pullNumber, per_page: PER_PAGE };
  const known = changedFiles !== undefined && changedFiles > PER_PAGE ? Math.ceil(Math.min(changedFiles, MAX_LISTED_FILES) / PER_PAGE) : 0;
  let entries: Entry[];
  if (known > 1) {
    entries = [];
    let last: { headers: { link?: string }; data: Entry[] } | undefined;
    for (let first = 1; first <= known; first += PAGES_AT_ONCE) {
      const pages = Array.from({ length: Math.min(PAGES_AT_ONCE, known - first + 1) }, (_, i) => first + i);
      for (const page of await Promise.all(pages.map((page) => gh.octokit.rest.pulls.listFiles({ ...where, page })))) {
        entries.push(...page.data);
        last = page;
      }
    }
    // The count came from the payload: a push since may have added files beyond the pages read.
    for (let page = known + 1; last && /rel="next"/.test(last.headers.link ?? ""); page++) {
      const next = await gh.octokit.rest.pulls.listFiles({ ...where, page });
      entries.push(...next.data);
      last = next;
    }
  } else entries = await gh.octokit.paginate(gh.octokit.rest.pulls.listFiles, where);

  const files = entries.map((f): ChangedFile => ({
    filename: f.filename,
    status: f.status,
    ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(typeof f.sha === "string" ? { sha: f.sha } : {}),
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
  }));
  const cut = changedFiles !== undefined ? files.length < changedFiles : files.length >= MAX_LISTED_FILES;
  if (!cut) return { files };
  return { files, incomplete: changedFiles !== undefined ? { listed: files.length, total: changedFiles } : { listed: files.length } };
}
