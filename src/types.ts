/**
 * Plain data shared by the pure core, the CLI and the GitHub shell.
 * Nothing here imports probot or octokit.
 */

/** Risk of one trigger firing. */
export type Risk = "low" | "medium" | "high";
/** Risk of a pull request: `none` when nothing fired. */
export type RiskLevel = "none" | Risk;
/** A threshold in the repo config: a risk, or `never` (the decision is never taken). */
export type Threshold = Risk | "never";

export const RISKS: readonly Risk[] = ["low", "medium", "high"];
const ORDER: Record<RiskLevel | "never", number> = { none: 0, low: 1, medium: 2, high: 3, never: 4 };

/** Compares risks: negative when a < b. */
export function compareRisk(a: RiskLevel, b: RiskLevel): number {
  return ORDER[a] - ORDER[b];
}
/** The higher of two risks. */
export function maxRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return ORDER[a] >= ORDER[b] ? a : b;
}
/** True when `risk` reaches `threshold` (never true for `never`). */
export function reaches(risk: RiskLevel, threshold: Threshold): boolean {
  return risk !== "none" && ORDER[risk] >= ORDER[threshold];
}

/**
 * One changed file, in the shape of GitHub's "list pull request files" response
 * (`GET /repos/{owner}/{repo}/pulls/{n}/files`). The CLI builds the same shape from git.
 */
export type ChangedFile = {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  /** Set for renames (and copies): the path before. */
  previous_filename?: string;
  /** Unified diff hunks; absent for binary files and diffs GitHub deems too large. */
  patch?: string;
  /**
   * The file's blob id, as GitHub sends it. Only used to recognise an empty file (the empty
   * blob), which GitHub lists without a patch although it has no lines at all.
   */
  sha?: string | null;
  additions?: number;
  deletions?: number;
  changes?: number;
};

/** A position in a file, 1-based. */
export type Position = { line: number; column: number };

/** A problem found in a config or checklist file, located where possible. */
export type Problem = {
  file: string;
  line?: number;
  column?: number;
  /** Dotted path of the offending key, e.g. `triggers[0].paths[1]`. */
  path?: string;
  message: string;
  severity?: "error" | "warning";
};

// ---------------------------------------------------------------------------
// Checklists (one YAML file each; schemas/checklist.schema.json)

export type Trigger = {
  /** What this trigger is about, shown as the "why" (e.g. "new personal-data column"). */
  description?: string;
  /** minimatch globs matched against the new path and, for renames, the old path. */
  paths: string[];
  /** RE2 patterns matched against the lines the change adds. */
  added_lines?: string[];
  /** RE2 patterns matched against the lines the change removes. */
  removed_lines?: string[];
  /**
   * A line counts only when a term it matches is new to its file: not matched by the same
   * patterns on the other side of that file's patch (the term is the first capture group that took
   * part in a match, else the whole match; compared case-insensitively). For broad vocabularies: moved, re-indented
   * or reworded code around a term that was already there does not fire.
   */
  new_terms_only?: boolean;
  /**
   * RE2 patterns matched against the change's titles (the pull request's title; in the CLI, the
   * subjects of the range's commits or --title). When given, the trigger fires only if one matches,
   * on top of its paths (and line patterns). A change without a title never matches.
   */
  titles?: string[];
  /** Globs that this trigger ignores (on top of the checklist's `exclude`). */
  exclude?: string[];
  risk: Risk;
};

/** `author`, or a reviewer role such as `counsel`, `privacy`, `security`. */
export type ItemOwner = string;

export type ChecklistItem = { id: string; text: string; owner: ItemOwner };

export type ExampleFile = {
  path: string;
  previous_path?: string;
  status?: ChangedFile["status"];
  /** Added lines, one per line of the string (or array entries). */
  added?: string | string[];
  removed?: string | string[];
  /** The file has no patch (binary or too large). */
  no_patch?: boolean;
};

