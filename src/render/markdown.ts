import type { Evaluation, RiskLevel } from "../types.js";
import { groupHits, outline } from "./hit-groups.js";
import { code, markdownOutline, plural } from "./markdown-parts.js";

export type MarkdownOptions = {
  /** Hits listed per checklist before "… and N more"; default 50. */
  maxHits?: number;
};

const BADGE: Record<RiskLevel, string> = { none: "⚪ none", low: "🔵 low", medium: "🟠 medium", high: "🔴 high" };

/**
 * Renders an evaluation as GitHub-flavoured Markdown for CI job summaries and PR comments:
 * a heading with the verdict, a table of fired checklists, then per checklist its summary,
 * its review items as task-list checkboxes and, folded in `<details>`, what triggered it.
 * Pure; every string from the change (file names, lines) is escaped. Ends with a newline.
 */
export function renderMarkdown(evaluation: Evaluation, options: MarkdownOptions = {}): string {
  const maxHits = options.maxHits ?? 50;
  const { checklists, decisions } = evaluation;
  const files = `${evaluation.filesExamined} file${evaluation.filesExamined === 1 ? "" : "s"} examined`;
  if (checklists.length === 0) {
    return `## Lockstep: no checklist applies\n\n${files}; nothing needs review.\n`;
  }
  const out: string[] = [];
  const verdict = decisions.blocking ? "blocking until signed off" : "not blocking";
  out.push(`## Lockstep: ${BADGE[evaluation.risk]} risk, ${verdict}`, "");
  out.push(`${files}; ${checklists.length} checklist${checklists.length === 1 ? "" : "s"} fired.`, "");
  out.push("| Checklist | Risk | Sign-off | Files |", "| --- | --- | --- | --- |");
  for (const finding of checklists) {
    const fileCount = new Set(finding.hits.map((hit) => hit.file)).size;
    out.push(`| ${text(finding.title)} (${code(finding.id)}) | ${BADGE[finding.risk]} | ${text(finding.reviewers)} | ${fileCount} |`);
  }
  for (const finding of checklists) {
    out.push("", `### ${BADGE[finding.risk]}: ${text(finding.title)}`, "", text(finding.summary), "");
    for (const item of finding.items) out.push(`- [ ] ${text(item.text)} (_${text(item.owner)}_)`);
    const triggers = new Set(finding.hits.map((hit) => hit.trigger)).size;
    const files = new Set(finding.hits.map((hit) => hit.file)).size;
    out.push("", `<details><summary>Why this applies (${plural(triggers, "trigger")}, ${plural(files, "file")})</summary>`, "");
    const { groups, hidden } = groupHits(finding, maxHits);
    out.push(...outline(groups, markdownOutline()));
    if (hidden > 0) out.push(`- … and ${hidden} more`);
    if (finding.references.length > 0) {
      out.push("", `References: ${finding.references.map(text).join("; ")}`);
    }
    out.push("", "</details>");
  }
  return `${out.join("\n")}\n`;
}

/** Plain text with Markdown and HTML metacharacters neutralised. */
function text(value: string): string {
  return value
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]#|~])/g, "\\$1");
}
