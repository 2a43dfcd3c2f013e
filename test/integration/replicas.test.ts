import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../src/render/comment.js";
import { readRecord, stateKey } from "../../src/signoff/record.js";
import { buildApp, startAppServer, type AppServer } from "../helpers/app-server.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { privateKey } from "../helpers/keys.js";
import { payload, repository } from "../helpers/payloads.js";
import { skipRedis, startRedis } from "../helpers/redis-server.js";
import { integrationConfig, MIGRATION } from "../helpers/integration-fixture.js";

const SECRET = `whsec-${randomUUID()}`;
const REPO = "acme/shop";
const CONFIG = integrationConfig();
const SHA = { 1: "1".repeat(40), 2: "2".repeat(40), 3: "3".repeat(40), 4: "4".repeat(40) } as const;
const AT = { 1: "2026-03-01T10:00:00Z", 2: "2026-03-01T10:01:00Z", 3: "2026-03-01T10:02:00Z", 4: "2026-03-01T10:03:00Z" } as const;

let github: FakeGitHub;
let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
const replicas: AppServer[] = [];

/**
 * The real thing: two App processes started as `npm start` starts them (`node lib/server.js`,
 * environment only), sharing a real redis-server, against a fake GitHub on 127.0.0.1 that
 * injects faults, fed HMAC-signed deliveries over HTTP. Logging at trace, so the secret search
 * below reads everything Probot and Lockstep can print.
 */
beforeAll(async () => {
  buildApp();
  github = await startFakeGitHub();
  github.setFile(REPO, "main", ".github/compliance.yml", CONFIG);
  github.state.collaborators = new Set(["alice", "legal"]);
  github.addPull(REPO, { number: 7, author: "dev", headSha: SHA[3], updatedAt: AT[3], files: [MIGRATION] });
  github.addPull(REPO, { number: 8, author: "dev", headSha: SHA[4], updatedAt: AT[4], files: [MIGRATION] });
  if (!skipRedis) redis = await startRedis();
  const env = {
    APP_ID: "123",
    PRIVATE_KEY: privateKey(),
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "trace",
    // Shortened so that the injected faults cost milliseconds (docs/reliability.md).
    LOCKSTEP_RETRY_BASE_MS: "5",
    LOCKSTEP_WRITE_MIN_MS: "0",
    LOCKSTEP_NOTIFY_MIN_MS: "0",
    LOCKSTEP_REQUEST_TIMEOUT_MS: "300",
    ...(redis ? { REDIS_URL: redis.url } : {}),
  };
  replicas.push(...(await Promise.all([startAppServer(env), startAppServer(env)])));
}, 90_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await github?.close();
  await redis?.stop();
});

