import type { ChecklistFinding, Evaluation, Hit, RepoConfig } from "../types.js";
import { reaches } from "../types.js";
import { fingerprint, MAX_LOG, type AuditEvent, type ChecklistState, type SignOff, type SignoffState } from "./record.js";

/** Most fingerprints kept per checklist; past that, any change to the triggers counts as new. */
const MAX_FINGERPRINTS = 300;

/** Who is acting, as far as sign-off rules care. Computed by the shell (permission and team lookups). */
export type Actor = {
  login: string;
  isAuthor: boolean;
  /** Has write access or more to the repository. */
  canWrite: boolean;
  /** Reviewer roles the actor belongs to (from the config's users and teams). */
  roles: string[];
};

export type Decision = { ok: true } | { ok: false; reason: string };

/**
 * May `actor` tick or untick an item owned by `owner`? `author` items: the PR author or anyone with
 * write access; role items: members of that role, but never the PR author (nobody signs off their
 * own change for counsel).
 */
export function mayTick(owner: string, actor: Actor): Decision {
  if (owner === "author")
    return actor.isAuthor || actor.canWrite ? { ok: true } : { ok: false, reason: "author items can be ticked by the PR author or people with write access" };
  if (actor.isAuthor) return { ok: false, reason: `the PR author cannot sign off ${owner} items of their own pull request` };
  if (!actor.roles.includes(owner)) return { ok: false, reason: `only ${owner} (as configured in .github/compliance.yml) can sign off ${owner} items` };
  return { ok: true };
}

/** May `actor` waive a checklist that `role` signs off? Same rule as for that role's items. */
export function mayWaive(role: string, actor: Actor): Decision {
  const d = mayTick(role, actor);
  return d.ok ? d : { ok: false, reason: d.reason.replace(/items?/, "checklists").replace("sign off", "waive") };
}

function fingerprints(f: ChecklistFinding): string[] {
  const all = [...new Set(f.hits.map(fingerprint))].sort();
  // Too many to keep: one digest of them all, so that any change counts as new.
  return all.length > MAX_FINGERPRINTS ? [`all:${fingerprint({ file: all.join(","), kind: "set", trigger: -1 })}`] : all;
}

function log(state: SignoffState, event: AuditEvent): void {
  state.log.push(event);
  if (state.log.length > MAX_LOG) state.log.splice(0, state.log.length - MAX_LOG);
}

function entry(state: SignoffState, id: string): ChecklistState {
  return (state.checklists[id] ??= { items: {}, reviewed: [] });
}

function isSigned(c: ChecklistState | undefined): boolean {
  return c !== undefined && (c.waived !== undefined || Object.keys(c.items).length > 0);
}

/**
 * Brings the state up to a new evaluation: a checklist whose triggers now include something that
 * was not there at its last sign-off loses its sign-offs (and the reset is logged); pushes that
 * add nothing new keep them. Returns the new state and the resets, for the comment.
 */
export function reconcile(previous: SignoffState, evaluation: Evaluation, sha: string, at: string): { state: SignoffState; resets: { checklist: string; hit: Hit }[] } {
  const state = structuredClone(previous);
  const resets: { checklist: string; hit: Hit }[] = [];
  for (const f of evaluation.checklists) {
    const c = state.checklists[f.id];
    if (!isSigned(c)) continue;
    const reviewed = new Set(c!.reviewed);
    const current = fingerprints(f);
    const fresh = current.find((fp) => !reviewed.has(fp));
    if (fresh === undefined) continue;
    const hit = f.hits.find((h) => fingerprint(h) === fresh) ?? f.hits[0]!;
    state.checklists[f.id] = { items: {}, reviewed: c!.reviewed };
    resets.push({ checklist: f.id, hit });
    log(state, { at, by: "lockstep", action: "reset", checklist: f.id, sha, reason: `new trigger in ${hit.file}${hit.line ? `:${hit.line}` : ""}` });
  }
  state.sha = sha;
  state.risk = evaluation.risk;
  state.fired = Object.fromEntries(evaluation.checklists.map((f) => [f.id, f.risk]));
  return { state, resets };
}

