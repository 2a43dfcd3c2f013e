import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILTIN_DIR, loadBuiltinChecklists } from "../src/core/builtin.js";
import { runExamples } from "../src/core/examples.js";
import { formatProblem } from "../src/core/format.js";

// The built-in library is product data: every file must load, and every example must pass.
const { checklists, problems } = loadBuiltinChecklists();
const files = readdirSync(BUILTIN_DIR).filter((f) => /\.ya?ml$/.test(f));

describe("built-in checklists", () => {
  it("all load without problems (warnings included)", () => {
    expect(problems.map(formatProblem)).toEqual([]);
    expect(checklists.map((c) => c.id).sort()).toEqual(files.map((f) => f.replace(/\.ya?ml$/, "")).sort());
  });

  it.each(checklists.map((c) => [c.id, c] as const))("%s runs its examples", (_id, checklist) => {
    expect(runExamples(checklist).map(formatProblem)).toEqual([]);
  });

  it.each(checklists.map((c) => [c.id, c] as const))("%s is complete: references, 3+ examples each way, item owned by its reviewers", (_id, c) => {
    expect(c.references.length).toBeGreaterThan(0);
    expect(c.examples.fire.length).toBeGreaterThanOrEqual(3);
    expect(c.examples.quiet.length).toBeGreaterThanOrEqual(3);
    expect(c.items.some((i) => i.owner === c.reviewers)).toBe(true);
    expect(c.triggers.every((t) => t.description)).toBe(true);
  });
});