describe.skipIf(skipRedis)("two replicas sharing Redis, against a faulty fake GitHub", () => {
  it("rejects a delivery with a bad signature (400), before any request to GitHub", async () => {
    const res = await replicas[0]!.deliver("pull_request", prPayload("opened", 1), { signature: "sha256=" + "0".repeat(64) });
    expect(res.status).toBe(400);
    expect(github.requests).toEqual([]);
  });

  it("twenty concurrent deliveries for one PR, a redelivery among them: one comment, one check per head sha, the latest head wins", async () => {
    github.setFaults({ rate: 0.15, seed: 7, holdMs: 600 });
    const opened = { event: "pull_request", body: prPayload("opened", 1), id: randomUUID() };
    const deliveries = [
      opened,
      opened, // a redelivery: same id, same body, the other replica
      ...Array.from({ length: 6 }, () => ({ event: "pull_request", body: prPayload("synchronize", 2), id: randomUUID() })),
      ...Array.from({ length: 9 }, () => ({ event: "pull_request", body: prPayload("synchronize", 3), id: randomUUID() })),
      ...Array.from({ length: 3 }, () => ({ event: "issue_comment", body: recheck(), id: randomUUID() })),
    ];
    expect(deliveries).toHaveLength(20);
    const statuses = await Promise.all(deliveries.map((d, i) => replicas[i % 2]!.deliver(d.event, d.body, { id: d.id }).then((r) => r.status)));
    expect(statuses.every((s) => s === 200 || s === 202)).toBe(true);
    await quiet();
    github.setFaults(undefined);

    expect(github.violations).toEqual([]);
    expect(github.faults.total).toBeGreaterThan(0);
    expect(github.faults.retried).toBe(github.faults.total);
    const comments = github.state.comments.filter((c) => c.issue === `${REPO}#7`);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    const record = readRecord(comments[0]!.body, stateKey({ WEBHOOK_SECRET: SECRET }), 186853002, 7);
    expect(record).toMatchObject({ kind: "valid", state: { sha: SHA[3] } });

    const runs = github.state.checkRuns.filter((r) => r.external_id === "7");
    for (const sha of [SHA[1], SHA[2], SHA[3]]) expect(runs.filter((r) => r.head_sha === sha).length).toBeLessThanOrEqual(1);
    expect(runs.filter((r) => r.head_sha === SHA[3]).map((r) => [r.name, r.conclusion])).toEqual([["Lockstep", "action_required"]]);
    // Each annotation once, however many times the run was updated (GitHub appends them on every update).
    const annotations = runs.find((r) => r.head_sha === SHA[3])!.annotations as { title: string }[];
    expect(annotations).toContainEqual(expect.objectContaining({ path: "db/migrate/001_add_dob.rb", start_line: 1, annotation_level: "failure", title: "Personal data (high risk)" }));
    expect(new Set(annotations.map((a) => JSON.stringify(a))).size).toBe(annotations.length);
    const pr = github.pull(REPO, 7);
    expect(pr.requestedUsers).toEqual(["alice"]);
    expect(pr.requestedTeams).toEqual(["legal"]);
    expect([...pr.labels].sort()).toEqual(["compliance: high", "compliance: personal-data", "compliance: personal-data-fields"]);
    // The redelivered `opened` and the contended deliveries looked up instead of posting: one POST per kind.
    const posts = github.requests.filter((r) => r.method === "POST" && r.path.endsWith("/issues/7/comments"));
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(comments[0]!.id).toBe(Math.min(...github.state.comments.map((c) => c.id)));
  }, 120_000);

  it("a delivery whose check run cannot be written fails visibly (500), logged with its delivery id; the server keeps serving", async () => {
    github.setFaults({ rate: 1, kinds: ["502"], maxPerRequest: 100, eligible: (_m, p) => p.includes("/check-runs") });
    const id = `failing-${randomUUID()}`;
    const res = await replicas[0]!.deliver("pull_request", prPayload("opened", 4, 8), { id });
    github.setFaults(undefined);
    expect(res.status).toBeGreaterThanOrEqual(500);
    // Logs go through a stream: give them a moment to arrive.
    const wanted = ["could not write the Lockstep check run; the delivery fails so that it can be redelivered", `handling delivery ${id} (pull_request) failed`];
    const errors = () => jsonLines(replicas[0]!.logs()).filter((l) => l.level >= 50 && l.id === id).map((l) => l.msg);
    for (let i = 0; i < 50 && !wanted.every((w) => errors().includes(w)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(errors()).toEqual(expect.arrayContaining(wanted));
    expect((await fetch(`http://127.0.0.1:${replicas[0]!.port}/ping`)).ok).toBe(true);
    // The redelivery repairs it.
    expect((await replicas[1]!.deliver("pull_request", prPayload("opened", 4, 8), { id })).status).toBe(200);
    expect(github.state.checkRuns.filter((r) => r.external_id === "8").map((r) => r.conclusion)).toEqual(["action_required"]);
    expect(github.state.comments.filter((c) => c.issue === `${REPO}#8`)).toHaveLength(1);
  }, 60_000);

  it("no secret appears in the logs (trace level), the comments or the check runs", () => {
    const key = privateKey();
    const body = key.split("\n").filter((l) => l && !l.startsWith("-----")).join("");
    const derived = stateKey({ WEBHOOK_SECRET: SECRET });
    const secrets = {
      "private key (PEM body)": body,
      "private key (a line of it)": key.split("\n")[5]!,
      "private key (a distinctive chunk)": body.slice(400, 440),
      "installation token": github.token,
      "webhook secret": SECRET,
      "state key (hex)": derived.toString("hex"),
      "state key (base64)": derived.toString("base64"),
      "state key (base64url)": derived.toString("base64url"),
    };
    const logs = replicas.map((r) => r.logs()).join("\n");
    expect(logs.length).toBeGreaterThan(100_000); // trace logging really happened
    expect(logs).toContain("GitHub request: POST"); // including Octokit's request log
    const outputs = [logs, ...github.state.comments.map((c) => c.body), ...github.state.checkRuns.map((r) => JSON.stringify(r))].join("\n");
    const leaks = Object.entries(secrets).filter(([, value]) => outputs.includes(value)).map(([name]) => name);
    expect(leaks).toEqual([]);
  });
});

function prPayload(action: string, version: keyof typeof SHA, number = 7) {
  const p = payload("pull_request", "opened").payload as Record<string, any>;
  p.action = action;
  p.number = number;
  p.repository = { ...p.repository, name: "shop", full_name: REPO, owner: { ...p.repository.owner, login: "acme" } };
  Object.assign(p.pull_request, { number, html_url: `https://github.com/acme/shop/pull/${number}`, changed_files: 1, updated_at: AT[version], user: { ...p.pull_request.user, login: "dev" } });
  p.pull_request.head.sha = SHA[version];
  p.pull_request.base.ref = "main";
  return p;
}

function recheck() {
  const p = payload("issue_comment", "created").payload as Record<string, any>;
  p.repository = { ...repository(), name: "shop", full_name: REPO, owner: { ...repository().owner, login: "acme" } };
  Object.assign(p.issue, { number: 7, state: "open", pull_request: { url: "x" }, user: { ...p.issue.user, login: "dev" } });
  p.comment.body = "/lockstep recheck";
  p.sender = { ...p.sender, login: "dev", type: "User" };
  return p;
}

type LogLine = { level: number; msg?: string; id?: string };
function jsonLines(text: string): LogLine[] {
  return text.split("\n").flatMap((l) => {
    try {
      return [JSON.parse(l) as LogLine];
    } catch {
      return [];
    }
  });
}

/** Waits until the fake GitHub has seen no request for a while: every handler and retry has finished. */
async function quiet(ms = 1500, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let count = -1;
  while (count !== github.requests.length) {
    if (Date.now() > deadline) throw new Error("GitHub traffic did not settle");
    count = github.requests.length;
    await new Promise((r) => setTimeout(r, ms));
  }
}
