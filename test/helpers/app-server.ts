import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "./free-port.js";

export const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Compiles src/ to lib/ as `npm run build` does (the server runs the built code). Test files run
 * in parallel workers: a lock directory keeps two builds from writing lib/ at the same time.
 */
export function buildApp(): void {
  const lock = join(ROOT, ".build-lock");
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the deadline was left by a killed run.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000 || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "pipe" });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export type AppServer = {
  port: number;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string;
  /** Peak resident memory of the process (VmHWM, kB), or undefined where /proc is missing. */
  peakRssKb(): number | undefined;
  deliver(event: string, body: object, options?: { id?: string; signature?: string; secret?: string }): Promise<Response>;
  stop(): Promise<void>;
};

/**
 * Starts the App as `npm start` does (`node lib/server.js`), configured only through the
 * environment, in a fresh cwd (a `.env` there would override it, probot-facts §0.4), on a free
 * loopback port; resolves once `/ping` answers.
 */
export async function startAppServer(env: Record<string, string>): Promise<AppServer> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), "lockstep-app-"));
  let logs = "";
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "lib/server.js")], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: String(port), LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (logs += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (logs += d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${logs}`);
    if ((await fetch(`http://127.0.0.1:${port}/ping`).catch(() => undefined))?.ok) break;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${logs}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    pid: child.pid!,
    logs: () => logs,
    peakRssKb() {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        return m ? Number(m[1]) : undefined;
      } catch {
        return undefined;
      }
    },
    deliver: (event, body, options = {}) => deliver(port, event, body, { secret: env.WEBHOOK_SECRET ?? "development", ...options }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** POSTs a webhook delivery as GitHub does: JSON body, event and delivery headers, HMAC-SHA256 signature. */
export function deliver(port: number, event: string, body: object, options: { id?: string; signature?: string; secret: string }): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": options.id ?? randomUUID(),
      "x-hub-signature-256": options.signature ?? `sha256=${createHmac("sha256", options.secret).update(raw).digest("hex")}`,
    },
    body: raw,
  });
}
