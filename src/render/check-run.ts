import type { Evaluation, Hit, Problem, RepoConfig, RiskLevel } from "../types.js";
import type { SignoffState } from "../signoff/record.js";
import { signOffOf } from "../signoff/state.js";
import { reaches } from "../types.js";
import { groupHits, outline } from "./hit-groups.js";
import { code, escapeMarkdown, leadIn, markdownOutline, plural, riskBadge, shortPattern } from "./markdown-parts.js";

/** The name of Lockstep's check run. Never changes: branch protection requires it by name. */
export const CHECK_NAME = "Lockstep";
/** GitHub's limit for `output.summary` and `output.text`. */
export const OUTPUT_LIMIT = 65_535;
/** Annotations Lockstep sends at most per check run (GitHub takes 50 per request). */
export const MAX_ANNOTATIONS = 500;

export type CheckConclusion = "success" | "neutral" | "action_required" | "failure";

export type Annotation = {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
};

export type CheckOutput = { title: string; summary: string; text?: string; annotations: Annotation[] };

/** Everything the check run says about one evaluated PR. */
export type EvaluationCheckInput = {
  conclusion: CheckConclusion;
  evaluation: Evaluation;
  config: RepoConfig;
  /** Human description of the config files used, e.g. ".github/compliance.yml at main". */
  configSources: string[];
  /** Problems in the config or checklist files as the PR changes them (head version). */
  headProblems: Problem[];
  /** Set when GitHub listed fewer files than the PR changes. */
  incomplete?: { listed: number; total?: number };
  signoff?: SignoffState;
};

/**
 * Renders the check output for an evaluated PR: title, summary (≤ 65,535 chars), text with
 * every finding, and annotations on the triggering lines (failure when the hit's risk reaches
 * `block_at`, warning for medium, notice for low). A pass explains what was examined.
 */
export function renderEvaluationCheck(input: EvaluationCheckInput): CheckOutput {
  const { evaluation: ev, config } = input;
  const summary: string[] = [];
  if (input.incomplete) summary.push(incompleteText(input.incomplete), "");
  if (input.headProblems.length) summary.push(...headProblemsText(input.headProblems), "");
  if (ev.checklists.length === 0) {
    summary.push(`No checklist fired on the ${plural(ev.filesExamined, "changed file")} examined${excludedText(ev)}.`);
  } else {
    summary.push(`**Risk: ${riskBadge(ev.risk)}** · ${decisionText(ev, config)}`, "", "| Checklist | Risk | Triggers | Signed off by |", "|---|---|---|---|");
    for (const f of ev.checklists) summary.push(`| ${escapeMarkdown(f.title)} (${code(f.id)}) | ${riskBadge(f.risk)} | ${f.hits.length} | ${escapeMarkdown(f.reviewers)} |`);
    summary.push("", ...signoffText(ev, config, input.signoff));
    summary.push("", `Examined ${plural(ev.filesExamined, "changed file")}${excludedText(ev)}.`);
    const below = ev.checklists.filter((f) => !reaches(f.risk, config.block_at)).map((f) => code(f.id));
    if (below.length && !ev.decisions.blocking) summary.push(`Below the blocking threshold (${code(`block_at: ${config.block_at}`)}): ${below.join(", ")}.`);
    const unseen = noPatchText(ev);
    if (unseen) summary.push("", unseen);
  }
  summary.push("", `Active checklists: ${ev.active.map(code).join(", ") || "none"}.`, `Configuration: ${input.configSources.join("; ")}.`);
  return {
    title: evaluationTitle(input),
    summary: clip(summary.join("\n")),
    text: clip(findingsText(ev)),
    annotations: [...problemAnnotations(input.headProblems), ...hitAnnotations(ev, config)].slice(0, MAX_ANNOTATIONS),
  };
}

/** Output for a base config that does not validate: every problem listed and annotated. */
export function renderInvalidConfigCheck(problems: Problem[], configSources: string[], repoFiles: ReadonlySet<string>): CheckOutput {
  const errors = problems.filter((p) => p.severity !== "warning");
  return {
    title: `Invalid configuration: ${plural(errors.length, "problem")}`,
    summary: clip(
      [
        "Lockstep could not read its configuration, so it cannot judge this pull request. The check fails until the configuration on the base branch is fixed.",
        "",
        ...problems.map(problemLine),
        "",
        `Configuration: ${configSources.join("; ")}.`,
      ].join("\n"),
    ),
    annotations: problemAnnotations(problems.filter((p) => repoFiles.has(p.file))).slice(0, MAX_ANNOTATIONS),
  };
}

