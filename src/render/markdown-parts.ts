/** Small Markdown pieces shared by the renderers: diff links, escaping, badges, counts, grouped hits. */
import { createHash } from "node:crypto";
import type { Hit } from "../types.js";
import type { HitGroup, OutlineFormat, ReasonGroup } from "./hit-groups.js";

/** Where a PR lives on GitHub, for links into its diff. */
export type PullRequestRef = { owner: string; repo: string; number: number; htmlUrl: string };

/**
 * Link to a file (and line) in the PR's "Files changed" tab. GitHub anchors diffs by the
 * SHA-256 of the path; `R<n>` is a line of the new file, `L<n>` one of the old file.
 */
export function diffLink(pr: PullRequestRef, hit: Pick<Hit, "file" | "kind" | "line">): string {
  const anchor = `diff-${createHash("sha256").update(hit.file).digest("hex")}`;
  const side = hit.kind === "removed" ? "L" : "R";
  const line = hit.line !== undefined && (hit.kind === "added" || hit.kind === "removed") ? `${side}${hit.line}` : "";
  return `${pr.htmlUrl}/files#${anchor}${line}`;
}

/** Inline code that survives backticks and newlines in the value. */
export function code(value: string): string {
  const flat = value.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Longest pattern shown to a person; the check run's text and `lockstep check --format json` keep it whole. */
const PATTERN_SHOWN = 60;

/** A line pattern short enough to read next to a finding (real ones can run to a thousand characters). */
export function shortPattern(pattern: string): string {
  return pattern.length <= PATTERN_SHOWN ? pattern : `${pattern.slice(0, PATTERN_SHOWN - 1)}…`;
}

/** A trigger's description as the lead-in of a reason ("new personal-data column: …"), without its full stop. */
export function leadIn(description: string | undefined): string | undefined {
  return description?.replace(/[.\s]+$/, "");
}

/** Escapes characters that would turn plain text into Markdown or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|~]/g, (c) => `\\${c}`);
}

const RISK_ICON = { none: "✅", low: "🟢", medium: "🟡", high: "🔴" } as const;
/** A short risk badge such as "🔴 high". */
export function riskBadge(risk: keyof typeof RISK_ICON): string {
  return `${RISK_ICON[risk]} ${risk}`;
}

/** A trigger as the head of its hits: its description (or number) and its risk. */
function describeTrigger(group: HitGroup): string {
  return `**${escapeMarkdown(leadIn(group.description) ?? `Trigger ${group.trigger + 1}`)}** (${group.risk})`;
}

/** How a trigger matched, in Markdown: the pattern and the glob. */
function describeReason(reason: ReasonGroup): string {
  const glob = `path matches ${code(reason.glob)}`;
  const pattern = code(shortPattern(reason.pattern ?? ""));
  switch (reason.kind) {
    case "path":
      return glob;
    case "no-patch":
      return `${glob}; no diff to check lines against (binary or too large), so it counts`;
    case "added":
    case "removed":
      return `${reason.kind} line matches ${pattern} (${glob})`;
    case "title":
      return `the title ${code(reason.title ?? "")} matches ${pattern} (${glob})`;
  }
}

/** A hit's place and, for a changed line, its text; `where` is the place as Markdown (a link, or code). */
function describePlace(hit: Hit, where: string): string {
  const renamed = hit.matched_path !== hit.file ? ` (was ${code(hit.matched_path)})` : "";
  const line = hit.text !== undefined && (hit.kind === "added" || hit.kind === "removed") ? `: ${code(hit.text.trim())}` : "";
  return `${where}${renamed}${line}`;
}

/**
 * The outline format of the Markdown renderers: nested lists, a trigger with one way of matching
 * on one line. `place` writes where a hit is (default: `file:line` as code; the comment links it).
 */
export function markdownOutline(place: (hit: Hit) => string = (hit) => code(hitLocation(hit))): OutlineFormat {
  return {
    trigger: describeTrigger,
    reason: describeReason,
    hit: (hit) => describePlace(hit, place(hit)),
    line: (depth, text) => `${"  ".repeat(depth)}- ${text}`,
    join: (trigger, reason) => `${trigger}: ${reason}`,
  };
}

/** `file:line`, or the file alone for a hit without a line. */
export function hitLocation(hit: Hit): string {
  return hit.line !== undefined ? `${hit.file}:${hit.line}` : hit.file;
}

/** "1 file", "3,001 files". */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}
