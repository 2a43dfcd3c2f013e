import type { Evaluation, Hit, RiskLevel } from "../types.js";

/** Version of the JSON document below; bumped only on incompatible changes (docs/cli-json.md). */
export const JSON_FORMAT_VERSION = 1;

/** One reason a checklist fired, as `lockstep check --format json` prints it. */
export type JsonTrigger = {
  file: string;
  /** The path the glob matched: `file`, or the old path of a renamed file. */
  matched_path: string;
  /** Line in the new file (`added`) or the old file (`removed`); null for `path`, `no-patch` and `title`. */
  line: number | null;
  glob: string;
  pattern: string | null;
  kind: Hit["kind"];
  risk: Hit["risk"];
  description: string | null;
  text: string | null;
};

/** The document printed by `lockstep check --format json`; every key is always present. */
export type JsonReport = {
  version: typeof JSON_FORMAT_VERSION;
  lockstep_version: string;
  risk: RiskLevel;
  blocking: boolean;
  decisions: { comment: boolean; request_review: boolean; blocking: boolean };
  files_examined: number;
  files_excluded: number;
  checklists_active: string[];
  checklists: {
    id: string;
    title: string;
    summary: string;
    risk: Hit["risk"];
    reviewers: string;
    label: string;
    references: string[];
    triggers: JsonTrigger[];
    items: { id: string; text: string; owner: string }[];
  }[];
};

/** Builds the stable JSON report of an evaluation (see docs/cli-json.md). Pure. */
export function toJsonReport(evaluation: Evaluation, lockstepVersion: string): JsonReport {
  return {
    version: JSON_FORMAT_VERSION,
    lockstep_version: lockstepVersion,
    risk: evaluation.risk,
    blocking: evaluation.decisions.blocking,
    decisions: {
      comment: evaluation.decisions.comment,
      request_review: evaluation.decisions.requestReview,
      blocking: evaluation.decisions.blocking,
    },
    files_examined: evaluation.filesExamined,
    files_excluded: evaluation.filesExcluded,
    checklists_active: [...evaluation.active],
    checklists: evaluation.checklists.map((finding) => ({
      id: finding.id,
      title: finding.title,
      summary: finding.summary,
      risk: finding.risk,
      reviewers: finding.reviewers,
      label: finding.label,
      references: [...finding.references],
      triggers: finding.hits.map((hit) => ({
        file: hit.file,
        matched_path: hit.matched_path,
        line: hit.line ?? null,
        glob: hit.glob,
        pattern: hit.pattern ?? null,
        kind: hit.kind,
        risk: hit.risk,
        description: finding.triggers[hit.trigger]?.description ?? null,
        text: hit.text ?? null,
      })),
      items: finding.items.map(({ id, text, owner }) => ({ id, text, owner })),
    })),
  };
}

/** Renders an evaluation as the JSON document of docs/cli-json.md, pretty-printed, newline-terminated. */
export function renderJson(evaluation: Evaluation, lockstepVersion: string): string {
  return `${JSON.stringify(toJsonReport(evaluation, lockstepVersion), null, 2)}\n`;
}
