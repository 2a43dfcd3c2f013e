/**
 * Server benchmark: HMAC-signed `pull_request.opened` deliveries over HTTP (loopback) to the real
 * Probot server (`run()`, in this process), against the fake GitHub in a child process that also
 * generates the load, so this process's CPU is the server's alone. Lockstep side by side with a
 * bare Probot app that makes the same API calls and nothing else (bench/bare-app.ts): the floor.
 * Throttling and retries are OFF (function-form Octokit defaults), or writes would be spaced 1-3 s.
 * Run: npm run bench -- server
 */
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ProbotOctokit, run, type ApplicationFunction } from "probot";
import lockstep from "../src/index.js";
import { privateKey } from "../test/helpers/keys.js";
import { bareApp, type Script, type ScriptedRequest } from "./bare-app.js";
import type { Command, DeliveryTiming } from "./fake-child.js";
import { collapse, routeName } from "./calls.js";
import { freePort } from "../test/helpers/free-port.js";

const SECRET = "bench-secret";
const BYTES_PER_FILE = Math.round((10 * 1024 * 1024) / 3000);
/** Deliveries measured per PR size (after WARMUP), and how many are in flight at once. */
const ALL_SIZES = [
  { size: 10, deliveries: 300 },
  { size: 100, deliveries: 300 },
  { size: 1000, deliveries: 150 },
] as const;
/** `BENCH_SERVER_SIZES=10` runs one size alone (e.g. under `--cpu-prof`). */
const PLAN = ALL_SIZES.filter((p) => !process.env.BENCH_SERVER_SIZES || process.env.BENCH_SERVER_SIZES.split(",").includes(String(p.size)));
const WARMUP = 20;
/** Measured deliveries are split into rounds that alternate Lockstep and the bare app. */
const ROUNDS = 4;
const CONCURRENCY = 8;
/** Deliveries held in flight at once to measure memory per in-flight delivery. */
const IN_FLIGHT = 32;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

export type ServerFigures = {
  app: "lockstep" | "bare";
  size: number;
  deliveries: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuMsPerDelivery: number;
  heapKbPerInFlight: number;
  calls: number;
  writes: number;
};