/** Output for a merge group: its PRs were judged before they entered the queue. */
export function renderMergeGroupCheck(): CheckOutput {
  return {
    title: "Merge queue: judged on the pull requests",
    summary: "Every pull request in this merge group was judged by Lockstep before it entered the queue; the queue never waits on Lockstep.",
    annotations: [],
  };
}

/** Output when GitHub's API failed while Lockstep gathered the PR. */
export function renderUnavailableCheck(message: string, cause: "github" | "internal" = "github"): CheckOutput {
  if (cause === "internal")
    return {
      title: "Could not evaluate: internal error",
      summary: clip(`Lockstep failed while it evaluated this pull request, so it cannot judge it:\n\n> ${escapeMarkdown(message)}\n\nThis is a bug in Lockstep; the error is in its logs with this delivery's id. Comment \`/lockstep recheck\` to retry, and report it if it persists.`),
      annotations: [],
    };
  return {
    title: "Could not evaluate: GitHub API error",
    summary: clip(`Lockstep could not read what it needs from GitHub, so it cannot judge this pull request yet:\n\n> ${escapeMarkdown(message)}\n\nRe-run the check, push again or comment \`/lockstep recheck\` to retry.`),
    annotations: [],
  };
}

/** Output for a draft PR when the config says `drafts: skip`. */
export function renderDraftSkippedCheck(): CheckOutput {
  return {
    title: "Draft: evaluated when ready for review",
    summary: "This pull request is a draft and the configuration says `drafts: skip`. Lockstep evaluates it when it is marked ready for review.",
    annotations: [],
  };
}

/** Adds notes (e.g. a failed reviewer request) to the top of a summary, keeping the limit. */
export function withNotes(output: CheckOutput, notes: string[]): CheckOutput {
  if (notes.length === 0) return output;
  const block = notes.map((n) => `> ⚠️ ${n}`).join("\n");
  return { ...output, summary: clip(`${block}\n\n${output.summary}`) };
}

/** Points the summary at Lockstep's comment, where the review items are. */
export function withCommentLink(output: CheckOutput, url: string): CheckOutput {
  return { ...output, summary: clip(`${output.summary}\n\nThe review items are in [Lockstep's comment](${url}).`) };
}

function evaluationTitle(input: EvaluationCheckInput): string {
  const ev = input.evaluation;
  if (input.incomplete) return `Could not evaluate in full: ${plural(input.incomplete.total ?? input.incomplete.listed, "file")}`;
  if (input.headProblems.some((p) => p.severity !== "warning")) return `The changed configuration is invalid (${plural(input.headProblems.length, "problem")})`;
  if (ev.checklists.length === 0) return `No checklist applies (${plural(ev.filesExamined, "file")} examined)`;
  const names = ev.checklists.map((f) => f.id).join(", ");
  const verb: Record<CheckConclusion, string> = {
    action_required: "sign-off required",
    neutral: "below the blocking threshold",
    success: "signed off",
    failure: "failed",
  };
  return truncateLine(`${capital(ev.risk)} risk, ${verb[input.conclusion]}: ${names}`, 200);
}

/** Per blocking checklist: each item, signed off (by whom, when) or still open. */
function signoffText(ev: Evaluation, config: RepoConfig, state: SignoffState | undefined): string[] {
  const blocking = ev.checklists.filter((f) => reaches(f.risk, config.block_at));
  if (blocking.length === 0) return [];
  const out = ["**Sign-off**", ""];
  for (const f of blocking)
    for (const item of f.items) {
      const so = state ? signOffOf(state, f.id, item.id) : undefined;
      const status = so ? `✅ @${so.by}, ${so.at.slice(0, 10)}${so.via === "review" ? " (approving review)" : so.via === "waive" ? ` (waived: ${escapeMarkdown(so.reason ?? "")})` : ""}` : `⏳ waiting for ${escapeMarkdown(item.owner)}`;
      out.push(`- ${code(`${f.id}/${item.id}`)}: ${status}`);
    }
  return out;
}

function decisionText(ev: Evaluation, config: RepoConfig): string {
  if (ev.decisions.blocking) return `blocking (${code(`block_at: ${config.block_at}`)}) until the review items are signed off`;
  if (ev.decisions.requestReview) return "reviewers requested, not blocking";
  return "for information, not blocking";
}

