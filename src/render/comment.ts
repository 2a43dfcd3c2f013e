import type { ChecklistFinding, Evaluation } from "../types.js";
import type { AuditEvent, SignOff, SignoffState } from "../signoff/record.js";
import { signOffOf } from "../signoff/state.js";
import { groupHits, outline } from "./hit-groups.js";
import { code, diffLink, escapeMarkdown, hitLocation, markdownOutline, plural, riskBadge, type PullRequestRef } from "./markdown-parts.js";

/** Hidden marker that starts Lockstep's comment (found again together with its author). */
export const COMMENT_MARKER = "<!-- lockstep:comment -->";
/** GitHub rejects comment bodies longer than this. */
export const COMMENT_LIMIT = 65_536;

export type CommentInput = {
  pr: PullRequestRef;
  headSha: string;
  evaluation: Evaluation;
  /** Link to the check run, the place with every finding when the comment has to be cut. */
  checkRunUrl?: string;
  /** Who signed off what: ticks the boxes and names the people. */
  signoff?: SignoffState;
};

/** How much detail the comment shows; each level is tried until the body fits. */
type Detail = { maxHits: number; collapse: boolean };
const LEVELS: Detail[] = [
  { maxHits: 100, collapse: false },
  { maxHits: 30, collapse: true },
  { maxHits: 5, collapse: true },
  { maxHits: 0, collapse: true },
];

/**
 * Renders Lockstep's PR comment for an evaluation with at least one fired checklist.
 * Always returns a body of at most `limit` characters that starts with the marker: it first
 * collapses and shortens the trigger lists, then truncates with a pointer to the check run.
 * Review items carry stable hidden ids `<!-- item:<checklist>/<item> -->`.
 */
export function renderComment(input: CommentInput, limit = COMMENT_LIMIT): string {
  let body = "";
  for (const detail of LEVELS) {
    body = render(input, detail);
    if (body.length <= limit) return body;
  }
  return truncate(body, limit, input.checkRunUrl);
}

/** The comment once a later push makes nothing fire: kept, saying so. */
export function renderClearedComment(pr: PullRequestRef, headSha: string): string {
  return [
    COMMENT_MARKER,
    `## Lockstep: ${riskBadge("none")} nothing applies any more`,
    "",
    `As of ${code(headSha.slice(0, 7))}, no compliance checklist fires on this pull request, so there is nothing to review.`,
    `Earlier findings were cleared by later changes to ${pr.repo}#${pr.number}.`,
    "",
  ].join("\n");
}

function render(input: CommentInput, detail: Detail): string {
  const { evaluation: ev } = input;
  const lines = [
    COMMENT_MARKER,
    `## Lockstep: ${riskBadge(ev.risk)} risk`,
    "",
    `Checked ${code(input.headSha.slice(0, 7))}: ${plural(ev.checklists.length, "checklist")} ${ev.checklists.length === 1 ? "applies" : "apply"} to this pull request. ${decisionSentence(ev)}`,
    "",
  ];
  for (const finding of ev.checklists) lines.push(...renderFinding(input.pr, finding, detail, input.signoff), "");
  if (input.signoff) lines.push(...renderActivity(input.signoff.log));
  lines.push(`<sub>Lockstep matched ${plural(ev.filesExamined, "changed file")} against ${plural(ev.active.length, "active checklist")}.${input.checkRunUrl ? ` [Check run](${input.checkRunUrl})` : ""}</sub>`, "");
  return lines.join("\n");
}

function decisionSentence(ev: Evaluation): string {
  if (ev.decisions.blocking) return "**The `Lockstep` check blocks merging until the review items below are signed off.**";
  if (ev.decisions.requestReview) return "Reviewers have been asked to look; nothing blocks merging.";
  return "For information: nothing blocks merging.";
}

