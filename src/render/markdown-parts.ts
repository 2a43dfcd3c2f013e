/** Small Markdown pieces shared by the App's renderers: diff links, escaping, badges, counts. */
import { createHash } from "node:crypto";
import type { Hit } from "../types.js";

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

/** Escapes text for use inside Markdown inline code. */
export function code(text: string): string {
  const clean = text.replace(/[\r\n]+/g, " ");
  const ticks = clean.includes("`") ? "``" : "`";
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${ticks}${pad}${clean}${pad}${ticks}`;
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

/** Describes why a hit fired, in one line of Markdown. */
export function describeHit(hit: Hit, description: string | undefined): string {
  const why = description ? `${escapeMarkdown(description)}: ` : "";
  switch (hit.kind) {
    case "path":
      return `${why}path matches ${code(hit.glob)}`;
    case "no-patch":
      return `${why}path matches ${code(hit.glob)} and the diff is not available (binary or too large), so it counts`;
    case "added":
    case "removed":
      return `${why}${hit.kind} line matches ${code(hit.pattern ?? "")}${hit.text ? `: ${code(hit.text)}` : ""}`;
  }
}

/** "1 file", "3,001 files". */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}
