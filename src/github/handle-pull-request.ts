import type { Context } from "probot";
import { evaluate } from "../core/evaluate.js";
import { observeEvaluation } from "../runtime/metrics.js";
import { plan, type Judgement, type Plan, type PullRequestState } from "../plan.js";
import { withCommentLink, withNotes } from "../render/check-run.js";
import type { HeadMemory } from "../runtime/head-memory.js";
import type { KeyedLock, LockInfo } from "../runtime/lock.js";
import type { Checklist } from "../types.js";
import { COMMENT_LIMIT } from "../render/comment.js";
import { encodeRecord } from "../signoff/record.js";
import type { ActorCache } from "./actor.js";
import type { TtlCache } from "../runtime/ttl-cache.js";
import { applySignoff, type SignoffEvent } from "./apply-signoff.js";
import { syncLabels } from "./labels.js";
import type { CheckRunMemo, KnownRun } from "./check-run-memo.js";
import { listFiles } from "./list-files.js";
import { loadConfig, type ConfigCaches } from "./load-config.js";
import { errorMessage, type AppIdentity, type RepoClient } from "./repo-client.js";
import { requestReviewers } from "./request-reviewers.js";
import { validateHeadConfig } from "./validate-head-config.js";
import { writeCheckRun } from "./write-check-run.js";
import { findOwnComments, writeComment, type OwnComment } from "./write-comment.js";

/** The PR fields Lockstep reads; webhook payloads and `pulls.get` both have them. */
export type PullRequestLike = {
  number: number;
  /** Matched by checklist triggers with `titles`. */
  title?: string;
  state: string;
  draft?: boolean;
  html_url: string;
  /** Orders events of one PR: a late event for an older head must not undo a newer one. */
  updated_at?: string;
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
  checkRun?: { id: number; headSha: string; annotations?: number };
  /** A tick, review or waiver to apply to the sign-off state. */
  signoff?: SignoffEvent;
};

export type Deps = {
  builtins: Checklist[];
  identity: AppIdentity;
  /** Serialises work on one PR: concurrent deliveries must not both create a comment. */
  lock: KeyedLock;
  /** The newest head worked on per PR (shared by replicas with Redis): stale events and first sight of a PR. */
  heads: HeadMemory;
  checkRuns: CheckRunMemo;
  /** Signs the sign-off records (SPEC §1): never logged, never rendered. */
  stateKey: Buffer;
  actors: ActorCache;
  /** The org config and parsed configurations this process read recently. */
  configs: ConfigCaches;
  /** Labels this process saw exist: not created again on every event. */
  labels: TtlCache<true>;
  /** The clock, for sign-off timestamps. */
  now?: () => Date;
};

/**
 * Evaluates one PR and writes Lockstep's outputs: gather (config from the base ref, files) →
 * evaluate → plan → execute (the check run first, then comment, reviewers and labels together).
 * Closed PRs and PRs whose fork was deleted are ignored. Only the check run's errors propagate.
 * Runs under the per-PR lock (across replicas with Redis). An event for a head that is no longer
 * the PR's (a late delivery for an older push) changes nothing.
 */
export async function handlePullRequest(context: Context, target: Target, deps: Deps): Promise<void> {
  const { owner, repo } = context.repo();
  const gh: RepoClient = { octokit: context.octokit, log: context.log, owner, repo };
  const number = typeof target.pull === "number" ? target.pull : target.pull.number;
  const repoId = (context.payload as { repository: { id: number } }).repository.id;
  const key = `${owner}/${repo}#${number}`;
  await deps.lock.run(key, (lock) => evaluatePullRequest({ ...gh, repoId }, target, deps, { key, ...lock }));
}

type Gh = RepoClient & { repoId: number };

async function evaluatePullRequest(gh: Gh, requested: Target, deps: Deps, lock: LockInfo & { key: string }): Promise<void> {
  const pull = typeof requested.pull === "number" ? (await gh.octokit.rest.pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: requested.pull })).data : requested.pull;
  if (pull.state !== "open" || pull.head.repo === null) {
    gh.log.debug({ pull: pull.number }, "closed PR or deleted fork: ignored");
    return;
  }
  const target = await freshness(gh, pull, requested, deps, lock);
  if (!target) return;
  const pr = toState(gh, pull);

  let judgement = await judge(gh, pull, pr, deps).catch((error: unknown): Judgement => {
    const api = typeof error === "object" && error !== null && "status" in error;
    gh.log.error({ err: error, pull: pr.number }, api ? "could not gather the pull request" : "could not evaluate the pull request");
    return { kind: "unavailable", message: errorMessage(error), cause: api ? "github" : "internal" };
  });
  let signed: Signed | undefined;
  if (judgement.kind === "evaluated")
    try {
      signed = await signOff(gh, judgement, pr, target, deps);
    } catch (error) {
      // Without the sign-off state nothing can be signed off: fail, never pass, and retry later.
      gh.log.error({ err: error, pull: pr.number }, "could not read the sign-off state");
      judgement = { kind: "unavailable", message: `could not read the sign-off state from Lockstep's comment: ${errorMessage(error)}` };
    }
  const decided = await decide(gh, judgement, pr, target, signed?.record);
  await execute(gh, decided, pr, target, deps, signed);
}

