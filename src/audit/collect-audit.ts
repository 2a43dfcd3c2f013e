import type { Octokit } from "@octokit/rest";
import { auditPull, findLockstepComments, type AuditedPull, type PullSummary } from "./audit-pull.js";

export type AuditQuery = {
  owner: string;
  repo: string;
  /** Only PRs updated at or after this time. */
  since?: Date;
  state: "all" | "open" | "closed";
  key: Buffer;
};

export type AuditResult = {
  repository: { full_name: string; id: number };
  /** PRs listed (updated since `since`), judged by Lockstep or not. */
  listed: number;
  /** The PRs that carry Lockstep's comment, most recently updated first. */
  pulls: AuditedPull[];
  /** Things worth telling the user that do not change the result (duplicate comments). */
  notes: string[];
};

/**
 * Reads the sign-off records of a repository's pull requests: one request for the repository (its
 * id is part of what each record signs), the PRs updated since `since` (newest first, so paging
 * stops at the first older one), then each PR's comments. API errors propagate.
 */
export async function collectAudit(octokit: Octokit, query: AuditQuery): Promise<AuditResult> {
  const { owner, repo } = query;
  const { data: repository } = await octokit.rest.repos.get({ owner, repo });
  const since = query.since?.getTime();
  const listed = await octokit.paginate(
    octokit.rest.pulls.list,
    { owner, repo, state: query.state, sort: "updated", direction: "desc", per_page: 100 },
    (response, done) => {
      const recent = response.data.filter((p) => since === undefined || Date.parse(p.updated_at) >= since);
      if (recent.length < response.data.length) done();
      return recent;
    },
  );
  const pulls: AuditedPull[] = [];
  const notes: string[] = [];
  for (const p of listed) {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: p.number, per_page: 100 });
    const [comment, ...extra] = findLockstepComments(comments);
    if (!comment) continue;
    // The App keeps one comment and deletes copies; another bot may still have pasted the marker.
    if (extra.length > 0) notes.push(`#${p.number}: ${extra.length + 1} bot comments carry Lockstep's marker; using the oldest, by ${comment.user?.login}`);
    pulls.push(auditPull(summarize(p, repository.full_name), comment, query.key, repository.id));
  }
  return { repository: { full_name: repository.full_name, id: repository.id }, listed: listed.length, pulls, notes };
}

type ListedPull = Awaited<ReturnType<Octokit["rest"]["pulls"]["list"]>>["data"][number];

function summarize(p: ListedPull, repo: string): PullSummary {
  return {
    repo,
    number: p.number,
    title: p.title,
    author: p.user?.login ?? "ghost",
    url: p.html_url,
    state: p.merged_at ? "merged" : p.state === "closed" ? "closed" : "open",
    head_sha: p.head.sha,
    updated_at: p.updated_at,
    merged_at: p.merged_at,
    closed_at: p.closed_at,
  };
}
