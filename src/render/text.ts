import type { ChecklistFinding, Evaluation, Hit, RiskLevel } from "../types.js";
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
    for (const hit of finding.hits.slice(0, maxHits)) {
      out.push(`    ${location(hit)}  ${risk(hit.risk)}`);
      out.push(`      ${paint("dim", why(hit, finding))}`);
      if (hit.text !== undefined) out.push(`      ${paint("dim", `${TEXT_PREFIX[hit.kind]}${safe(hit.text.trim())}`)}`);
    }
    if (finding.hits.length > maxHits) {
      out.push(`    … and ${finding.hits.length - maxHits} more (--format json lists them all)`);
    }
    out.push(`  ${paint("bold", "Review items:")}`);
    for (const item of finding.items) out.push(`    [ ] ${safe(item.text)} (${safe(item.owner)})`);
  }
  return `${out.join("\n")}\n`;
}

/** What a hit's text is: an added or removed line, or the change's title. */
const TEXT_PREFIX: Record<Hit["kind"], string> = { added: "+ ", removed: "- ", title: "title: ", path: "", "no-patch": "" };

function location(hit: Hit): string {
  const line = hit.line === undefined ? "" : `:${hit.line}`;
  const renamed = hit.matched_path !== hit.file ? ` (was ${safe(hit.matched_path)})` : "";
  return `${safe(hit.file)}${line}${renamed}`;
}

function why(hit: Hit, finding: ChecklistFinding): string {
  const description = leadIn(finding.triggers[hit.trigger]?.description);
  const glob = `path ${safe(hit.matched_path)} matches ${safe(hit.glob)}`;
  const reason = {
    path: glob,
    added: `added line matches /${safe(shortPattern(hit.pattern ?? ""))}/; ${glob}`,
    removed: `removed line matches /${safe(shortPattern(hit.pattern ?? ""))}/; ${glob}`,
    "no-patch": `${glob}; no diff to check lines against (binary or too large), so it counts`,
    title: `the title matches /${safe(shortPattern(hit.pattern ?? ""))}/; ${glob}`,
  }[hit.kind];
  return description ? `${safe(description)}: ${reason}` : reason;
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
