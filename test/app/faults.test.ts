import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { loadBuiltinChecklists } from "../../src/core/builtin.js";
import { createEventHandlers } from "../../src/github/event-handlers.js";
import { createDeps } from "../../src/runtime/deps.js";
import { lockstepOctokit } from "../../src/runtime/octokit.js";
import type { Checklist } from "../../src/types.js";
import { startFakeGitHub, type FakeGitHub, type FaultKind } from "../helpers/fake-github.js";
import { CONFIG, prFile } from "../helpers/github-nock.js";
import { OWNER, payload, PR_NUMBER, REPO } from "../helpers/payloads.js";
import { createTestApp, type TestApp } from "../helpers/test-app.js";

const FULL = `${OWNER}/${REPO}`;
const SHA = "c".repeat(40);
// Backoffs shortened (1 ms units) and write spacing off, so faults cost milliseconds here.
const FAST = { LOCKSTEP_RETRY_BASE_MS: "1", LOCKSTEP_WRITE_MIN_MS: "0", LOCKSTEP_NOTIFY_MIN_MS: "0", LOCKSTEP_REQUEST_TIMEOUT_MS: "100" };

let github: FakeGitHub;
let app: TestApp;

beforeEach(async () => {
  github = await startFakeGitHub();
  github.setFile(FULL, "master", ".github/compliance.yml", CONFIG);
  github.state.collaborators = new Set(["alice", "legal"]);
  github.addPull(FULL, { number: PR_NUMBER, base: "master", headSha: SHA, files: [prFile("db/migrate/1_dob.rb", ["t.date :date_of_birth"])] });
  app = await createTestApp({ baseUrl: `${github.url}/api/v3`, Octokit: lockstepOctokit(FAST) });
});
afterEach(async () => {
  expect(github.violations).toEqual([]);
  await github.close();
});

const opened = () => payload("pull_request", "opened", (p) => (p.pull_request.head.sha = SHA));
const pr = () => github.pull(FULL, PR_NUMBER);
const runs = () => github.state.checkRuns.map((r) => [r.head_sha, r.conclusion]);

describe("GitHub answering with transient faults", () => {
  it.each<FaultKind>(["500", "502", "timeout", "secondary", "primary", "429"])("%s on every kind of request is retried: the final state is complete and right", async (kind) => {
    // Each request faults twice before it is answered (the token exchange excepted).
    github.setFaults({ rate: 1, kinds: [kind], maxPerRequest: 2, holdMs: 400 });
    await app.probot.receive(opened());
    expect(github.faults.total).toBeGreaterThan(10);
    expect(github.faults.retried).toBe(github.faults.total);
    expect(github.state.comments).toHaveLength(1);
    expect(runs()).toEqual([[SHA, "action_required"]]);
    expect(pr().requestedUsers).toEqual(["alice"]);
    expect(pr().labels).toEqual(["compliance: high", "compliance: personal-data"]);
  }, 20_000);
});

describe("GitHub staying down", () => {
  it("while gathering: a failing check that says so (never success); the next delivery repairs it", async () => {
    github.setFaults({ rate: 1, kinds: ["502"], maxPerRequest: 100, eligible: (m, p) => m === "GET" && p.endsWith("/files") });
    await app.probot.receive(opened());
    expect(runs()).toEqual([[SHA, "failure"]]);
    expect(github.state.checkRuns[0]!.output).toMatchObject({ title: "Could not evaluate: GitHub API error" });
    expect(github.state.comments).toHaveLength(0);

    github.setFaults(undefined);
    await app.probot.receive({ ...opened(), id: "redelivered" });
    expect(runs()).toEqual([[SHA, "action_required"]]);
    expect(github.state.comments).toHaveLength(1);
  });

  it("for the comment, reviewers and labels: the check is still written, and says what failed", async () => {
    github.setFaults({ rate: 1, kinds: ["500"], maxPerRequest: 100, eligible: (m, p) => m !== "GET" && !p.includes("check-runs") && !p.endsWith("/access_tokens") });
    await app.probot.receive(opened());
    expect(runs()).toEqual([[SHA, "action_required"]]);
    const text = JSON.stringify(github.state.checkRuns[0]!.output);
    expect(text).toContain("Could not write Lockstep's comment");
    expect(text).toContain("Could not request a review from alice, team legal");
    expect(text).toContain("Could not add labels");
    expect(github.state.comments).toHaveLength(0);
  });

  it("for the sign-off state (the comment cannot be read): a failing check, never success", async () => {
    github.setFaults({ rate: 1, kinds: ["500"], maxPerRequest: 100, eligible: (m, p) => m === "GET" && p.endsWith("/comments") });
    await app.probot.receive(payload("pull_request", "synchronize", (p) => (p.pull_request.head.sha = SHA)));
    expect(runs()).toEqual([[SHA, "failure"]]);
    expect(JSON.stringify(github.state.checkRuns[0]!.output)).toContain("could not read the sign-off state");
  });

  it("for the check run itself: the delivery fails (GitHub shows it and can redeliver); a redelivery repairs it", async () => {
    github.setFaults({ rate: 1, kinds: ["502"], maxPerRequest: 100, eligible: (_m, p) => p.endsWith("/check-runs") });
    await expect(app.probot.receive(opened())).rejects.toThrow(/Server Error/);
    expect(runs()).toEqual([]);
    github.setFaults(undefined);
    await app.probot.receive({ ...opened(), id: "redelivered" });
    expect(runs()).toEqual([[SHA, "action_required"]]);
    // The redelivery of `opened` looked the comment up instead of posting a second one.
    expect(github.state.comments).toHaveLength(1);
  });
});

describe("an evaluation that cannot finish", () => {
  it("a bug in Lockstep while evaluating: a failing check that says so and how to retry, never success", async () => {
    const builtins = loadBuiltinChecklists().checklists;
    const broken = new Proxy(builtins.find((c) => c.id === "compliance-config")!, {
      get: (target, key) => {
        if (key === "triggers") throw new TypeError("evaluation blew up");
        return Reflect.get(target, key) as unknown;
      },
    }) as Checklist;
    const buggy = await createTestApp({
      baseUrl: `${github.url}/api/v3`,
      app: (probot: Probot) => void probot.on("pull_request.opened", createEventHandlers(createDeps(probot, builtins.map((c) => (c.id === "compliance-config" ? broken : c)), {})).pullRequest),
    });
    await buggy.probot.receive(opened());
    expect(runs()).toEqual([[SHA, "failure"]]);
    expect(github.state.checkRuns[0]!.output).toMatchObject({ title: "Could not evaluate: internal error" });
    expect(JSON.stringify(github.state.checkRuns[0]!.output)).toContain("evaluation blew up");
  });
});
