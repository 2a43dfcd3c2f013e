import type { Checklist, Evaluation, Problem, RepoConfig } from "./types.js";
import type { SignoffState } from "./signoff/record.js";
import { outstanding } from "./signoff/state.js";
import { RISKS, reaches } from "./types.js";
import { renderClearedComment, renderComment } from "./render/comment.js";
import {
  renderDraftSkippedCheck,
  renderEvaluationCheck,
  renderInvalidConfigCheck,
  renderUnavailableCheck,
  type CheckConclusion,
  type CheckOutput,
} from "./render/check-run.js";

/** What Lockstep knows about the PR from the webhook payload (or one `pulls.get`). */
export type PullRequestState = {
  owner: string;
  repo: string;
  number: number;
  htmlUrl: string;
  headSha: string;
  author: string;
  draft: boolean;
  labels: string[];
  requestedUsers: string[];
  requestedTeams: string[];
};

/** How the PR was judged: evaluated, or stopped before evaluation. */
export type Judgement =
  | {
      kind: "evaluated";
      evaluation: Evaluation;
      config: RepoConfig;
      /** The active checklists (for the labels Lockstep manages). */
      checklists: Checklist[];
      configSources: string[];
      headProblems: Problem[];
      incomplete?: { listed: number; total?: number };
      /** Who signed off what (SPEC §1 "Sign-off state"); absent means nobody yet. */
      signoff?: SignoffState;
    }
  | { kind: "invalid-config"; problems: Problem[]; configSources: string[]; repoFiles: string[] }
  | { kind: "draft-skipped" }
  /** GitHub failed while Lockstep gathered the PR: never a success, and say how to retry. */
  | { kind: "unavailable"; message: string; /** `internal`: Lockstep itself failed (a bug), not GitHub. */ cause?: "github" | "internal" };

/** State looked up on GitHub, only where the payload does not tell. */
export type ExistingState = {
  /** Logins that already reviewed the PR. */
  reviewedBy: string[];
  /** False right after `opened`: there cannot be a Lockstep comment yet, so none is looked up. */
  mayHaveComment: boolean;
  /** Room for the comment body (GitHub's cap less the signed record appended to it). */
  commentLimit?: number;
};

export type LabelSpec = { name: string; color: string; description: string };

export type CommentPlan =
  | { kind: "none" }
  /** Create the comment, or edit it when it exists (`lookup`: whether to look for it first). */
  | { kind: "upsert"; body: string; lookup: boolean }
  /** Edit the comment if it exists; never create one. */
  | { kind: "update-only"; body: string };

export type Plan = {
  check: { conclusion: CheckConclusion; output: CheckOutput };
  comment: CommentPlan;
  reviewers: { users: string[]; teams: string[] };
  labels: { add: LabelSpec[]; remove: string[] };
};

const NOTHING = { comment: { kind: "none" }, reviewers: { users: [], teams: [] }, labels: { add: [], remove: [] } } as const satisfies Omit<Plan, "check">;

/**
 * Decides everything Lockstep writes for one PR; pure. Conclusions (SPEC §2.2): `success` when
 * nothing fired, `neutral` below `block_at`, `action_required` while blocking (sign-off comes
 * later), `failure` for invalid configuration, a PR that could not be listed in full, or an
 * evaluation GitHub's API did not let finish.
 */
export function plan(judgement: Judgement, pr: PullRequestState, existing: ExistingState): Plan {
  if (judgement.kind === "invalid-config")
    return { ...copy(NOTHING), check: { conclusion: "failure", output: renderInvalidConfigCheck(judgement.problems, judgement.configSources, new Set(judgement.repoFiles)) } };
  if (judgement.kind === "unavailable") return { ...copy(NOTHING), check: { conclusion: "failure", output: renderUnavailableCheck(judgement.message, judgement.cause) } };
  if (judgement.kind === "draft-skipped") return { ...copy(NOTHING), check: { conclusion: "neutral", output: renderDraftSkippedCheck() } };

  const { evaluation: ev, config } = judgement;
  const conclusion = decideConclusion(judgement);
  const comment = planComment(ev, pr, existing, judgement.signoff);
  return {
    check: { conclusion, output: renderEvaluationCheck({ ...judgement, conclusion }) },
    comment,
    reviewers: planReviewers(ev, config, pr, existing),
    labels: planLabels(ev, config, judgement.checklists, pr),
  };
}

