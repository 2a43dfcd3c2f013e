import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { CONFIG, prFile } from "../helpers/github-nock.js";
import { OWNER, payload, PR_NUMBER, REPO } from "../helpers/payloads.js";
import { createTestApp, type TestApp } from "../helpers/test-app.js";

let github: FakeGitHub;
let app: TestApp;
const FULL = `${OWNER}/${REPO}`;

beforeEach(async () => {
  github = await startFakeGitHub();
  github.setFile(FULL, "master", ".github/compliance.yml", CONFIG);
  github.state.collaborators = new Set(["alice", "legal"]);
  app = await createTestApp({ baseUrl: `${github.url}/api/v3` });
});
afterEach(async () => {
  expect(github.violations).toEqual([]);
  expect(app.violations).toEqual([]);
  await github.close();
});

it("concurrent deliveries for one PR leave one comment, one reviewer request and one check run", async () => {
  const pr = github.addPull(FULL, { number: PR_NUMBER, base: "master", files: [prFile("db/migrate/1_dob.rb", ["t.date :date_of_birth"])] });
  const delivery = (i: number) =>
    payload("pull_request", "synchronize", (p) => {
      p.pull_request.head.sha = pr.headSha;
      p.pull_request.changed_files = 1;
      p.id = i;
    });
  await Promise.all([1, 2, 3, 4, 5].map((i) => app.probot.receive({ ...delivery(i), id: `d${i}` })));

  expect(github.state.comments).toHaveLength(1);
  expect(pr.requestedUsers).toEqual(["alice"]);
  expect(pr.labels).toEqual(["compliance: high", "compliance: personal-data"]);
  // The first delivery creates the run for the new sha; the others update it.
  expect(github.state.checkRuns.map((r) => r.conclusion)).toEqual(["action_required"]);
  expect(app.calls().filter((c) => c.startsWith("POST") && c.endsWith("/requested_reviewers"))).toHaveLength(1);
  expect(app.calls().filter((c) => c.startsWith("POST") && c.endsWith("/comments"))).toHaveLength(1);
  // Each label is created (with its colour) once; later deliveries know it exists.
  expect(app.calls().filter((c) => c === `POST /api/v3/repos/${FULL}/labels`)).toHaveLength(2);
});

describe("ordering: the latest head wins", () => {
  const OLD = "1".repeat(40);
  const NEW = "2".repeat(40);
  const push = (sha: string, updatedAt: string, id: string) => ({
    ...payload("pull_request", "synchronize", (p) => {
      p.pull_request.head.sha = sha;
      p.pull_request.updated_at = updatedAt;
    }),
    id,
  });
  const record = () => /lockstep:state v1 ([A-Za-z0-9_-]+)\./.exec(github.state.comments[0]!.body)![1]!;
  const recordSha = () => (JSON.parse(Buffer.from(record(), "base64url").toString("utf8")) as { sha?: string }).sha;

  it("a late delivery for an older push changes nothing: no comment edit, no labels, no check", async () => {
    const pr = github.addPull(FULL, { number: PR_NUMBER, base: "master", headSha: NEW, files: [prFile("db/migrate/1_dob.rb", ["t.date :date_of_birth"])] });
    await app.probot.receive(push(NEW, "2026-03-01T10:00:05Z", "new"));
    const before = app.requests.length;
    const body = github.state.comments[0]!.body;
    await app.probot.receive(push(OLD, "2026-03-01T10:00:00Z", "old"));
    expect(app.requests.slice(before)).toEqual([]);
    expect(github.state.comments.map((c) => c.body)).toEqual([body]);
    expect(recordSha()).toBe(NEW);
    expect(github.state.checkRuns.map((r) => r.head_sha)).toEqual([NEW]);
    expect(pr.requestedUsers).toEqual(["alice"]);
  });

  it("same updated_at, different heads: GitHub is asked which head is current", async () => {
    github.addPull(FULL, { number: PR_NUMBER, base: "master", headSha: NEW, files: [prFile("db/migrate/1_dob.rb", ["t.date :date_of_birth"])] });
    await app.probot.receive(push(NEW, "2026-03-01T10:00:05Z", "new"));
    const before = app.requests.length;
    await app.probot.receive(push(OLD, "2026-03-01T10:00:05Z", "old"));
    expect(app.calls().slice(before)).toEqual([`GET /api/v3/repos/${FULL}/pulls/${PR_NUMBER}`]);
    expect(github.state.checkRuns.map((r) => r.head_sha)).toEqual([NEW]);
    expect(recordSha()).toBe(NEW);
  });

  it("a tie settled by GitHub for the newer head: a late event for the older one then changes nothing", async () => {
    const pr = github.addPull(FULL, { number: PR_NUMBER, base: "master", headSha: OLD, files: [prFile("db/migrate/1_dob.rb", ["t.date :date_of_birth"])] });
    await app.probot.receive(push(OLD, "2026-03-01T10:00:05Z", "old"));
    pr.headSha = NEW;
    await app.probot.receive(push(NEW, "2026-03-01T10:00:05Z", "new"));
    const before = app.requests.length;
    await app.probot.receive(push(OLD, "2026-03-01T10:00:05Z", "old-again"));
    // The settled tie was remembered: no need to ask again.
    expect(app.calls().slice(before)).toEqual([]);
    expect(recordSha()).toBe(NEW);
  });

  it("a newer push after an older one is evaluated as usual", async () => {
    const pr = github.addPull(FULL, { number: PR_NUMBER, base: "master", headSha: OLD, files: [prFile("db/migrate/1_dob.rb", ["t.date :date_of_birth"])] });
    await app.probot.receive(push(OLD, "2026-03-01T10:00:00Z", "old"));
    pr.headSha = NEW;
    await app.probot.receive(push(NEW, "2026-03-01T10:00:05Z", "new"));
    expect(github.state.checkRuns.map((r) => [r.head_sha, r.conclusion])).toEqual([[OLD, "action_required"], [NEW, "action_required"]]);
    expect(github.state.comments).toHaveLength(1);
    expect(recordSha()).toBe(NEW);
  });

  it("a redelivered `opened` looks the comment and the check run up: nothing is posted twice", async () => {
    github.addPull(FULL, { number: PR_NUMBER, base: "master", files: [prFile("db/migrate/1_dob.rb", ["t.date :date_of_birth"])] });
    const opened = payload("pull_request", "opened", (p) => (p.pull_request.head.sha = "a".repeat(40)));
    await app.probot.receive(opened);
    const first = app.calls().length;
    await app.probot.receive(opened);
    expect(app.calls().slice(first)).toContain(`GET /api/v3/repos/${FULL}/issues/${PR_NUMBER}/comments`);
    expect(github.state.comments).toHaveLength(1);
    expect(github.state.checkRuns).toHaveLength(1);
  });

  it("the first `opened` of a PR, uncontended, looks nothing up (the low-risk path stays cheap)", async () => {
    github.addPull(FULL, { number: PR_NUMBER, base: "master", files: [prFile("README.md")] });
    await app.probot.receive(payload("pull_request", "opened", (p) => (p.pull_request.head.sha = "a".repeat(40))));
    expect(app.calls().filter((c) => c.startsWith("GET") && (c.endsWith("/comments") || c.endsWith("/check-runs")))).toEqual([]);
  });
});
