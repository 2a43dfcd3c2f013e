import type { Evaluation, RepoConfig } from "../types.js";
import { checkboxChanges } from "../signoff/checkboxes.js";
import { emptyState, readRecord, type SignoffState } from "../signoff/record.js";
import { approve, mayTick, mayWaive, reconcile, refuse, restore, setItem, signOffOf, waive, withdrawReview, type Actor } from "../signoff/state.js";
import { resolveActor, type ActorCache } from "./actor.js";
import type { RepoClient } from "./repo-client.js";

/** What happened, as far as sign-off is concerned. */
export type SignoffEvent =
  /** A person edited Lockstep's comment: `before` is the body they edited, `after` what they saved. */
  | { kind: "edit"; before: string; after: string; sender: string }
  | { kind: "review"; action: "submitted" | "dismissed"; state: string; reviewer: string; reviewId: number }
  | { kind: "waive"; checklist: string; reason: string; sender: string };

export type SignoffInput = {
  key: Buffer;
  repoId: number;
  number: number;
  author: string;
  sha: string;
  evaluation: Evaluation;
  config: RepoConfig;
  /** Lockstep's comment as it is now, if there is one. */
  body?: string;
  event?: SignoffEvent;
  now: string;
};

export type SignoffResult = {
  state: SignoffState;
  /** For the check output: a record that failed verification, and what was done about it. */
  notices: string[];
  /** Replies to post on the PR (a refused command). */
  replies: string[];
};

/**
 * Works out the PR's sign-off state: the verified record from Lockstep's comment (or, when that
 * was tampered with, the last valid one from before a person's edit), brought up to the new
 * evaluation (resets for new triggers), then the event applied with its author's rights checked.
 * Refusals are recorded in the state's log, so the comment shows them.
 */
export async function applySignoff(gh: RepoClient, input: SignoffInput, cache: ActorCache): Promise<SignoffResult> {
  const notices: string[] = [];
  const replies: string[] = [];
  let state = loadState(input, notices);
  state = reconcile(state, input.evaluation, input.sha, input.now).state;
  const event = input.event;
  if (!event) return { state, notices, replies };
  const actor = (login: string, need: { write?: boolean; roles?: string[] }): Promise<Actor> =>
    resolveActor(gh, login, input.author, input.config, need, cache);

  if (event.kind === "edit") {
    // A tick made on the comment of an older push signs off what that push showed, not what is
    // there now: it is refused (the person ticks again on the current version).
    const seen = readRecord(event.before, input.key, input.repoId, input.number);
    const stale = seen.kind === "valid" && seen.state.sha !== undefined && seen.state.sha !== input.sha ? seen.state.sha : undefined;
    for (const change of checkboxChanges(event.before, event.after)) {
      const finding = input.evaluation.checklists.find((f) => f.id === change.checklist);
      const item = finding?.items.find((i) => i.id === change.item);
      if (!finding || !item) continue;
      const signed = signOffOf(state, finding.id, item.id) !== undefined;
      if (signed === change.checked) continue;
      const who = await actor(event.sender, item.owner === "author" ? { write: true } : { roles: [item.owner] });
      const decision = stale
        ? { ok: false as const, reason: `the comment showed ${stale.slice(0, 7)}, but ${input.sha.slice(0, 7)} was pushed meanwhile; tick again on the current version` }
        : mayTick(item.owner, who);
      if (decision.ok) state = setItem(state, finding, item.id, change.checked, event.sender, input.now);
      else
        state = refuse(state, {
          at: input.now,
          by: event.sender,
          checklist: finding.id,
          item: item.id,
          reason: `tried to ${change.checked ? "tick" : "untick"} it: ${decision.reason}`,
        });
    }
  } else if (event.kind === "review") {
    if (event.action === "dismissed") state = withdrawReview(state, event.reviewId, event.reviewer, input.now);
    else if (event.state.toLowerCase() === "approved") {
      const roles = [...new Set(input.evaluation.checklists.flatMap((f) => f.items.map((i) => i.owner)).filter((o) => o !== "author"))];
      const who = await actor(event.reviewer, { roles });
      const allowed = who.roles.filter((role) => mayTick(role, who).ok);
      if (allowed.length) state = approve(state, input.evaluation, allowed, event.reviewer, event.reviewId, input.now);
    } else if (event.state.toLowerCase() === "changes_requested") {
      // A reviewer who now requests changes no longer approves: their earlier approvals lapse.
      for (const c of Object.values(state.checklists))
        for (const s of Object.values(c.items)) if (s.via === "review" && s.by === event.reviewer && s.review !== undefined) state = withdrawReview(state, s.review, event.reviewer, input.now);
    }
  } else {
    const finding = input.evaluation.checklists.find((f) => f.id === event.checklist);
    if (!finding) replies.push(`@${event.sender} Checklist \`${event.checklist}\` does not apply to this pull request, so there is nothing to waive. Applies now: ${input.evaluation.checklists.map((f) => `\`${f.id}\``).join(", ") || "none"}.`);
    else {
      const decision = mayWaive(finding.reviewers, await actor(event.sender, { roles: [finding.reviewers] }));
      if (decision.ok) state = waive(state, finding, event.sender, event.reason, input.now);
      else {
        state = refuse(state, { at: input.now, by: event.sender, checklist: finding.id, reason: `tried to waive it: ${decision.reason}` });
        replies.push(`@${event.sender} The waiver of \`${finding.id}\` was not accepted: ${decision.reason}.`);
      }
    }
  }
  return { state, notices, replies };
}

function loadState(input: SignoffInput, notices: string[]): SignoffState {
  const fresh = emptyState(input.repoId, input.number);
  if (input.body === undefined) return fresh;
  const current = readRecord(input.body, input.key, input.repoId, input.number);
  if (current.kind === "valid") return current.state;
  if (current.kind === "missing" && input.event?.kind !== "edit") return fresh;
  // The record in the comment can't be trusted: fall back to the one from before a person's edit.
  const previous = input.event?.kind === "edit" ? readRecord(input.event.before, input.key, input.repoId, input.number) : undefined;
  const reason = current.kind === "invalid" ? current.reason : "the sign-off record was removed";
  const restored = previous?.kind === "valid" ? previous.state : fresh;
  const what = previous?.kind === "valid" ? "the last valid record was restored" : "no valid record was left, so sign-off starts again";
  notices.push(`Ignored a sign-off record that failed verification (${reason}); ${what}.`);
  return restore(restored, { at: input.now, by: input.event?.kind === "edit" ? input.event.sender : "unknown", reason: `${reason}; ${what}` });
}