/** Files whose line triggers counted unread (GitHub sent no diff), with what to do if they are generated. */
function noPatchText(ev: Evaluation): string | undefined {
  const files = [...new Set(ev.checklists.flatMap((f) => f.hits.filter((h) => h.kind === "no-patch").map((h) => h.file)))].sort();
  if (files.length === 0) return undefined;
  const named = files.length > 3 ? `${files.slice(0, 3).map(code).join(", ")} and ${plural(files.length - 3, "more file")}` : files.map(code).join(", ");
  return `GitHub sent no diff for ${named} (binary, or too large to show), so line triggers count ${files.length === 1 ? "it" : "them"} unread. If such a file is generated (a built bundle, a data dump), list it under ${code("exclude")} in ${code(".github/compliance.yml")} on the base branch.`;
}

function incompleteText(inc: { listed: number; total?: number }): string {
  const total = inc.total !== undefined ? `changes ${plural(inc.total, "file")}` : "may change more files";
  return `**Not evaluated in full.** GitHub lists at most 3,000 files of a pull request and this one ${total}; Lockstep examined the ${plural(inc.listed, "file")} it could list. Split the pull request so that every file can be checked.`;
}

function headProblemsText(problems: Problem[]): string[] {
  return [
    "**The Lockstep configuration changed by this pull request has problems** (it is validated here but only takes effect once merged; this pull request is judged by the base branch's configuration):",
    ...problems.map(problemLine),
  ];
}

function findingsText(ev: Evaluation): string {
  if (ev.checklists.length === 0) return `Active checklists: ${ev.active.join(", ") || "none"}.`;
  const out: string[] = [];
  for (const f of ev.checklists) {
    out.push(`### ${escapeMarkdown(f.title)} (${f.risk})`, "", escapeMarkdown(f.summary), "");
    out.push(...outline(groupHits(f).groups, markdownOutline()));
    out.push("");
  }
  return out.join("\n");
}

function hitAnnotations(ev: Evaluation, config: RepoConfig): Annotation[] {
  return ev.checklists.flatMap((f) =>
    f.hits.map((hit): Annotation => {
      // Removed lines no longer exist in the new file: annotate the file instead.
      const line = hit.kind === "added" && hit.line !== undefined ? hit.line : 1;
      return {
        path: hit.file,
        start_line: line,
        end_line: line,
        annotation_level: level(hit, config.block_at),
        title: truncateLine(`${f.title} (${hit.risk} risk)`, 255),
        message: truncateLine(`${describeHitPlain(hit, f.triggers[hit.trigger]?.description)}\n${f.summary}`, 4000),
      };
    }),
  );
}

function level(hit: Hit, blockAt: RepoConfig["block_at"]): Annotation["annotation_level"] {
  if (reaches(hit.risk, blockAt)) return "failure";
  return hit.risk === "low" ? "notice" : "warning";
}

function describeHitPlain(hit: Hit, description?: string): string {
  const lead = leadIn(description);
  const why = lead ? `${lead}: ` : "";
  if (hit.kind === "added" || hit.kind === "removed") return `${why}${hit.kind} line ${hit.line ?? "?"} matches ${shortPattern(hit.pattern ?? "")}`;
  if (hit.kind === "no-patch") return `${why}path matches ${hit.glob}; no diff available, so it counts`;
  if (hit.kind === "title") return `${why}the pull request's title matches ${shortPattern(hit.pattern ?? "")}; path matches ${hit.glob}`;
  return `${why}path matches ${hit.glob}`;
}

function problemAnnotations(problems: Problem[]): Annotation[] {
  return problems.map((p) => ({
    path: p.file,
    start_line: p.line ?? 1,
    end_line: p.line ?? 1,
    annotation_level: p.severity === "warning" ? "warning" : "failure",
    title: "Lockstep configuration",
    message: truncateLine(p.path ? `${p.path}: ${p.message}` : p.message, 4000),
  }));
}

function problemLine(p: Problem): string {
  return `- ${code(location(p))} ${p.severity === "warning" ? "(warning) " : ""}${escapeMarkdown(p.path ? `${p.path}: ${p.message}` : p.message)}`;
}

function location(p: Problem): string {
  return [p.file, p.line, p.column].filter((x) => x !== undefined).join(":");
}

function excludedText(ev: Evaluation): string {
  return ev.filesExcluded ? ` (${plural(ev.filesExcluded, "file")} excluded by the configuration)` : "";
}

function clip(text: string): string {
  if (text.length <= OUTPUT_LIMIT) return text;
  const note = "\n\n… (cut to fit GitHub's 65,535-character limit)";
  return text.slice(0, OUTPUT_LIMIT - note.length) + note;
}

function truncateLine(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function capital(risk: RiskLevel): string {
  return risk.charAt(0).toUpperCase() + risk.slice(1);
}

