import type { Context } from "probot";
import { evaluate } from "../core/evaluate.js";
import { plan, type Judgement, type Plan, type PullRequestState } from "../plan.js";
import { withCommentLink, withNotes } from "../render/check-run.js";
import type { KeyedLock } from "../runtime/lock.js";
import type { Checklist } from "../types.js";
import { syncLabels } from "./labels.js";
import type { CheckRunMemo } from "./check-run-memo.js";
import { listFiles } from "./list-files.js";
import { loadConfig } from "./load-config.js";
import { errorMessage, type AppIdentity, type RepoClient } from "./repo-client.js";
import { requestReviewers } from "./request-reviewers.js";
import { validateHeadConfig } from "./validate-head-config.js";
import { writeCheckRun } from "./write-check-run.js";
import { writeComment } from "./write-comment.js";

/** The PR fields Lockstep reads; webhook payloads and `pulls.get` both have them. */
export type PullRequestLike = {
  number: number;
  state: string;
  draft?: boolean;
  html_url: string;
  /** Absent from some payloads (e.g. `pull_request_review`). */
  changed_files?: number;
  user: { login: string } | null;
  head: { sha: string; repo: object | null };
  base: { ref: string };
  labels?: ({ name: string } | null)[] | null;
  /** Users (and, in some payloads, teams) whose review is requested. */
  requested_reviewers?: (object | null)[] | null;
  requested_teams?: (object | null)[] | null;
};

/** Which PR to evaluate, and what the event already tells about it. */
export type Target = {
  /** The PR from the payload, or its number when the event carries none (comments, checks). */
  pull: PullRequestLike | number;
  /** Just opened: no comment and no review can exist yet, so none is looked up. */
  opened?: boolean;
  /** The head sha is new (opened, synchronize): there is no earlier check run to reuse. */
  newSha?: boolean;
  /** Lockstep's own run named by the event (`check_run.rerequested`). */
  checkRun?: { id: number; headSha: string };
};

export type Deps = {
  builtins: Checklist[];
  identity: AppIdentity;
  /** Serialises work on one PR: concurrent deliveries must not both create a comment. */
  lock: KeyedLock;
  checkRuns: CheckRunMemo;
};

/**
 * Evaluates one PR and writes Lockstep's outputs: gather (config from the base ref, files) →
 * evaluate → plan → execute (comment, reviewers, labels, then the check run). Closed PRs and
 * PRs whose fork was deleted are ignored. Only the check run's errors propagate. Runs under
 * the per-PR lock.
 */
export async function handlePullRequest(context: Context, target: Target, deps: Deps): Promise<void> {
  const { owner, repo } = context.repo();
  const gh: RepoClient = { octokit: context.octokit, log: context.log, owner, repo };
  const number = typeof target.pull === "number" ? target.pull : target.pull.number;
  await deps.lock.run(`${owner}/${repo}#${number}`, () => evaluatePullRequest(gh, target, deps));
}

async function evaluatePullRequest(gh: RepoClient, target: Target, deps: Deps): Promise<void> {
  const pull = typeof target.pull === "number" ? (await gh.octokit.rest.pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: target.pull })).data : target.pull;
  if (pull.state !== "open" || pull.head.repo === null) {
    gh.log.debug({ pull: pull.number }, "closed PR or deleted fork: ignored");
    return;
  }
  const pr = toState(gh, pull);

  const judgement = await judge(gh, pull, pr, deps).catch((error: unknown): Judgement => {
    gh.log.error({ err: error, pull: pr.number }, "could not gather the pull request");
    return { kind: "unavailable", message: errorMessage(error) };
  });
  const decided = await decide(gh, judgement, pr, target);
  await execute(gh, decided, pr, target, deps);
}