export async function runServerBenchmark(log: (line: string) => void = console.log): Promise<{ figures: ServerFigures[]; scripts: Record<number, string[]>; fakeCpuMsPerDelivery: number }> {
  if (existsSync(".env")) throw new Error("a .env in the working directory overrides the benchmark's settings (Probot reads it in run()); move it away first");
  const child = await startChild();
  const servers: { stop(): Promise<void> }[] = [];
  try {
    const scripts = new Map<number, Script>();
    const start = async (app: ApplicationFunction) => {
      const port = await freePort();
      const server = await run(app, {
        env: { APP_ID: "123", PRIVATE_KEY: privateKey(), WEBHOOK_SECRET: SECRET, PORT: String(port), HOST: "127.0.0.1", GHE_HOST: child.host, GHE_PROTOCOL: "http", LOG_LEVEL: "warn" },
        Octokit: ProbotOctokit.defaults((o: object) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
      });
      servers.push(server);
      return port;
    };
    const ports = { lockstep: await start(lockstep), bare: await start(bareApp((files) => scripts.get(files))) };

    let next = 1;
    const numbers = (n: number) => Array.from({ length: n }, () => next++);
    const figures: ServerFigures[] = [];
    const described: Record<number, string[]> = {};
    let fakeCpu = 0;
    let delivered = 0;
    for (const { size, deliveries } of PLAN) {
      const acc = { lockstep: { cpuUs: 0, wallMs: 0, timings: [] as DeliveryTiming[] }, bare: { cpuUs: 0, wallMs: 0, timings: [] as DeliveryTiming[] } };
      for (const app of ["lockstep", "bare"] as const) {
        const warm = numbers(WARMUP);
        await child.call({ type: "seed", size, bytesPerFile: BYTES_PER_FILE, numbers: warm });
        await child.call({ type: "deliver", port: ports[app], secret: SECRET, numbers: warm, size, concurrency: CONCURRENCY });
        if (app === "lockstep") {
          const requests = (await child.call({ type: "script", delivery: `bench-${warm.at(-1)}` })) as ScriptedRequest[];
          const script = { number: warm.at(-1)!, requests: requests.filter((r) => !r.path.includes("/access_tokens")) };
          scripts.set(size, script);
          described[size] = collapse(script.requests.map(routeName));
        }
        await child.call({ type: "reset" });
      }
      // Rounds alternate the order, so that both apps share the machine's noise alike.
      for (let round = 0; round < ROUNDS; round++) {
        for (const app of round % 2 === 0 ? (["lockstep", "bare"] as const) : (["bare", "lockstep"] as const)) {
          const measured = numbers(Math.round(deliveries / ROUNDS));
          await child.call({ type: "seed", size, bytesPerFile: BYTES_PER_FILE, numbers: measured });
          gc();
          const fakeBefore = (await child.call({ type: "cpu" })) as NodeJS.CpuUsage;
          const cpuBefore = process.cpuUsage();
          const { timings, wallMs } = (await child.call({ type: "deliver", port: ports[app], secret: SECRET, numbers: measured, size, concurrency: CONCURRENCY })) as { timings: DeliveryTiming[]; wallMs: number };
          const cpu = process.cpuUsage(cpuBefore);
          const fakeAfter = (await child.call({ type: "cpu" })) as NodeJS.CpuUsage;
          fakeCpu += fakeAfter.user + fakeAfter.system - fakeBefore.user - fakeBefore.system;
          delivered += measured.length;
          const failed = timings.filter((t) => t.status !== 200);
          if (failed.length) throw new Error(`${app}: ${failed.length} deliveries answered ${failed[0]!.status}`);
          await child.call({ type: "reset" });
          acc[app].cpuUs += cpu.user + cpu.system;
          acc[app].wallMs += wallMs;
          acc[app].timings.push(...timings);
        }
      }
      for (const app of ["lockstep", "bare"] as const) {
        const held = numbers(IN_FLIGHT);
        await child.call({ type: "seed", size, bytesPerFile: BYTES_PER_FILE, numbers: held });
        const heapKbPerInFlight = await inFlightHeap(child, { port: ports[app], secret: SECRET, numbers: held, size });
        await child.call({ type: "reset" });
        const { timings, cpuUs, wallMs } = acc[app];
        const lat = timings.map((t) => t.toLastWriteMs).sort((a, b) => a - b);
        figures.push({
          app,
          size,
          deliveries: timings.length,
          perSecond: (timings.length / wallMs) * 1000,
          p50: quantile(lat, 0.5),
          p99: quantile(lat, 0.99),
          cpuMsPerDelivery: cpuUs / 1000 / timings.length,
          heapKbPerInFlight,
          calls: timings[0]!.calls,
          writes: timings[0]!.writes,
        });
      }
    }
    print(log, figures, described, fakeCpu / 1000 / delivered);
    return { figures, scripts: described, fakeCpuMsPerDelivery: fakeCpu / 1000 / delivered };
  } finally {
    for (const s of servers) await s.stop();
    child.process.kill();
  }
}

/** Heap growth (after GC) while IN_FLIGHT deliveries wait on their check-run write, per delivery. */
async function inFlightHeap(child: Child, c: { port: number; secret: string; numbers: number[]; size: number }): Promise<number> {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = child.waitFor("held");
  const done = child.call({ type: "deliver", ...c, concurrency: c.numbers.length, hold: true });
  await Promise.race([held, new Promise((_, reject) => setTimeout(() => reject(new Error("deliveries never reached their check-run write")), 60_000).unref())]);
  gc();
  gc();
  const during = process.memoryUsage().heapUsed;
  await child.call({ type: "release" });
  await done;
  return (during - before) / 1024 / c.numbers.length;
}

function print(log: (line: string) => void, figures: ServerFigures[], scripts: Record<number, string[]>, fakeCpuMs: number): void {
  log(`server: signed pull_request.opened deliveries over HTTP to Probot's run() server in this process; fake GitHub + load generator in a child process`);
  log(`  throttling and retries OFF; ${CONCURRENCY} deliveries in flight; ${WARMUP} warm-up deliveries per app and size, then ${ROUNDS} alternating rounds; latency = delivery sent → last write seen by the fake`);
  log(`  load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(" ")} (other processes share this machine: compare the side-by-side ratios, not absolute figures across runs)`);
  log(`  ${"size".padStart(6)} ${"app".padEnd(9)} ${"deliv/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"CPU ms/deliv".padStart(12)} ${"heap KB/in-flight".padStart(17)}  calls`);
  for (const size of new Set(figures.map((f) => f.size))) {
    const [l, b] = [figures.find((f) => f.size === size && f.app === "lockstep")!, figures.find((f) => f.size === size && f.app === "bare")!];
    for (const f of [l, b])
      log(`  ${String(size).padStart(6)} ${(f.app === "bare" ? "bare app" : "Lockstep").padEnd(9)} ${f.perSecond.toFixed(1).padStart(8)} ${f.p50.toFixed(1).padStart(7)} ${f.p99.toFixed(1).padStart(7)} ${f.cpuMsPerDelivery.toFixed(2).padStart(12)} ${f.heapKbPerInFlight.toFixed(0).padStart(17)}  ${f.calls} (${f.writes} writes)`);
    const ratio = l.cpuMsPerDelivery / b.cpuMsPerDelivery;
    log(`  ${"".padStart(6)} ratio     ${(b.perSecond / l.perSecond).toFixed(2).padStart(7)}x ${(l.p50 / b.p50).toFixed(2).padStart(6)}x ${(l.p99 / b.p99).toFixed(2).padStart(6)}x ${ratio.toFixed(2).padStart(11)}x ${(l.heapKbPerInFlight / b.heapKbPerInFlight).toFixed(2).padStart(16)}x  CPU target ≤ 1.5x: ${ratio <= 1.5 ? "met" : "MISSED"}`);
  }
  log(`  (ratios: Lockstep ÷ bare app; for deliv/s, bare ÷ Lockstep. The fake GitHub and load generator used ${fakeCpuMs.toFixed(2)} ms CPU per delivery in the child, not counted above.)`);
  log("  calls per delivery (both apps):");
  for (const [size, calls] of Object.entries(scripts)) log(`    ${size} files: ${calls.join(", ")}`);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

type Child = { process: ChildProcess; host: string; call(c: Command): Promise<unknown>; waitFor(type: string): Promise<unknown> };

async function startChild(): Promise<Child> {
  const proc = fork(new URL("./fake-child.ts", import.meta.url), { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const waiting = new Map<string, (v: unknown) => void>();
  let id = 0;
  let onReady: (host: string) => void;
  const ready = new Promise<string>((resolve) => (onReady = resolve));
  proc.on("message", (m: { type: string; id?: number; reply?: unknown; error?: string; host?: string }) => {
    if (m.type === "ready") return onReady(m.host!);
    if (m.type === "reply") {
      const p = pending.get(m.id!)!;
      pending.delete(m.id!);
      return m.error ? p.reject(new Error(m.error)) : p.resolve(m.reply);
    }
    waiting.get(m.type)?.(m);
    waiting.delete(m.type);
  });
  proc.on("exit", (code) => {
    for (const p of pending.values()) p.reject(new Error(`fake GitHub exited (${code})`));
  });
  const host = await ready;
  return {
    process: proc,
    host,
    call: (command) =>
      new Promise((resolve, reject) => {
        pending.set(++id, { resolve, reject });
        proc.send({ id, command });
      }),
    waitFor: (type) => new Promise((resolve) => waiting.set(type, resolve)),
  };
}
