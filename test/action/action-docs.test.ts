import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { registry } from "../../src/runtime/metrics.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { "runs-on": string; steps: { uses?: string; with?: Record<string, string>; run?: string }[] }> };

describe("action.yml", () => {
  const action = parse(read("action.yml")) as { runs: { using: string; main: string }; inputs: Record<string, { default?: string }> };

  it("runs the committed bundle on node20", () => {
    expect(action.runs).toEqual({ using: "node20", main: "dist/action.js" });
  });

  it("declares exactly the inputs src/action.ts reads (INPUT_<NAME>, dashes kept)", () => {
    const source = read("src/action.ts");
    const read_ = [...source.matchAll(/input\(env, "([a-z-]+)"\)/g)].map((m) => m[1]);
    expect(Object.keys(action.inputs).sort()).toEqual([...new Set(read_)].sort());
    expect(action.inputs["github-token"]!.default).toBe("${{ github.token }}");
  });
});

describe("examples/lockstep-workflow.yml", () => {
  const workflow = parse(read("examples/lockstep-workflow.yml")) as Workflow;

  it("runs on pull_request_target with the least permissions, and never checks out code", () => {
    expect(Object.keys(workflow.on)).toContain("pull_request_target");
    expect(Object.keys(workflow.on)).not.toContain("pull_request");
    expect(workflow.permissions).toEqual({ checks: "write", "pull-requests": "write", issues: "write", contents: "read" });
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    expect(steps.filter((s) => s.uses?.startsWith("actions/checkout"))).toEqual([]);
    expect(steps.filter((s) => s.run)).toEqual([]);
    expect(steps.map((s) => s.uses)).toEqual(["lockstep-app/lockstep@v1"]);
    expect(Object.values(workflow.jobs).map((j) => j["runs-on"])).toEqual(["ubuntu-latest"]);
  });
});

describe("docs/operations.md", () => {
  it("documents every Lockstep metric", async () => {
    const doc = read("docs/operations.md");
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name).filter((n) => n.startsWith("lockstep_"));
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const name of names) expect(doc).toContain(`\`${name}\``);
  });
});
