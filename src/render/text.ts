import type { Evaluation, Hit, RiskLevel } from "../types.js";
import { groupHits, outline, type ReasonGroup } from "./hit-groups.js";
import { leadIn, shortPattern } from "./markdown-parts.js";

export type TextOptions = {
  /** Use ANSI colours (the CLI enables them only on a TTY without NO_COLOR). */
  color: boolean;
  /** Hits listed per checklist before "… and N more"; default 20. */
  maxHits?: number;
};

const ANSI = { bold: "1", dim: "2", red: "31", yellow: "33", cyan: "36", green: "32" } as const;
const RISK_COLOUR: Record<RiskLevel, keyof typeof ANSI> = { none: "green", low: "cyan", medium: "yellow", high: "red" };

/**
 * Renders an evaluation for a terminal: overall risk and whether it blocks, then each fired
 * checklist with its summary, what triggered it (file, line, glob, pattern) and its review items
 * with their owners. Pure; ends with a newline.
 */
export function renderText(evaluation: Evaluation, options: TextOptions): string {
  const paint = (style: keyof typeof ANSI, s: string) => (options.color ? `\x1b[${ANSI[style]}m${s}\x1b[0m` : s);
  const risk = (level: RiskLevel) => paint(RISK_COLOUR[level], level);
  const maxHits = options.maxHits ?? 20;
  const { decisions, checklists } = evaluation;
  const files = plural(evaluation.filesExamined, "file");
  const excluded = evaluation.filesExcluded > 0 ? ` (${evaluation.filesExcluded} excluded)` : "";
  const out: string[] = [];

  if (checklists.length === 0) {
    out.push(`${paint("bold", "Lockstep:")} no checklist applies. ${files} examined${excluded}. Not blocking.`);
    return `${out.join("\n")}\n`;
  }
  const verdict = decisions.blocking ? paint("red", "BLOCKING: sign-off required before merge") : "not blocking";
  out.push(`${paint("bold", "Lockstep:")} ${risk(evaluation.risk)} risk, ${verdict}`);
  const requested = decisions.requestReview ? "; reviewers are requested" : "";
  out.push(`${files} examined${excluded}, ${plural(checklists.length, "checklist")} fired${requested}.`);

  for (const finding of checklists) {
    out.push("", `${paint("bold", `${safe(finding.title)}`)} (${finding.id}): ${risk(finding.risk)}, sign-off by ${safe(finding.reviewers)}`);
    out.push(`  ${safe(finding.summary)}`);
    out.push(`  ${paint("bold", "Triggered by:")}`);
    const { groups, hidden } = groupHits(finding, maxHits);
    const lines = outline(groups, {
      trigger: (g) => `${risk(g.risk)}: ${safe(leadIn(g.description) ?? `Trigger ${g.trigger + 1}`)}`,
      reason: (r) => paint("dim", why(r)),
      hit: (h) => {
        const line = changedLine(h);
        return line === undefined ? location(h) : `${location(h)}  ${paint("dim", line)}`;
      },
      line: (depth, text) => `${"  ".repeat(depth + 2)}${text}`,
    });
    out.push(...lines);
    if (hidden > 0) out.push(`    … and ${hidden} more (--format json lists them all)`);
    out.push(`  ${paint("bold", "Review items:")}`);
    for (const item of finding.items) out.push(`    [ ] ${safe(item.text)} (${safe(item.owner)})`);
  }
  return `${out.join("\n")}\n`;
}

/** The added or removed line a hit matched, as a diff shows it. */
function changedLine(hit: Hit): string | undefined {
  if (hit.text === undefined || (hit.kind !== "added" && hit.kind !== "removed")) return undefined;
  return `${hit.kind === "added" ? "+" : "-"} ${safe(hit.text.trim())}`;
}

function location(hit: Hit): string {
  const line = hit.line === undefined ? "" : `:${hit.line}`;
  const renamed = hit.matched_path !== hit.file ? ` (was ${safe(hit.matched_path)})` : "";
  return `${safe(hit.file)}${line}${renamed}`;
}

/** How a trigger matched: the pattern and the glob. */
function why(reason: ReasonGroup): string {
  const glob = `path matches ${safe(reason.glob)}`;
  const pattern = `/${safe(shortPattern(reason.pattern ?? ""))}/`;
  return {
    path: glob,
    added: `added line matches ${pattern}; ${glob}`,
    removed: `removed line matches ${pattern}; ${glob}`,
    "no-patch": `${glob}; no diff to check lines against (binary or too large), so it counts`,
    title: `the title "${safe(reason.title ?? "")}" matches ${pattern}; ${glob}`,
  }[reason.kind];
}

/** File names and lines come from the change under review: never let them drive the terminal. */
function safe(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
