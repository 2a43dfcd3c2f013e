import { COMMENT_MARKER } from "../render/comment.js";
import { readRecord, type AuditEvent, type SignOff, type SignoffState } from "../signoff/record.js";
import { compareRisk, type Risk, type RiskLevel } from "../types.js";

/** What the audit needs of a pull request, taken from GitHub's "list pull requests" response. */
export type PullSummary = {
  repo: string;
  number: number;
  title: string;
  author: string;
  url: string;
  state: "open" | "closed" | "merged";
  /** The PR's head commit now (compare with `record.sha`, the head Lockstep last judged). */
  head_sha: string;
  updated_at: string;
  merged_at: string | null;
  closed_at: string | null;
};

/** One sign-off: an item ticked or approved, or a whole checklist waived (`item: null`). */
export type AuditSignoff = {
  checklist: string;
  item: string | null;
  by: string;
  at: string;
  via: SignOff["via"];
  review: number | null;
  reason: string | null;
};

/** The trusted content of a verified record. */
export type AuditRecord = {
  /** The head commit Lockstep last evaluated; null in records written before it was kept. */
  sha: string | null;
  risk: RiskLevel | null;
  /** Fired checklists, highest risk first, then by id. */
  checklists: { id: string; risk: Risk }[];
  signoffs: AuditSignoff[];
  /** The record's audit log, oldest first (the App keeps the latest 200 events). */
  events: AuditEvent[];
};

export type Verified = "valid" | "invalid" | "missing";

/** A PR Lockstep judged, with its verified record (`record` is null unless `verified` is `valid`). */
export type AuditedPull = PullSummary & {
  comment_url: string;
  verified: Verified;
  /** Why the record failed verification (`invalid` only). */
  invalid_reason: string | null;
  record: AuditRecord | null;
};

/** The authorship fields of an issue comment. */
export type CommentLike = { id: number; body?: string | null; html_url: string; user: { login: string; type?: string } | null };

/**
 * Lockstep's comments among a PR's comments, oldest first: the body starts with the marker AND a
 * bot wrote it. Anyone can paste the marker, so a person's copy is never taken for Lockstep's.
 */
export function findLockstepComments<C extends CommentLike>(comments: C[]): C[] {
  return comments.filter((c) => c.user?.type === "Bot" && (c.body ?? "").startsWith(COMMENT_MARKER)).sort((a, b) => a.id - b.id);
}

/**
 * Verifies the record in Lockstep's comment on `pull` (repository id `repoId`) with `key` and
 * returns what an auditor may rely on. An invalid record's content is dropped, never shown.
 */
export function auditPull(pull: PullSummary, comment: CommentLike, key: Buffer, repoId: number): AuditedPull {
  const read = readRecord(comment.body ?? "", key, repoId, pull.number);
  const base = { ...pull, comment_url: comment.html_url };
  if (read.kind === "missing") return { ...base, verified: "missing", invalid_reason: null, record: null };
  if (read.kind === "invalid") return { ...base, verified: "invalid", invalid_reason: read.reason, record: null };
  return { ...base, verified: "valid", invalid_reason: null, record: toAuditRecord(read.state) };
}

function toAuditRecord(state: SignoffState): AuditRecord {
  const checklists = Object.entries(state.fired ?? {})
    .map(([id, risk]) => ({ id, risk }))
    .sort((a, b) => compareRisk(b.risk, a.risk) || a.id.localeCompare(b.id));
  const signoffs: AuditSignoff[] = [];
  for (const [checklist, c] of Object.entries(state.checklists).sort(([a], [b]) => a.localeCompare(b))) {
    if (c.waived) signoffs.push(signoff(checklist, null, c.waived));
    for (const [item, s] of Object.entries(c.items).sort(([a], [b]) => a.localeCompare(b))) signoffs.push(signoff(checklist, item, s));
  }
  return { sha: state.sha ?? null, risk: state.risk ?? null, checklists, signoffs, events: state.log };
}

function signoff(checklist: string, item: string | null, s: SignOff): AuditSignoff {
  return { checklist, item, by: s.by, at: s.at, via: s.via, review: s.review ?? null, reason: s.reason ?? null };
}
