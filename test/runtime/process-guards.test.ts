import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

// In a child process: vitest itself treats a stray rejection in its workers as a failed run.
it("logs a stray rejection and an uncaught exception with the delivery id, and the process keeps running", () => {
  const script = `
    import { installProcessGuards, withDelivery } from "./src/runtime/process-guards.ts";
    installProcessGuards({ error: (obj, msg) => console.log(JSON.stringify({ delivery: obj.delivery, err: String(obj.err), msg })) });
    await withDelivery("delivery-1", async () => {
      void Promise.reject(new Error("stray rejection"));
      setTimeout(() => { throw new Error("thrown in a timer"); }, 5);
    });
    setTimeout(() => console.log("still running"), 50);
  `;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
  expect(run.status).toBe(0);
  const lines = run.stdout.trim().split("\n");
  expect(lines.slice(0, 2).map((l) => JSON.parse(l))).toEqual([
    { delivery: "delivery-1", err: "Error: stray rejection", msg: "unhandled rejection (the server keeps running)" },
    { delivery: "delivery-1", err: "Error: thrown in a timer", msg: "uncaught exception (the server keeps running)" },
  ]);
  expect(lines[2]).toBe("still running");
});