/** Records a tick (checked) or untick of one item by an actor who may do it (check mayTick first). */
export function setItem(previous: SignoffState, finding: ChecklistFinding, itemId: string, checked: boolean, by: string, at: string): SignoffState {
  const state = structuredClone(previous);
  const c = entry(state, finding.id);
  if (checked) {
    c.items[itemId] = { by, at, via: "tick" };
    c.reviewed = fingerprints(finding);
  } else delete c.items[itemId];
  log(state, { at, by, action: checked ? "tick" : "untick", checklist: finding.id, item: itemId });
  return state;
}

/**
 * An approving review signs off, on every fired checklist, the items owned by the roles the
 * reviewer belongs to (never for the PR author: check mayTick per role first).
 */
export function approve(previous: SignoffState, evaluation: Evaluation, roles: string[], by: string, review: number, at: string): SignoffState {
  const state = structuredClone(previous);
  let any = false;
  for (const f of evaluation.checklists) {
    const items = f.items.filter((i) => roles.includes(i.owner));
    if (items.length === 0) continue;
    const c = entry(state, f.id);
    for (const item of items) if (!c.items[item.id]) c.items[item.id] = { by, at, via: "review", review };
    c.reviewed = fingerprints(f);
    any = true;
  }
  if (any) log(state, { at, by, action: "approve", reason: `review ${review}` });
  return state;
}

/** Dismissing (or replacing) a review withdraws what that review signed off. */
export function withdrawReview(previous: SignoffState, review: number, by: string, at: string): SignoffState {
  const state = structuredClone(previous);
  let any = false;
  for (const c of Object.values(state.checklists))
    for (const [id, s] of Object.entries(c.items))
      if (s.via === "review" && s.review === review) {
        delete c.items[id];
        any = true;
      }
  if (any) log(state, { at, by, action: "dismiss", reason: `review ${review}` });
  return state;
}

/** A waiver (with its written reason) signs off a whole checklist on this PR. */
export function waive(previous: SignoffState, finding: ChecklistFinding, by: string, reason: string, at: string): SignoffState {
  const state = structuredClone(previous);
  const c = entry(state, finding.id);
  c.waived = { by, at, via: "waive", reason };
  c.reviewed = fingerprints(finding);
  log(state, { at, by, action: "waive", checklist: finding.id, reason });
  return state;
}

/** Logs a refused attempt (a tick by someone without the right, a command refused). */
export function refuse(previous: SignoffState, event: Omit<AuditEvent, "action">): SignoffState {
  const state = structuredClone(previous);
  log(state, { ...event, action: "refused" });
  return state;
}

/** Logs that a record failing verification was ignored, `previous` being the state that stands instead. */
export function restore(previous: SignoffState, event: Omit<AuditEvent, "action">): SignoffState {
  const state = structuredClone(previous);
  log(state, { ...event, action: "restored" });
  return state;
}

/** The sign-off of one item, if any (a waiver covers every item of its checklist). */
export function signOffOf(state: SignoffState, checklist: string, item: string): SignOff | undefined {
  const c = state.checklists[checklist];
  return c?.items[item] ?? c?.waived;
}

/**
 * What still needs sign-off before a blocking PR may merge: every item of every checklist at or
 * above `block_at`, unless the checklist is waived. Empty when nothing blocks.
 */
export function outstanding(state: SignoffState, evaluation: Evaluation, config: Pick<RepoConfig, "block_at">): { checklist: string; item: string; owner: string }[] {
  const out: { checklist: string; item: string; owner: string }[] = [];
  for (const f of evaluation.checklists) {
    if (!reaches(f.risk, config.block_at)) continue;
    for (const item of f.items) if (!signOffOf(state, f.id, item.id)) out.push({ checklist: f.id, item: item.id, owner: item.owner });
  }
  return out;
}