export type ChecklistExample = {
  name: string;
  /** The change's title (a pull request title), for triggers with `titles`. */
  title?: string;
  files: ExampleFile[];
  /** For `fire` examples: the risk the checklist must reach exactly. */
  risk?: Risk;
};

export type Checklist = {
  id: string;
  title: string;
  summary: string;
  references: string[];
  /** The role that signs this checklist off. */
  reviewers: string;
  triggers: Trigger[];
  exclude: string[];
  items: ChecklistItem[];
  /** Label added when the checklist fires (default `compliance: <id>`). */
  label?: string;
  examples: { fire: ChecklistExample[]; quiet: ChecklistExample[] };
  /** Where it came from: `builtin` or a repo path; for messages and findings. */
  source: string;
};

// ---------------------------------------------------------------------------
// Repository configuration (.github/compliance.yml; schemas/compliance.schema.json)

export type ReviewerGroup = { users: string[]; teams: string[] };

export type RepoConfig = {
  /** Reviewer roles: `counsel` and any other role the checklists name. */
  roles: Record<string, ReviewerGroup>;
  comment_at: Threshold;
  request_review_at: Threshold;
  block_at: Threshold;
  checklists: {
    /** When non-empty, only these built-in checklists run (plus enforced and custom ones). */
    enable: string[];
    disable: string[];
    /** Ids the organisation enforces; a repository cannot disable them. */
    enforce: string[];
    /** Re-tuned risk per checklist id: every firing of that checklist gets this risk. */
    risk: Record<string, Risk>;
    /** Repo paths of extra checklist files, read from the same (base) ref as the config. */
    files: string[];
    /** Checklists written inline in the config. */
    custom: Checklist[];
  };
  /** Globs that no checklist ever sees. */
  exclude: string[];
  /** `at`: the lowest risk that gets labels (default medium: low-risk work stays unlabelled). */
  labels: { enabled: boolean; prefix: string; at: Threshold };
  drafts: "evaluate" | "skip";
};

// ---------------------------------------------------------------------------
// Findings (the output of evaluate)

/** What is known of the change besides its files. */
export type ChangeInfo = {
  /** The pull request's title; in the CLI, the subject of each commit in the range (or --title). */
  titles?: readonly string[];
};

/** Why a trigger fired on one file (and line). */
export type Hit = {
  /** Index of the trigger in its checklist. */
  trigger: number;
  /** The file as it is in the PR (new path; old path for removed files). */
  file: string;
  /** The path that the glob matched: `file`, or `previous_filename` for renames. */
  matched_path: string;
  glob: string;
  /**
   * `path`: the trigger has no line patterns; `added`/`removed`: a line pattern matched;
   * `no-patch`: the trigger has line patterns but the file has no patch, so it fired conservatively;
   * `title`: the trigger has title patterns and no line patterns, and the change's title matched.
   */
  kind: "path" | "added" | "removed" | "no-patch" | "title";
  /** The RE2 pattern that matched (kind added/removed/title). */
  pattern?: string;
  /** Line number in the new file (added) or the old file (removed). */
  line?: number;
  /** The line's text, or the title for kind `title` (trimmed to 200 characters). */
  text?: string;
  risk: Risk;
};

export type ChecklistFinding = {
  id: string;
  title: string;
  summary: string;
  references: string[];
  reviewers: string;
  risk: Risk;
  items: ChecklistItem[];
  label: string;
  /** Descriptions of the triggers, indexed like the checklist's triggers. */
  triggers: { description?: string; risk: Risk }[];
  /** Sorted by file, then line, then trigger. */
  hits: Hit[];
};

export type Decisions = { comment: boolean; requestReview: boolean; blocking: boolean };

export type Evaluation = {
  risk: RiskLevel;
  decisions: Decisions;
  /** Fired checklists, highest risk first, then by id. */
  checklists: ChecklistFinding[];
  /** Files examined (after global excludes). */
  filesExamined: number;
  filesExcluded: number;
  /** Ids of the checklists that were active. */
  active: string[];
};
