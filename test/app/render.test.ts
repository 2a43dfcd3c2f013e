import { describe, expect, it } from "vitest";
import { plan, type PullRequestState } from "../../src/plan.js";
import { renderEvaluationCheck } from "../../src/render/check-run.js";
import { COMMENT_LIMIT, COMMENT_MARKER, renderComment } from "../../src/render/comment.js";
import { DEFAULT_CONFIG } from "../../src/core/config.js";
import { evaluate } from "../../src/core/evaluate.js";
import type { ChecklistFinding, Evaluation, Hit } from "../../src/types.js";
import { makeChecklist, makeConfig, makeFile } from "../core/factories.js";

const PR: PullRequestState = { owner: "o", repo: "r", number: 7, htmlUrl: "https://github.com/o/r/pull/7", headSha: "0123456789abcdef", author: "dev", draft: false, labels: [], requestedUsers: [], requestedTeams: [] };

function finding(id: string, hits: number, risk: Hit["risk"] = "high"): ChecklistFinding {
  return {
    id,
    title: `Checklist ${id}`,
    summary: "Summary.",
    references: ["GDPR Art. 5"],
    reviewers: "counsel",
    risk,
    items: [{ id: "a", text: "Item A", owner: "counsel" }, { id: "b", text: "Item B", owner: "author" }],
    label: `compliance: ${id}`,
    triggers: [{ description: "a column", risk }],
    hits: Array.from({ length: hits }, (_, i): Hit => ({ trigger: 0, file: `db/migrate/${String(i).padStart(5, "0")}_a_rather_long_migration_file_name.rb`, matched_path: "x", glob: "db/migrate/**", kind: "added", pattern: "date_of_birth", line: i + 1, text: "t.date :date_of_birth", risk })),
  };
}

function evaluation(checklists: ChecklistFinding[], risk: Evaluation["risk"] = "high"): Evaluation {
  const blocking = risk === "high";
  return { risk, decisions: { comment: risk !== "none", requestReview: risk === "medium" || blocking, blocking }, checklists, filesExamined: 12, filesExcluded: 0, active: checklists.map((c) => c.id) };
}

