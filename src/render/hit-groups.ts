/**
 * A finding's hits grouped for people: each trigger is described once, with what matched (kind,
 * pattern, glob) once per way it matched, then the places. A logging trigger that fires on
 * twelve lines otherwise repeats its paragraph-long description, pattern and glob twelve times.
 */
import type { ChecklistFinding, Hit, Risk } from "../types.js";
import { compareRisk } from "../types.js";

/** Hits of one trigger that matched the same way: same kind, pattern and glob (and title). */
export type ReasonGroup = { kind: Hit["kind"]; pattern?: string; glob: string; title?: string; hits: Hit[] };
/** One trigger's hits; `description` is the trigger's, if it has one. */
export type HitGroup = { trigger: number; description?: string; risk: Risk; reasons: ReasonGroup[] };

/**
 * Groups a finding's hits by trigger, riskiest trigger first (then in the order the hits come:
 * by file and line). With `max`, keeps at most that many hits, taken in turn from every way of
 * matching, so each trigger shows before any shows a second place; `hidden` counts the rest.
 */
export function groupHits(finding: ChecklistFinding, max = Infinity): { groups: HitGroup[]; hidden: number } {
  const byTrigger = new Map<number, HitGroup>();
  const byReason = new Map<string, ReasonGroup>();
  for (const hit of finding.hits) {
    let group = byTrigger.get(hit.trigger);
    if (!group) {
      const description = finding.triggers[hit.trigger]?.description;
      group = { trigger: hit.trigger, ...(description ? { description } : {}), risk: hit.risk, reasons: [] };
      byTrigger.set(hit.trigger, group);
    }
    const title = hit.kind === "title" ? hit.text : undefined;
    const key = JSON.stringify([hit.trigger, hit.kind, hit.pattern ?? null, hit.glob, title ?? null]);
    let reason = byReason.get(key);
    if (!reason) {
      reason = { kind: hit.kind, ...(hit.pattern !== undefined ? { pattern: hit.pattern } : {}), glob: hit.glob, ...(title !== undefined ? { title } : {}), hits: [] };
      byReason.set(key, reason);
      group.reasons.push(reason);
    }
    reason.hits.push(hit);
  }
  // Stable sort: triggers of equal risk keep the order of their first hit.
  const groups = [...byTrigger.values()].sort((a, b) => compareRisk(b.risk, a.risk));
  if (max >= finding.hits.length) return { groups, hidden: 0 };
  const reasons = groups.flatMap((g) => g.reasons);
  const keep = reasons.map(() => 0);
  let left = max;
  for (let round = 0; left > 0; round++)
    reasons.forEach((r, i) => {
      if (left > 0 && round < r.hits.length) {
        keep[i]!++;
        left--;
      }
    });
  let index = 0;
  const shown = groups
    .map((g) => ({ ...g, reasons: g.reasons.map((r) => ({ ...r, hits: r.hits.slice(0, keep[index++]) })).filter((r) => r.hits.length > 0) }))
    .filter((g) => g.reasons.length > 0);
  return { groups: shown, hidden: finding.hits.length - max };
}

/** How one renderer writes the parts of the outline. */
export type OutlineFormat = {
  trigger: (group: HitGroup) => string;
  reason: (reason: ReasonGroup) => string;
  hit: (hit: Hit) => string;
  /** A line of the outline at a depth (0 = a trigger). */
  line: (depth: number, text: string) => string;
  /** Joins a trigger and its only way of matching into one line, when set (Markdown lists); else two lines. */
  join?: (trigger: string, reason: string) => string;
};

/** The grouped hits as an outline: trigger, way of matching, places. */
export function outline(groups: readonly HitGroup[], format: OutlineFormat): string[] {
  const out: string[] = [];
  for (const group of groups) {
    const inline = format.join && group.reasons.length === 1;
    if (inline) out.push(format.line(0, format.join!(format.trigger(group), format.reason(group.reasons[0]!))));
    else out.push(format.line(0, format.trigger(group)));
    for (const reason of group.reasons) {
      if (!inline) out.push(format.line(1, format.reason(reason)));
      const depth = inline ? 1 : 2;
      for (const hit of reason.hits) out.push(format.line(depth, format.hit(hit)));
    }
  }
  return out;
}