/**
 * Checks the event against the newest head seen for the PR, and narrows what it may assume:
 * "just opened" and "new sha" (which skip the comment and check-run look-ups) hold only the
 * first time a PR and a sha are seen, without contention; a redelivery, another replica's earlier
 * work or a queue on the lock turns the look-ups back on. Returns undefined for a stale event:
 * its head was replaced by a newer push (by `updated_at`; on a tie GitHub is asked).
 */
async function freshness(gh: RepoClient, pull: PullRequestLike, target: Target, deps: Deps, lock: LockInfo & { key: string }): Promise<Target | undefined> {
  const at = Date.parse(pull.updated_at ?? "");
  const seen = { sha: pull.head.sha, at: Number.isFinite(at) ? at : 0 };
  const previous = await deps.heads.observe(lock.key, seen);
  if (previous && previous.sha !== seen.sha && seen.at > 0 && seen.at <= previous.at) {
    const stale =
      seen.at < previous.at ||
      (await gh.octokit.rest.pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: pull.number })).data.head.sha !== seen.sha;
    if (stale) {
      gh.log.info({ pull: pull.number, sha: seen.sha, newer: previous.sha }, "event for a superseded head: the newer head's results stand");
      return undefined;
    }
    // A tie that GitHub settled for this head: record it as the newer one (a millisecond later).
    await deps.heads.observe(lock.key, { sha: seen.sha, at: previous.at + 1 });
  }
  const firstSight = !lock.contended && previous === undefined;
  const { opened, newSha, ...rest } = target;
  return {
    ...rest,
    ...(opened && firstSight ? { opened } : {}),
    ...(newSha && !lock.contended && previous?.sha !== seen.sha ? { newSha } : {}),
  };
}

type Signed = { record: string; found: OwnComment[]; notices: string[]; replies: string[] };

/**
 * Reads the sign-off state from Lockstep's comment (looked up once, reused for the write), brings
 * it up to this evaluation and applies the event. Sets `judgement.signoff`.
 */
async function signOff(gh: Gh, judgement: Extract<Judgement, { kind: "evaluated" }>, pr: PullRequestState, target: Target, deps: Deps): Promise<Signed> {
  const found = target.opened ? [] : await findOwnComments(gh, pr.number, deps.identity);
  const result = await applySignoff(
    gh,
    {
      key: deps.stateKey,
      repoId: gh.repoId,
      number: pr.number,
      author: pr.author,
      sha: pr.headSha,
      evaluation: judgement.evaluation,
      config: judgement.config,
      ...(found[0]?.body ? { body: found[0].body } : {}),
      ...(target.signoff ? { event: target.signoff } : {}),
      now: (deps.now?.() ?? new Date()).toISOString(),
    },
    deps.actors,
  );
  judgement.signoff = result.state;
  return { record: encodeRecord(result.state, deps.stateKey), found, notices: result.notices, replies: result.replies };
}

