import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readRecord, stateKey } from "../../src/signoff/record.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { CONFIG, prFile } from "../helpers/github-nock.js";
import { HEAD_SHA, OWNER, payload, PR_NUMBER, REPO, repository, type Delivery } from "../helpers/payloads.js";
import { APP_ID, createTestApp, type TestApp } from "../helpers/test-app.js";

const FULL = `${OWNER}/${REPO}`;
const CONFIG_PATH = ".github/compliance.yml";
const DOB = prFile("db/migrate/1_dob.rb", ["t.date :date_of_birth"]);

let github: FakeGitHub;
let app: TestApp;
beforeEach(async () => {
  github = await startFakeGitHub({ appId: APP_ID });
  github.state.collaborators = new Set(["alice", "legal"]);
  github.state.permissions = new Map([["mallory", "read"]]);
  app = await createTestApp({ baseUrl: `${github.url}/api/v3` });
});
afterEach(async () => {
  await github.close();
});

const opened = () => payload("pull_request", "opened");
const check = () => {
  expect(github.state.checkRuns).toHaveLength(1);
  return github.state.checkRuns[0]!;
};

describe("a configuration that cannot be used fails closed, with a located error (through the App)", () => {
  beforeEach(() => void github.addPull(FULL, { number: PR_NUMBER, base: "master", headSha: HEAD_SHA, files: [DOB] }));

  it("a YAML alias bomb", async () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) bomb.push(`${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(10).fill(`*${"abcdefghij"[i]}`).join(", ")}]`);
    github.setFile(FULL, "master", CONFIG_PATH, bomb.join("\n"));
    await app.probot.receive(opened());
    expect(check()).toMatchObject({ conclusion: "failure", output: { title: expect.stringMatching(/^Invalid configuration/) } });
    expect(check().output!.summary).toMatch(/`\.github\/compliance\.yml:\d+:\d+` .*alias/i);
    expect(check().annotations).toEqual([expect.objectContaining({ path: CONFIG_PATH, annotation_level: "failure" })]);
  });

  it("deep nesting", async () => {
    github.setFile(FULL, "master", CONFIG_PATH, `counsel: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    await app.probot.receive(opened());
    expect(check()).toMatchObject({ conclusion: "failure", output: { title: expect.stringMatching(/^Invalid configuration/) } });
    expect(check().output!.summary).toMatch(/`\.github\/compliance\.yml:\d+:\d+`/);
  });

  it("a huge file", async () => {
    github.setFile(FULL, "master", CONFIG_PATH, `# ${"x".repeat(2 * 1024 * 1024)}\ncounsel: { users: [alice] }\n`);
    await app.probot.receive(opened());
    expect(check()).toMatchObject({ conclusion: "failure" });
    expect(check().output!.summary).toContain("`.github/compliance.yml:1:1` file is larger than 1024 KiB; split it up");
  });

  it("a config that cannot be read (403): a failure that says what to do, never success", async () => {
    github.setFile(FULL, "master", CONFIG_PATH, CONFIG);
    github.setFaults({ rate: 1, kinds: ["403"], maxPerRequest: 100, eligible: (_m, p) => p.includes("/contents/") });
    await app.probot.receive(opened());
    expect(check().conclusion).toBe("failure");
    expect(JSON.stringify(check().output)).toMatch(/Resource not accessible by integration/);
    expect(check().output!.summary).toContain("Lockstep could not read its configuration, so it cannot judge this pull request.");
    expect(check().annotations).toEqual([expect.objectContaining({ path: CONFIG_PATH, start_line: 1, annotation_level: "failure" })]);
  });

  it("a file without a patch (binary or too large) on a line trigger fires conservatively, and says why", async () => {
    github.setFile(FULL, "master", CONFIG_PATH, CONFIG);
    github.pull(FULL, PR_NUMBER).files = [{ filename: "db/migrate/2_blob.rb", status: "added", additions: 0, deletions: 0, changes: 0 }];
    await app.probot.receive(opened());
    expect(check().conclusion).toBe("action_required");
    expect(check().output!.text).toContain("- **new personal-data column** (high): path matches `db/migrate/**`; no diff to check lines against (binary or too large), so it counts\n  - `db/migrate/2_blob.rb`\n");
  });
});