async function judge(gh: RepoClient, pull: PullRequestLike, pr: PullRequestState, deps: Deps): Promise<Judgement> {
  const loaded = await loadConfig(gh, pull.base.ref, deps.builtins);
  if (!loaded.ok) return { kind: "invalid-config", problems: loaded.problems, configSources: loaded.sources, repoFiles: loaded.repoFiles };
  if (pr.draft && loaded.config.drafts === "skip") return { kind: "draft-skipped" };
  const { files, incomplete } = await listFiles(gh, pr.number, pull.changed_files);
  const headProblems = await validateHeadConfig(gh, files, pr.headSha, { config: loaded.config, knownChecklists: [...deps.builtins, ...loaded.checklists] });
  return {
    kind: "evaluated",
    evaluation: evaluate(files, loaded.config, loaded.checklists),
    config: loaded.config,
    checklists: loaded.checklists,
    configSources: loaded.sources,
    headProblems,
    ...(incomplete ? { incomplete } : {}),
  };
}

/**
 * Plans. When someone would be requested, re-plans once with GitHub's current review state: the
 * payload can be stale (concurrent events). Right after `opened` there is nothing to look up.
 */
async function decide(gh: RepoClient, judgement: Judgement, pr: PullRequestState, target: Target): Promise<Plan> {
  const first = plan(judgement, pr, { reviewedBy: [], mayHaveComment: !target.opened });
  if (target.opened || (first.reviewers.users.length === 0 && first.reviewers.teams.length === 0)) return first;
  try {
    const fresh = await reviewState(gh, pr.number);
    const current = { ...pr, requestedUsers: fresh.requestedUsers, requestedTeams: fresh.requestedTeams };
    return plan(judgement, current, { reviewedBy: fresh.reviewedBy, mayHaveComment: true });
  } catch (error) {
    gh.log.warn({ err: error, pull: pr.number }, "could not read the review state; using the payload's");
    return first;
  }
}

/** Who already reviewed, and whose review is requested right now. */
async function reviewState(gh: RepoClient, pullNumber: number) {
  const where = { owner: gh.owner, repo: gh.repo, pull_number: pullNumber };
  const [reviews, requested] = await Promise.all([
    gh.octokit.paginate(gh.octokit.rest.pulls.listReviews, { ...where, per_page: 100 }),
    gh.octokit.rest.pulls.listRequestedReviewers(where),
  ]);
  return {
    reviewedBy: reviews.flatMap((r) => (r.user ? [r.user.login] : [])),
    requestedUsers: requested.data.users.map((u) => u.login),
    requestedTeams: requested.data.teams.map((t) => t.slug),
  };
}

async function execute(gh: RepoClient, decided: Plan, pr: PullRequestState, target: Target, deps: Deps): Promise<void> {
  const comment = await writeComment(gh, pr.number, decided.comment, deps.identity);
  const notes = [...comment.notes, ...(await requestReviewers(gh, pr.number, decided.reviewers)), ...(await syncLabels(gh, pr.number, decided.labels))];
  const output = withNotes(comment.url ? withCommentLink(decided.check.output, comment.url) : decided.check.output, notes);
  const repo = `${gh.owner}/${gh.repo}`;
  const knownId = target.checkRun?.headSha === pr.headSha ? target.checkRun.id : deps.checkRuns.get(repo, pr.headSha);
  const id = await writeCheckRun(gh, {
    headSha: pr.headSha,
    conclusion: decided.check.conclusion,
    output,
    ...(comment.url ? { detailsUrl: comment.url } : {}),
    externalId: String(pr.number),
    ...(knownId !== undefined ? { knownId } : {}),
    lookup: !target.newSha,
    appId: await deps.identity.id(),
  });
  deps.checkRuns.set(repo, pr.headSha, id);
}

function toState(gh: RepoClient, pull: PullRequestLike): PullRequestState {
  return {
    owner: gh.owner,
    repo: gh.repo,
    number: pull.number,
    htmlUrl: pull.html_url,
    headSha: pull.head.sha,
    author: pull.user?.login ?? "",
    draft: pull.draft === true,
    labels: (pull.labels ?? []).flatMap((l) => (l ? [l.name] : [])),
    requestedUsers: (pull.requested_reviewers ?? []).flatMap((r) => field(r, "login")),
    requestedTeams: (pull.requested_teams ?? []).flatMap((t) => field(t, "slug")),
  };
}

function field(value: object | null, key: "login" | "slug"): string[] {
  const v: unknown = value && key in value ? (value as Record<string, unknown>)[key] : undefined;
  return typeof v === "string" ? [v] : [];
}