async function judge(gh: RepoClient, pull: PullRequestLike, pr: PullRequestState, deps: Deps): Promise<Judgement> {
  const loaded = await loadConfig(gh, pull.base.ref, deps.builtins, deps.configs);
  if (!loaded.ok) return { kind: "invalid-config", problems: loaded.problems, configSources: loaded.sources, repoFiles: loaded.repoFiles };
  if (pr.draft && loaded.config.drafts === "skip") return { kind: "draft-skipped" };
  const { files, incomplete } = await listFiles(gh, pr.number, pull.changed_files);
  const headProblems = await validateHeadConfig(gh, files, pr.headSha, { config: loaded.config, knownChecklists: [...deps.builtins, ...loaded.checklists] });
  const started = performance.now();
  const evaluation = evaluate(files, loaded.config, loaded.checklists, { titles: pull.title ? [pull.title] : [] });
  observeEvaluation(performance.now() - started, evaluation.risk);
  return {
    kind: "evaluated",
    evaluation,
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
async function decide(gh: RepoClient, judgement: Judgement, pr: PullRequestState, target: Target, record?: string): Promise<Plan> {
  // The signed record is appended to the comment: leave it room under GitHub's cap.
  const commentLimit = COMMENT_LIMIT - (record ? record.length + 1 : 0);
  const first = plan(judgement, pr, { reviewedBy: [], mayHaveComment: !target.opened, commentLimit });
  if (target.opened || (first.reviewers.users.length === 0 && first.reviewers.teams.length === 0)) return first;
  try {
    const fresh = await reviewState(gh, pr.number);
    const current = { ...pr, requestedUsers: fresh.requestedUsers, requestedTeams: fresh.requestedTeams };
    return plan(judgement, current, { reviewedBy: fresh.reviewedBy, mayHaveComment: true, commentLimit });
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

/**
 * Carries out the plan. The check run goes first: it is what branch protection waits for, and
 * Probot spaces writes about a second apart per installation, so every write before it would
 * delay the merge. The comment, reviewers, labels and replies follow together (each best effort:
 * one failing never stops the others). Only when one of them failed is the check updated once
 * more, to say so. A check run that cannot be written is logged and its error propagates after
 * the other writes, so that the delivery fails visibly and GitHub can redeliver it.
 */
async function execute(gh: RepoClient, decided: Plan, pr: PullRequestState, target: Target, deps: Deps, signed?: Signed): Promise<void> {
  const repo = `${gh.owner}/${gh.repo}`;
  const existing = signed?.found[0]?.html_url;
  // A comment about to be created has no URL yet: point at the PR, where it will be.
  const link = existing ?? (decided.comment.kind === "upsert" ? pr.htmlUrl : undefined);
  const output = (notes: string[]) => withNotes(link ? withCommentLink(decided.check.output, link) : decided.check.output, notes);
  const known = target.checkRun?.headSha === pr.headSha ? { id: target.checkRun.id, annotations: target.checkRun.annotations ?? 0 } : deps.checkRuns.get(repo, pr.headSha);
  const check = async (notes: string[], run: KnownRun | undefined) =>
    writeCheckRun(gh, {
      headSha: pr.headSha,
      conclusion: decided.check.conclusion,
      output: output(notes),
      ...(link ? { detailsUrl: link } : {}),
      externalId: String(pr.number),
      ...(run !== undefined ? { known: run } : {}),
      lookup: !target.newSha,
      appId: await deps.identity.id(),
    });
  const logFailure = (error: unknown) =>
    gh.log.error({ err: error, pull: pr.number, sha: pr.headSha }, "could not write the Lockstep check run; the delivery fails so that it can be redelivered");

  const notices = signed?.notices ?? [];
  const first = await check(notices, known).then(
    (run) => ({ run }),
    (error: unknown) => (logFailure(error), { error }),
  );
  if ("run" in first) deps.checkRuns.set(repo, pr.headSha, first.run);

  const commentPlan = signed && decided.comment.kind !== "none" ? { ...decided.comment, body: `${decided.comment.body}\n${signed.record}` } : decided.comment;
  const written = await Promise.all([
    bestEffort(gh, "write Lockstep's comment", () => writeComment(gh, pr.number, commentPlan, deps.identity, signed?.found), (note) => [note]),
    bestEffort(gh, "request reviewers", () => requestReviewers(gh, pr.number, decided.reviewers), (note) => [note]),
    bestEffort(gh, "update the labels", () => syncLabels(gh, pr.number, decided.labels, deps.labels), (note) => [note]),
    bestEffort(gh, "reply on the pull request", () => reply(gh, pr.number, signed?.replies ?? []), (note) => [note]),
  ]);
  if ("error" in first) throw first.error;

  const notes = written.flat();
  if (notes.length === 0) return;
  const run = await check([...notices, ...notes], first.run).catch((error: unknown) => {
    logFailure(error);
    throw error;
  });
  deps.checkRuns.set(repo, pr.headSha, run);
}

/** Runs a secondary write; an unexpected throw becomes a note on the check instead of stopping the rest. */
async function bestEffort<T>(gh: RepoClient, what: string, write: () => Promise<T>, onError: (note: string) => T): Promise<T> {
  try {
    return await write();
  } catch (error) {
    gh.log.warn({ err: error }, `could not ${what}`);
    return onError(`Could not ${what}: ${errorMessage(error)}`);
  }
}

/** Posts replies (e.g. a refused command); best effort, like every secondary write. */
async function reply(gh: RepoClient, number: number, replies: string[]): Promise<string[]> {
  const notes: string[] = [];
  for (const body of replies)
    await gh.octokit.rest.issues.createComment({ owner: gh.owner, repo: gh.repo, issue_number: number, body }).catch((error: unknown) => {
      gh.log.warn({ err: error, pull: number }, "could not post a reply");
      notes.push(`Could not reply on the pull request: ${errorMessage(error)}`);
    });
  return notes;
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
