import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../helpers/app-server.js";
import { COMMENT_MARKER } from "../../src/render/comment.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { privateKey } from "../helpers/keys.js";
import { payload } from "../helpers/payloads.js";
import { deliver as sendDelivery } from "../helpers/app-server.js";
import { freePort } from "../helpers/free-port.js";
import { integrationConfig, MIGRATION } from "../helpers/integration-fixture.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SECRET = "integration-secret";
const REPO = "acme/shop";
const CONFIG = integrationConfig({ enable: ["compliance-config"] });

let github: FakeGitHub;
let server: ChildProcess;
let port: number;
let cwd: string;
let logs = "";

/**
 * The real thing: `probot run ./lib/index.js` as `npm start` runs it, configured only through
 * the environment (probot-facts §0.5), pointed at a fake GitHub on 127.0.0.1, fed HMAC-signed
 * deliveries over HTTP. Probot's real write throttling applies, so this test is slow-ish.
 */
beforeAll(async () => {
  buildApp();
  github = await startFakeGitHub();
  github.setFile(REPO, "main", ".github/compliance.yml", CONFIG);
  github.state.collaborators = new Set(["alice", "legal"]);
  github.state.teamMembers.set("legal", new Set(["lee"]));
  github.addPull(REPO, { number: 7, author: "dev", headSha: "1".repeat(40), files: [MIGRATION] });

  port = await freePort();
  // A fresh cwd: Probot lets a .env in the cwd override the environment (probot-facts §0.4).
  cwd = mkdtempSync(join(tmpdir(), "lockstep-it-"));
  server = spawn(process.execPath, [join(ROOT, "lib/server.js")], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      APP_ID: "123",
      PRIVATE_KEY: privateKey(),
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (d: Buffer) => (logs += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (logs += d.toString()));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/ping`).catch(() => undefined))?.ok === true, 20_000, () => `server did not start:\n${logs}`);
}, 90_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  await github?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

describe("the App server against a fake GitHub", () => {
  it("rejects a delivery with a bad signature", async () => {
    const res = await deliver("pull_request", prPayload("opened"), "sha256=" + "0".repeat(64));
    expect(res.status).toBe(400);
    expect(github.requests).toEqual([]);
  });

  it("opened then a re-push: one comment, the check's conclusion, counsel requested", async () => {
    expect((await deliver("pull_request", prPayload("opened"))).status).toBeLessThan(300);
    await waitFor(() => github.state.checkRuns.length === 1, 60_000, () => `no check run:\n${logs}`);

    const pr = github.pull(REPO, 7);
    pr.headSha = "2".repeat(40);
    expect((await deliver("pull_request", prPayload("synchronize", pr.headSha))).status).toBeLessThan(300);
    await waitFor(() => github.state.checkRuns.length === 2, 60_000, () => `no second check run:\n${logs}`);

    expect(github.violations).toEqual([]);
    expect(github.state.comments).toHaveLength(1);
    expect(github.state.comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(github.state.comments[0]!.body).toContain("<!-- item:personal-data/lawful-basis -->");
    expect(github.state.checkRuns.map((r) => [r.name, r.head_sha, r.conclusion])).toEqual([
      ["Lockstep", "1".repeat(40), "action_required"],
      ["Lockstep", "2".repeat(40), "action_required"],
    ]);
    expect(github.state.checkRuns[1]!.annotations).toEqual([expect.objectContaining({ path: "db/migrate/001_add_dob.rb", start_line: 1, annotation_level: "failure" })]);
    expect(pr.requestedUsers).toEqual(["alice"]);
    expect(pr.requestedTeams).toEqual(["legal"]);
    expect(pr.labels).toEqual(["compliance: high", "compliance: personal-data"]);
  }, 120_000);
});

describe("sign-off on the real server", () => {
  it("counsel ticks an item in the comment: recorded in the signed record, the check turns success", async () => {
    const comment = github.state.comments[0]!;
    const before = comment.body;
    const after = before.replace("- [ ] <!-- item:personal-data/lawful-basis -->", "- [x] <!-- item:personal-data/lawful-basis -->");
    expect(after).not.toBe(before);
    comment.body = after; // what GitHub stores when alice ticks the box
    const edit = payload("issue_comment", "edited").payload as Record<string, any>;
    edit.repository = prPayload("opened").repository;
    Object.assign(edit.issue, { number: 7, state: "open", pull_request: { url: "x" }, user: { ...edit.issue.user, login: "dev" } });
    edit.comment = { ...edit.comment, id: comment.id, body: after, user: comment.user, performed_via_github_app: comment.performed_via_github_app };
    edit.changes = { body: { from: before } };
    edit.sender = { ...edit.sender, login: "alice", type: "User" };
    const runs = github.state.checkRuns.length;
    expect((await deliver("issue_comment", edit)).status).toBeLessThan(300);
    const head = github.pull(REPO, 7).headSha;
    await waitFor(() => github.state.checkRuns.some((r) => r.head_sha === head && r.conclusion === "success"), 60_000, () => `no success check:\n${logs}`);
    expect(github.state.checkRuns).toHaveLength(runs); // the run for this sha was updated, not duplicated
    expect(github.state.comments).toHaveLength(1);
    expect(github.state.comments[0]!.body).toMatch(/- \[x\] <!-- item:personal-data\/lawful-basis --> .* — signed off by @alice on /);
    expect(github.violations).toEqual([]);
  }, 120_000);

  it("an approving review by a member of the counsel team signs off; the author's approval does not", async () => {
    github.addPull(REPO, { number: 8, author: "dev", headSha: "8".repeat(40), files: [MIGRATION] });
    const opened = prPayload("opened", "8".repeat(40));
    opened.pull_request.number = 8;
    expect((await deliver("pull_request", opened)).status).toBeLessThan(300);
    await waitFor(() => github.state.checkRuns.some((r) => r.head_sha === "8".repeat(40)), 60_000, () => `no check for #8:\n${logs}`);

    const review = (login: string, id: number) => {
      const p = payload("pull_request_review", "submitted").payload as Record<string, any>;
      p.repository = opened.repository;
      p.pull_request = { ...p.pull_request, number: 8, state: "open", html_url: "https://github.com/acme/shop/pull/8", user: { ...p.pull_request.user, login: "dev" }, base: { ...p.pull_request.base, ref: "main" }, head: { ...p.pull_request.head, sha: "8".repeat(40) } };
      p.review = { ...p.review, id, state: "approved", user: { ...p.review.user, login } };
      return p;
    };
    expect((await deliver("pull_request_review", review("dev", 1))).status).toBeLessThan(300);
    expect(github.state.checkRuns.find((r) => r.head_sha === "8".repeat(40))!.conclusion).toBe("action_required");

    expect((await deliver("pull_request_review", review("lee", 2))).status).toBeLessThan(300);
    await waitFor(() => github.state.checkRuns.find((r) => r.head_sha === "8".repeat(40))!.conclusion === "success", 60_000, () => `approval did not sign off:\n${logs}`);
    const body = github.state.comments.find((c) => c.issue.endsWith("#8"))!.body;
    expect(body).toMatch(/- \[x\] <!-- item:personal-data\/lawful-basis --> .* — signed off by @lee on .* \(approving review\)/);
    expect(github.violations).toEqual([]);
  }, 120_000);
});