describe("malformed payloads (property): no crash, no sign-off nobody gave", () => {
  // Junk that never names a real person: a mutation must not turn mallory into counsel.
  const junk = fc.constantFrom<unknown>(undefined, null, 0, -1, "", "../../etc/passwd", "x".repeat(5000), [], {}, true, "é😀");
  const PATHS = [
    "action", "sender", "sender.login", "sender.type", "installation", "repository", "repository.owner", "repository.name", "repository.id",
    "pull_request", "pull_request.number", "pull_request.head", "pull_request.head.sha", "pull_request.head.repo", "pull_request.base", "pull_request.base.ref",
    "pull_request.user", "pull_request.state", "pull_request.changed_files", "pull_request.updated_at", "pull_request.labels", "pull_request.requested_reviewers",
    "issue", "issue.number", "issue.pull_request", "issue.state", "issue.user", "comment", "comment.body", "comment.user", "comment.performed_via_github_app",
    "changes", "changes.body", "changes.body.from", "review", "review.state", "review.user", "review.id", "check_run", "check_run.app", "check_run.external_id", "check_run.pull_requests",
  ];

  function set(obj: Record<string, unknown>, path: string, value: unknown): void {
    const keys = path.split(".");
    let o: unknown = obj;
    for (const k of keys.slice(0, -1)) {
      if (typeof o !== "object" || o === null) return;
      o = (o as Record<string, unknown>)[k];
    }
    if (typeof o !== "object" || o === null) return;
    if (value === undefined) delete (o as Record<string, unknown>)[keys.at(-1)!];
    else (o as Record<string, unknown>)[keys.at(-1)!] = value;
  }

  /** Real payloads of every event Lockstep handles, all sent by mallory (read access, not counsel). */
  function deliveries(comment: { id: number; body: string }): Delivery[] {
    const ticked = comment.body.replace(/- \[ \] <!-- item:/g, "- [x] <!-- item:");
    const asMallory = (d: Delivery) => {
      const p = d.payload as Record<string, any>;
      p.sender = { ...p.sender, login: "mallory", type: "User" };
      return d;
    };
    const onPr = (p: Record<string, any>) => {
      p.repository = repository();
      Object.assign(p.issue, { number: PR_NUMBER, state: "open", pull_request: { url: "x" }, user: { ...p.issue.user, login: "dev" } });
    };
    return [
      payload("pull_request", "synchronize"),
      payload("pull_request", "opened"),
      payload("issue_comment", "edited", (p) => {
        onPr(p);
        Object.assign(p.comment, { id: comment.id, body: ticked, user: { login: "lockstep[bot]", type: "Bot" }, performed_via_github_app: { id: APP_ID } });
        p.changes = { body: { from: comment.body } };
      }),
      payload("issue_comment", "created", (p) => {
        onPr(p);
        p.comment.body = "/lockstep waive personal-data because I say so, really";
      }),
      payload("pull_request_review", "submitted", (p) => {
        p.repository = repository();
        p.review.state = "approved";
        p.review.user = { ...p.review.user, login: "mallory" };
      }),
      payload("check_run", "rerequested", (p) => {
        p.repository = repository();
        Object.assign(p.check_run, { name: "Lockstep", app: { ...p.check_run.app, id: APP_ID }, pull_requests: [], external_id: String(PR_NUMBER), head_sha: HEAD_SHA });
      }),
    ].map(asMallory);
  }

  it("handlers never crash the process and never record a sign-off", async () => {
    github.setFile(FULL, "master", CONFIG_PATH, CONFIG);
    github.addPull(FULL, { number: PR_NUMBER, base: "master", headSha: HEAD_SHA, files: [DOB] });
    await app.probot.receive(opened());
    const comment = github.state.comments[0]!;
    const originals = deliveries(comment);
    // Unmutated first: they are read, not dropped, and mallory's attempts are refused and recorded.
    for (const d of originals) await app.probot.receive(structuredClone(d)).catch(() => undefined);
    const first = readRecord(github.state.comments[0]!.body, stateKey({}), 186853002, PR_NUMBER);
    expect(first.kind === "valid" && first.state.log.filter((e) => e.by === "mallory" && e.action === "refused").length).toBeGreaterThanOrEqual(2);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => void unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: originals.length - 1 }), fc.array(fc.tuple(fc.constantFrom(...PATHS), junk), { maxLength: 4 }), async (which, mutations) => {
          const delivery = structuredClone(originals[which]!);
          for (const [path, value] of mutations) set(delivery.payload as Record<string, unknown>, path, value);
          // A handler may fail on a payload it cannot read (the delivery then fails, loudly); it must not crash anything.
          await app.probot.receive(delivery).catch((error: unknown) => expect(error).toBeInstanceOf(Error));
          for (const c of github.state.comments) {
            const record = readRecord(c.body, stateKey({}), 186853002, PR_NUMBER);
            if (record.kind !== "valid") continue;
            for (const checklist of Object.values(record.state.checklists)) {
              expect(checklist.items).toEqual({});
              expect(checklist.waived).toBeUndefined();
            }
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(github.state.checkRuns.every((r) => r.conclusion !== "success")).toBe(true);
  }, 60_000);
});
