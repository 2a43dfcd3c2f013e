import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { instrumentOctokit } from "../../src/runtime/instrument-octokit.js";
import { observeEvaluation, registry } from "../../src/runtime/metrics.js";
import { observed, subject } from "../../src/runtime/observed.js";
import { payload } from "../helpers/payloads.js";

/** The current value of one sample (a counter, or a histogram's `_count`). */
async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name.replace(/_count$/, ""));
  const { values } = await metric!.get();
  const found = values.find((v) => (name.endsWith("_count") ? (v as { metricName?: string }).metricName === name : true) && Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l));
  return found?.value ?? 0;
}

/** An Octokit whose `fetch` answers each attempt with the next status (retry on, no waiting). */
function octokitAnswering(...statuses: number[]) {
  const fetch = async () => {
    const status = statuses.shift() ?? 200;
    return new Response(JSON.stringify(status < 400 ? { id: 1 } : { message: "boom" }), { status, headers: { "content-type": "application/json" } });
  };
  return new ProbotOctokit({ auth: { token: "test" }, request: { fetch }, retry: { retryAfterBaseValue: 1 }, throttle: { enabled: false } });
}

describe("GitHub request metrics", () => {
  it("counts every attempt by method and status, and the retries", async () => {
    const octokit = octokitAnswering(502, 200);
    instrumentOctokit(octokit);
    const [ok, bad, retries] = await Promise.all([value("lockstep_github_requests_total", { method: "PATCH", status: "200" }), value("lockstep_github_requests_total", { method: "PATCH", status: "502" }), value("lockstep_github_retries_total")]);

    await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { owner: "o", repo: "r", check_run_id: 1, status: "completed" });

    expect(await value("lockstep_github_requests_total", { method: "PATCH", status: "200" })).toBe(ok + 1);
    expect(await value("lockstep_github_requests_total", { method: "PATCH", status: "502" })).toBe(bad + 1);
    expect(await value("lockstep_github_retries_total")).toBe(retries + 1);
  });

  it("counts once when the same Octokit is instrumented twice, and a failure without retry", async () => {
    const octokit = octokitAnswering(404);
    instrumentOctokit(octokit);
    instrumentOctokit(octokit);
    const [missing, retries] = await Promise.all([value("lockstep_github_requests_total", { method: "DELETE", status: "404" }), value("lockstep_github_retries_total")]);

    await expect(octokit.request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner: "o", repo: "r", comment_id: 1 })).rejects.toMatchObject({ status: 404 });

    expect(await value("lockstep_github_requests_total", { method: "DELETE", status: "404" })).toBe(missing + 1);
    expect(await value("lockstep_github_retries_total")).toBe(retries);
  });
});

describe("observed handlers", () => {
  it("binds repo and PR to the handler's logger, counts the delivery by outcome, and rethrows", async () => {
    const bindings: object[] = [];
    const lines: object[] = [];
    const log = { child: (b: object) => (bindings.push(b), { info: (o: object) => lines.push(o) }) };
    const delivery = payload("pull_request", "opened");
    const context = { name: delivery.name, payload: delivery.payload, log, octokit: new ProbotOctokit({ auth: { token: "test" } }) } as never;
    const before = await Promise.all([value("lockstep_deliveries_total", { event: "pull_request.opened", outcome: "success" }), value("lockstep_deliveries_total", { event: "pull_request.opened", outcome: "error" })]);

    await observed(async () => {})(context);
    await expect(observed(async () => Promise.reject(new Error("no check run")))(context)).rejects.toThrow("no check run");

    expect(bindings).toEqual([
      { repo: "Codertocat/Hello-World", pr: 7 },
      { repo: "Codertocat/Hello-World", pr: 7 },
    ]);
    expect(lines).toEqual([expect.objectContaining({ event: "pull_request.opened", outcome: "success" }), expect.objectContaining({ outcome: "error" })]);
    expect(await value("lockstep_deliveries_total", { event: "pull_request.opened", outcome: "success" })).toBe(before[0] + 1);
    expect(await value("lockstep_deliveries_total", { event: "pull_request.opened", outcome: "error" })).toBe(before[1] + 1);
    expect(await value("lockstep_delivery_duration_seconds_count", { event: "pull_request.opened" })).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ["issue_comment", "created", { repo: "Codertocat/Hello-World" }],
    ["check_suite", "rerequested", { repo: "Codertocat/Hello-World" }],
    ["pull_request_review", "submitted", { repo: "Codertocat/Hello-World", pr: 7 }],
  ])("names the subject of %s.%s", (event, action, expected) => {
    const p = payload(event, action).payload as Record<string, any>;
    expect(subject(p)).toMatchObject(expected);
  });
});

describe("observeEvaluation", () => {
  it("records the duration and one decision for the risk", async () => {
    const [count, high] = await Promise.all([value("lockstep_evaluation_duration_seconds_count"), value("lockstep_decisions_total", { risk: "high" })]);
    observeEvaluation(3, "high");
    expect(await value("lockstep_evaluation_duration_seconds_count")).toBe(count + 1);
    expect(await value("lockstep_decisions_total", { risk: "high" })).toBe(high + 1);
  });
});