function decideConclusion(j: Extract<Judgement, { kind: "evaluated" }>): CheckConclusion {
  if (j.incomplete || j.headProblems.some((p) => p.severity !== "warning")) return "failure";
  if (j.evaluation.risk === "none") return "success";
  if (!j.evaluation.decisions.blocking) return "neutral";
  // Blocking until every item of every blocking checklist is signed off (or the checklist waived).
  return j.signoff && outstanding(j.signoff, j.evaluation, j.config).length === 0 ? "success" : "action_required";
}

function planComment(ev: Evaluation, pr: PullRequestState, existing: ExistingState, signoff: SignoffState | undefined): CommentPlan {
  const ref = { owner: pr.owner, repo: pr.repo, number: pr.number, htmlUrl: pr.htmlUrl };
  const input = { pr: ref, headSha: pr.headSha, evaluation: ev, checkRunUrl: `${pr.htmlUrl}/checks`, ...(signoff ? { signoff } : {}) };
  if (ev.decisions.comment) return { kind: "upsert", body: renderComment(input, existing.commentLimit), lookup: existing.mayHaveComment };
  if (!existing.mayHaveComment) return { kind: "none" };
  // Below `comment_at` an existing comment is kept truthful; it is never created.
  const body = ev.risk === "none" ? renderClearedComment(ref, pr.headSha) : renderComment(input, existing.commentLimit);
  return { kind: "update-only", body };
}

function planReviewers(ev: Evaluation, config: RepoConfig, pr: PullRequestState, existing: ExistingState): Plan["reviewers"] {
  if (!ev.decisions.requestReview || pr.draft) return { users: [], teams: [] };
  const roles = new Set(ev.checklists.filter((f) => reaches(f.risk, config.request_review_at)).map((f) => f.reviewers));
  const skipUsers = new Set([pr.author, ...pr.requestedUsers, ...existing.reviewedBy].map((l) => l.toLowerCase()));
  const skipTeams = new Set(pr.requestedTeams.map((t) => t.toLowerCase()));
  const users = new Set<string>();
  const teams = new Set<string>();
  for (const role of roles) {
    const group = config.roles[role];
    for (const user of group?.users ?? []) if (!skipUsers.has(user.toLowerCase())) users.add(user);
    // The REST API takes team slugs without the organisation.
    for (const team of group?.teams ?? []) {
      const slug = team.includes("/") ? team.slice(team.indexOf("/") + 1) : team;
      if (!skipTeams.has(slug.toLowerCase())) teams.add(slug);
    }
  }
  return { users: [...users], teams: [...teams] };
}

const RISK_COLORS = { low: "0e8a16", medium: "fbca04", high: "b60205" } as const;
const CHECKLIST_COLOR = "5319e7";

/**
 * Labels from `labels.at` up (default medium): `<prefix><risk>` and one per checklist that reaches
 * it. Low-risk work gets none, which also spares its delivery a write. Lockstep's labels that no
 * longer apply go.
 */
function planLabels(ev: Evaluation, config: RepoConfig, checklists: Checklist[], pr: PullRequestState): Plan["labels"] {
  if (!config.labels.enabled) return { add: [], remove: [] };
  const { prefix, at } = config.labels;
  const wanted: LabelSpec[] = [];
  if (ev.risk !== "none" && reaches(ev.risk, at)) wanted.push({ name: `${prefix}${ev.risk}`, color: RISK_COLORS[ev.risk], description: `Lockstep: ${ev.risk} compliance risk` });
  for (const f of ev.checklists)
    if (reaches(f.risk, at)) wanted.push({ name: f.label, color: CHECKLIST_COLOR, description: truncate(`Lockstep: ${f.title}`, 100) });

  const managed = new Set([...RISKS.map((r) => `${prefix}${r}`), ...checklists.map((c) => c.label ?? `${prefix}${c.id}`), ...wanted.map((l) => l.name)].map(lower));
  const current = new Set(pr.labels.map(lower));
  const wantedNames = new Set(wanted.map((l) => lower(l.name)));
  return {
    add: wanted.filter((l) => !current.has(lower(l.name))),
    remove: pr.labels.filter((l) => managed.has(lower(l)) && !wantedNames.has(lower(l))),
  };
}

function lower(s: string): string {
  return s.toLowerCase();
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