describe("operations endpoints on the real server", () => {
  it("GET /healthz answers without asking GitHub", async () => {
    const before = github.requests.length;
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(github.requests.length).toBe(before);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("GET /metrics counts deliveries, their duration and GitHub requests; logs carry delivery, repo and PR", async () => {
    const before = parseMetrics(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    const id = randomUUID();
    expect((await deliver("pull_request", prPayload("reopened", github.pull(REPO, 7).headSha), undefined, id)).status).toBeLessThan(300);
    // The response waits for the handler, but the log line may still be in the pipe.
    const handled = () => logs.split("\n").find((l) => l.includes(id) && l.includes('"delivery handled"'));
    await waitFor(() => handled() !== undefined, 30_000, () => `no delivery logged:\n${logs}`);

    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const after = parseMetrics(text);
    const moved = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(moved('lockstep_deliveries_total{event="pull_request.reopened",outcome="success"}')).toBe(1);
    expect(moved('lockstep_delivery_duration_seconds_count{event="pull_request.reopened"}')).toBe(1);
    expect(moved('lockstep_github_requests_total{method="GET",status="200"}')).toBeGreaterThan(0);
    expect(after.get('lockstep_github_requests_total{method="POST",status="201"}')).toBeGreaterThan(0);
    expect(after.get("lockstep_github_retries_total")).toBe(0);
    expect(moved("lockstep_evaluation_duration_seconds_count")).toBe(1);
    expect(moved('lockstep_decisions_total{risk="high"}')).toBe(1);
    for (const name of ["lockstep_evaluation_duration_seconds", "lockstep_decisions_total", "process_cpu_user_seconds_total", "nodejs_eventloop_lag_seconds"])
      expect(text).toContain(`# TYPE ${name} `);

    expect(JSON.parse(handled()!)).toMatchObject({ id, repo: REPO, pr: 7, event: "pull_request.reopened", outcome: "success" });
  }, 90_000);
});

/** `name{labels}` → value, for every sample line of a Prometheus text exposition. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([a-z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/i.exec(line);
    if (m) samples.set(m[1]!, Number(m[2]));
  }
  return samples;
}

function prPayload(action: string, sha = "1".repeat(40)) {
  const p = payload("pull_request", "opened").payload as Record<string, any>;
  p.action = action;
  p.repository = { ...p.repository, name: "shop", full_name: REPO, owner: { ...p.repository.owner, login: "acme" } };
  Object.assign(p.pull_request, { number: 7, html_url: "https://github.com/acme/shop/pull/7", changed_files: 1, user: { ...p.pull_request.user, login: "dev" } });
  p.pull_request.head.sha = sha;
  p.pull_request.base.ref = "main";
  return p;
}

/** A signed delivery to the server under test (`signature` overrides the real one). */
function deliver(event: string, body: object, signature?: string, id?: string): Promise<Response> {
  return sendDelivery(port, event, body, { secret: SECRET, ...(signature ? { signature } : {}), ...(id ? { id } : {}) });
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, message: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}):\n${logs}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(message());
}