describe("renderComment", () => {
  it("has the marker, hidden item ids and diff links", () => {
    const body = renderComment({ pr: PR, headSha: PR.headSha, evaluation: evaluation([finding("pd", 1)]) });
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain("- [ ] <!-- item:pd/a --> Item A (counsel)");
    expect(body).toContain("- [ ] <!-- item:pd/b --> Item B (author)");
    expect(body).toMatch(/\(https:\/\/github\.com\/o\/r\/pull\/7\/files#diff-[0-9a-f]{64}R1\)/);
  });

  it("collapses the trigger lists when the body is too long, keeping every item", () => {
    const body = renderComment({ pr: PR, headSha: PR.headSha, evaluation: evaluation([finding("pd", 400), finding("pay", 400)]) }, 20_000);
    expect(body.length).toBeLessThanOrEqual(20_000);
    expect(body).toContain("<details>");
    expect(body).toContain("- [ ] <!-- item:pay/b -->");
    expect(body).toContain("more changes (see the check run)");
    expect(body.match(/\*\*a column\*\*/g)).toHaveLength(2);
  });

  it("truncates with a pointer to the check run as a last resort, never above the limit", () => {
    const many = Array.from({ length: 400 }, (_, i) => finding(`c${i}`, 3));
    const body = renderComment({ pr: PR, headSha: PR.headSha, evaluation: evaluation(many), checkRunUrl: "https://github.com/o/r/pull/7/checks" });
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain("[The check run](https://github.com/o/r/pull/7/checks) lists every finding.");
  });
});

describe("renderEvaluationCheck", () => {
  it("keeps the summary under GitHub's limit and levels annotations by risk", () => {
    const ev = evaluation([finding("pd", 3000), finding("low", 1, "low"), finding("med", 1, "medium")]);
    const out = renderEvaluationCheck({ conclusion: "action_required", evaluation: ev, config: DEFAULT_CONFIG, configSources: ["x"], headProblems: [] });
    expect(out.summary.length).toBeLessThanOrEqual(65_535);
    expect(out.text!.length).toBeLessThanOrEqual(65_535);
    expect(out.annotations).toHaveLength(500);
    const levels = renderEvaluationCheck({ conclusion: "neutral", evaluation: evaluation([finding("low", 1, "low"), finding("med", 1, "medium")], "medium"), config: DEFAULT_CONFIG, configSources: ["x"], headProblems: [] }).annotations.map((a) => a.annotation_level);
    expect(levels).toEqual(["notice", "warning"]);
  });
});

describe("renderEvaluationCheck on files GitHub sent no diff for", () => {
  it("names them once and says how to exclude a generated one", () => {
    const list = makeChecklist({ triggers: [{ paths: ["**/*.js"], added_lines: ["gtag\\("], risk: "high" }, { paths: ["src/**"], risk: "low" }] });
    const bundle = { filename: "static/app.min.js", status: "modified" as const, additions: 2, deletions: 2, changes: 4 };
    const ev = evaluate([bundle, makeFile("src/a.js", ["x"])], makeConfig(), [list]);
    const summary = renderEvaluationCheck({ conclusion: "action_required", evaluation: ev, config: DEFAULT_CONFIG, configSources: ["x"], headProblems: [] }).summary;
    expect(summary).toContain("GitHub sent no diff for `static/app.min.js` (binary, or too large to show), so line triggers count it unread.");
    expect(summary).toContain("list it under `exclude` in `.github/compliance.yml` on the base branch");
    // A change whose every file has a diff gets no such note.
    const seen = evaluate([makeFile("static/app.min.js", ["gtag('config', 'G-1')"])], makeConfig(), [list]);
    expect(seen.risk).toBe("high");
    expect(renderEvaluationCheck({ conclusion: "action_required", evaluation: seen, config: DEFAULT_CONFIG, configSources: ["x"], headProblems: [] }).summary).not.toContain("GitHub sent no diff");
  });
});

describe("plan", () => {
  const judged = (ev: Evaluation) => ({ kind: "evaluated" as const, evaluation: ev, config: { ...DEFAULT_CONFIG, roles: { counsel: { users: ["dev", "alice", "bob"], teams: ["legal"] } } }, checklists: [], configSources: [], headProblems: [] });

  it.each([
    ["nothing fired", evaluation([], "none"), "success"],
    ["below block_at", evaluation([finding("m", 1, "medium")], "medium"), "neutral"],
    ["blocking", evaluation([finding("h", 1)]), "action_required"],
  ] as const)("%s → %s", (_name, ev, conclusion) => {
    expect(plan(judged(ev), PR, { reviewedBy: [], mayHaveComment: false }).check.conclusion).toBe(conclusion);
  });

  it("requests counsel minus the author, the requested and those who reviewed; nobody on drafts", () => {
    const ev = evaluation([finding("h", 1)]);
    const pr = { ...PR, requestedTeams: ["legal"], requestedUsers: ["bob"] };
    expect(plan(judged(ev), pr, { reviewedBy: ["ALICE"], mayHaveComment: true }).reviewers).toEqual({ users: [], teams: [] });
    expect(plan(judged(ev), { ...PR }, { reviewedBy: [], mayHaveComment: true }).reviewers).toEqual({ users: ["alice", "bob"], teams: ["legal"] });
    expect(plan(judged(ev), { ...PR, draft: true }, { reviewedBy: [], mayHaveComment: true }).reviewers).toEqual({ users: [], teams: [] });
  });

  it("never creates a comment when nothing applies; updates one that may exist", () => {
    const none = evaluation([], "none");
    expect(plan(judged(none), PR, { reviewedBy: [], mayHaveComment: false }).comment).toEqual({ kind: "none" });
    expect(plan(judged(none), PR, { reviewedBy: [], mayHaveComment: true }).comment).toMatchObject({ kind: "update-only" });
  });
});
