import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { freePort } from "./free-port.js";

/** True when a redis-server binary is on PATH (CI installs it from Debian's packages in .ci/run). */
export const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;
/** Redis-backed tests are mandatory in CI; on a laptop without redis-server they are skipped with a note. */
export const skipRedis = !hasRedis && !process.env.CI;
if (skipRedis) console.warn("redis-server not found: skipping the Redis tests (apt-get install redis-server to run them)");

/** Starts a throw-away redis-server on a free loopback port; stop() kills it. */
export async function startRedis(): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("redis-server did not start within 10 s")), 10_000);
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    }),
  };
}