function renderFinding(pr: PullRequestRef, f: ChecklistFinding, detail: Detail, signoff: SignoffState | undefined): string[] {
  const out = [`### ${escapeMarkdown(f.title)} (${riskBadge(f.risk)}) · ${code(f.id)}`, "", escapeMarkdown(f.summary), ""];
  if (f.references.length) out.push(`**References:** ${f.references.map(escapeMarkdown).join("; ")}`, "");
  out.push(...renderHits(pr, f, detail), "");
  out.push(`**Review items** (signed off by ${escapeMarkdown(f.reviewers)})`, "");
  const waived = signoff?.checklists[f.id]?.waived;
  if (waived) out.push(`> Waived by @${waived.by} on ${day(waived.at)}: ${escapeMarkdown(waived.reason ?? "")}`, "");
  for (const item of f.items) {
    const so = signoff ? signOffOf(signoff, f.id, item.id) : undefined;
    out.push(`- [${so ? "x" : " "}] <!-- item:${f.id}/${item.id} --> ${escapeMarkdown(item.text)} (${escapeMarkdown(item.owner)})${so ? ` — ${attribution(so)}` : ""}`);
  }
  return out;
}

/** "signed off by @lee on 2026-11-26 (approving review)". */
function attribution(so: SignOff): string {
  const via = { tick: "", review: " (approving review)", waive: " (waiver)" }[so.via];
  return `signed off by @${so.by} on ${day(so.at)}${via}`;
}

function day(at: string): string {
  return at.slice(0, 10);
}

const SHOWN: AuditEvent["action"][] = ["reset", "refused", "restored", "waive", "dismiss"];

/** The latest sign-off events a PR author and counsel should know about (resets, refusals, …). */
function renderActivity(log: AuditEvent[]): string[] {
  const events = log.filter((e) => SHOWN.includes(e.action)).slice(-5);
  if (events.length === 0) return [];
  const line = (e: AuditEvent): string => {
    const what = e.item ? `${code(`${e.checklist}/${e.item}`)}` : e.checklist ? code(e.checklist) : "";
    switch (e.action) {
      case "reset":
        return `Sign-off of ${what} was reset: ${escapeMarkdown(e.reason ?? "")} at ${code((e.sha ?? "").slice(0, 7))} that was not there when it was signed off.`;
      case "refused":
        return `@${e.by} ${escapeMarkdown(e.reason ?? "")} (${what}); not accepted, so it was reverted.`;
      case "restored":
        return `A sign-off record that failed verification was ignored: ${escapeMarkdown(e.reason ?? "")}.`;
      case "waive":
        return `@${e.by} waived ${what}.`;
      default:
        return `@${e.by} dismissed an approving review; what it signed off is open again.`;
    }
  };
  return ["**Sign-off activity**", "", ...events.map((e) => `- ${day(e.at)}: ${line(e)}`), ""];
}

function renderHits(pr: PullRequestRef, f: ChecklistFinding, detail: Detail): string[] {
  const { groups, hidden } = groupHits(f, detail.maxHits);
  const list = outline(groups, markdownOutline((hit) => `[${code(hitLocation(hit))}](${diffLink(pr, hit)})`));
  if (hidden > 0) list.push(`- … and ${plural(hidden, "more change")} (see the check run)`);
  const title = `Triggered by ${plural(f.hits.length, "change")} in ${plural(new Set(f.hits.map((h) => h.file)).size, "file")}`;
  if (!detail.collapse) return [`**${title}**`, "", ...list];
  return ["<details>", `<summary>${title}</summary>`, "", ...list, "", "</details>"];
}

function truncate(body: string, limit: number, checkRunUrl: string | undefined): string {
  const note = `\n\n…\n\n**This comment was cut to fit GitHub's size limit.** ${checkRunUrl ? `[The check run](${checkRunUrl})` : "The `Lockstep` check run"} lists every finding.\n`;
  const cut = body.lastIndexOf("\n", limit - note.length);
  return body.slice(0, Math.max(cut, 0)) + note;
}

