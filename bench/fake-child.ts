/**
 * Child process of the server benchmark: the fake GitHub and the load generator, so that their
 * CPU is not counted as the server's. Driven over IPC by bench/server.ts (see `Command`).
 */
import { createHmac } from "node:crypto";
import { startFakeGitHub, type FakeRequest } from "../test/helpers/fake-github.js";
import { CONFIG } from "../test/helpers/config-fixture.js";
import { apiFile, BASE, FULL_NAME, pullRequestDelivery, sha } from "./fixtures.js";
import { syntheticPullRequest } from "./synthetic.js";

export type Command =
  | { type: "seed"; size: number; bytesPerFile: number; numbers: number[] }
  | { type: "deliver"; port: number; secret: string; numbers: number[]; size: number; concurrency: number; hold?: boolean }
  | { type: "release" }
  | { type: "script"; delivery: string }
  | { type: "cpu" }
  | { type: "reset" };

export type DeliveryTiming = { id: string; status: number; toResponseMs: number; toLastWriteMs: number; writes: number; calls: number };

const held: (() => void)[] = [];
let holding: Set<string> | undefined;
let holdTarget = 0;

const github = await startFakeGitHub({
  validate: false,
  // Holds the first check-run write of the deliveries being held: they stay in flight.
  gate: (r) => {
    if (!holding || !r.delivery || !holding.has(r.delivery) || r.method !== "POST" || !r.path.endsWith("/check-runs")) return;
    holding.delete(r.delivery);
    const wait = new Promise<void>((resolve) => held.push(resolve));
    if (held.length === holdTarget) process.send!({ type: "held", n: held.length });
    return wait;
  },
});
github.setFile(FULL_NAME, BASE, ".github/compliance.yml", CONFIG);
github.state.collaborators = new Set(["alice", "legal"]);

const byDelivery = new Map<string, FakeRequest[]>();

process.on("message", ({ id, command }: { id: number; command: Command }) => {
  void handle(command).then(
    (reply) => process.send!({ type: "reply", id, reply }),
    (error: unknown) => process.send!({ type: "reply", id, error: String(error) }),
  );
});
process.send!({ type: "ready", host: github.host });

async function handle(c: Command): Promise<unknown> {
  switch (c.type) {
    case "seed": {
      const files = syntheticPullRequest(c.size, c.size * c.bytesPerFile).map(apiFile);
      for (const number of c.numbers) github.addPull(FULL_NAME, { number, base: BASE, headSha: sha(number), files });
      return { files: files.length };
    }
    case "deliver":
      return deliver(c);
    case "release": {
      const n = held.length;
      for (const resolve of held.splice(0)) resolve();
      holding = undefined;
      return { released: n };
    }
    case "script":
      return index().get(c.delivery) ?? [];
    case "cpu":
      return process.cpuUsage();
    case "reset":
      // Keeps memory flat between runs: recorded requests and written state go.
      github.requests.length = 0;
      byDelivery.clear();
      github.state.comments = [];
      github.state.checkRuns = [];
      return {};
  }
}

/** Requests by delivery id (indexed lazily: the fake records them in one list). */
function index(): Map<string, FakeRequest[]> {
  for (const r of github.requests.splice(0)) {
    if (!r.delivery) continue;
    const list = byDelivery.get(r.delivery) ?? [];
    list.push(r);
    byDelivery.set(r.delivery, list);
  }
  return byDelivery;
}

/** Sends one signed `pull_request.opened` per PR, `concurrency` at a time; returns per-delivery timings. */
async function deliver(c: Extract<Command, { type: "deliver" }>): Promise<{ timings: DeliveryTiming[]; wallMs: number }> {
  const queue = [...c.numbers];
  const sent = new Map<string, { t0: number; status: number; t1: number }>();
  if (c.hold) {
    holding = new Set(c.numbers.map((n) => `bench-${n}`));
    holdTarget = c.numbers.length;
  }
  const started = performance.now();
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const id = `bench-${n}`;
      const body = JSON.stringify(pullRequestDelivery("opened", { number: n, sha: sha(n), changedFiles: c.size }, id).payload);
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${c.port}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request",
          "x-github-delivery": id,
          "x-hub-signature-256": `sha256=${createHmac("sha256", c.secret).update(body).digest("hex")}`,
        },
        body,
      });
      await res.text();
      sent.set(id, { t0, status: res.status, t1: performance.now() });
    }
  };
  await Promise.all(Array.from({ length: c.concurrency }, worker));
  const wallMs = performance.now() - started;
  const requests = index();
  const timings = [...sent].map(([id, s]): DeliveryTiming => {
    const rs = requests.get(id) ?? [];
    const writes = rs.filter((r) => r.method !== "GET" && !r.path.includes("/access_tokens"));
    const last = Math.max(...writes.map((r) => r.start), s.t0);
    return { id, status: s.status, toResponseMs: s.t1 - s.t0, toLastWriteMs: last - s.t0, writes: writes.length, calls: rs.length };
  });
  return { timings, wallMs };
}
