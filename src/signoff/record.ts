import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Risk, RiskLevel } from "../types.js";

/** How one item (or a whole checklist, for a waiver) was signed off. */
export type SignOff = {
  by: string;
  at: string;
  via: "tick" | "review" | "waive";
  /** The review that signed it off (via review): dismissing that review withdraws it. */
  review?: number;
  /** The written reason of a waiver. */
  reason?: string;
};

export type ChecklistState = {
  /** Item id → its sign-off. */
  items: Record<string, SignOff>;
  waived?: SignOff;
  /** Fingerprints of the triggers present at the last sign-off (see fingerprintHits). */
  reviewed: string[];
};

export type AuditEvent = {
  at: string;
  by: string;
  action: "tick" | "untick" | "approve" | "dismiss" | "waive" | "reset" | "refused" | "restored";
  checklist?: string;
  item?: string;
  sha?: string;
  reason?: string;
};

/** Sign-off state of one pull request, kept in Lockstep's comment as a signed record. */
export type SignoffState = {
  v: 1;
  /** Repository id and PR number the record belongs to: part of what the HMAC signs. */
  repo: number;
  pr: number;
  /** The head sha and outcome of the last evaluation, for the audit export. */
  sha?: string;
  risk?: RiskLevel;
  fired?: Record<string, Risk>;
  checklists: Record<string, ChecklistState>;
  /** Append-only audit trail (the oldest entries are dropped past MAX_LOG). */
  log: AuditEvent[];
};

export const MAX_LOG = 200;
const PREFIX = "<!-- lockstep:state v1 ";
const RECORD = /<!-- lockstep:state v1 ([A-Za-z0-9_-]+)\.([0-9a-f]{64}) -->/;

export function emptyState(repo: number, pr: number): SignoffState {
  return { v: 1, repo, pr, checklists: {}, log: [] };
}

/**
 * The key that signs records: LOCKSTEP_STATE_KEY when set, else one derived from the webhook
 * secret (so a deployment needs no extra secret, and the webhook secret itself is never used raw).
 */
export function stateKey(env: { LOCKSTEP_STATE_KEY?: string; WEBHOOK_SECRET?: string }): Buffer {
  if (env.LOCKSTEP_STATE_KEY) return Buffer.from(env.LOCKSTEP_STATE_KEY, "utf8");
  return createHmac("sha256", "lockstep-state-v1").update(env.WEBHOOK_SECRET ?? "development").digest();
}

/** The hidden, signed block that carries `state` inside a comment body. */
export function encodeRecord(state: SignoffState, key: Buffer): string {
  const payload = Buffer.from(JSON.stringify(state), "utf8").toString("base64url");
  return `${PREFIX}${payload}.${mac(payload, state.repo, state.pr, key)} -->`;
}

export type ReadResult =
  | { kind: "valid"; state: SignoffState }
  | { kind: "missing" }
  | { kind: "invalid"; reason: string };

/**
 * Reads and verifies the record in a comment body for repository `repo`, PR `pr`. A record that
 * was edited, signed with another key, or copied from another PR or repository is `invalid`.
 */
export function readRecord(body: string, key: Buffer, repo: number, pr: number): ReadResult {
  const m = RECORD.exec(body);
  if (!m) return body.includes(PREFIX) ? { kind: "invalid", reason: "the sign-off record is damaged" } : { kind: "missing" };
  const [, payload, signature] = m as unknown as [string, string, string];
  const expected = Buffer.from(mac(payload, repo, pr, key), "hex");
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex")))
    return { kind: "invalid", reason: "the sign-off record's signature does not match (edited by hand, or copied from another pull request)" };
  try {
    const state = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as SignoffState;
    if (state.v !== 1 || state.repo !== repo || state.pr !== pr) return { kind: "invalid", reason: "the sign-off record belongs to another pull request" };
    return { kind: "valid", state };
  } catch {
    return { kind: "invalid", reason: "the sign-off record cannot be read" };
  }
}

function mac(payload: string, repo: number, pr: number, key: Buffer): string {
  // The scope is signed too: a valid record pasted into another PR or repo fails verification.
  return createHmac("sha256", key).update(`lockstep-state/v1\n${repo}\n${pr}\n${payload}`).digest("hex");
}

/** A short, stable fingerprint of one trigger hit: file, kind and line content (not the line number, which moves). */
export function fingerprint(hit: { file: string; kind: string; text?: string; trigger: number }): string {
  return createHash("sha256").update(`${hit.trigger}\0${hit.file}\0${hit.kind}\0${hit.text ?? ""}`).digest("base64url").slice(0, 10);
}
