/**
 * Cold-start benchmark: a fresh process loads the built-in checklists and evaluates a small
 * change once, as every `lockstep check` and every GitHub Action run does (the App compiles once
 * per configuration and keeps it). Run: npm run bench -- cold
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "./engine.js";

const CHILD = fileURLToPath(new URL("./cold-child.ts", import.meta.url));
const RUNS = 7;

export function runColdBenchmark(log: (line: string) => void = console.log): Record<number, { loadMs: number; evaluateMs: number }> {
  log(`cold start: a fresh process per run, median of ${RUNS}`);
  const out: Record<number, { loadMs: number; evaluateMs: number }> = {};
  for (const files of [1, 30]) {
    const runs = Array.from({ length: RUNS }, () => JSON.parse(execFileSync(process.execPath, ["--import", "tsx", CHILD, String(files)], { encoding: "utf8" })) as { loadMs: number; evaluateMs: number });
    const loadMs = median(runs.map((r) => r.loadMs));
    const evaluateMs = median(runs.map((r) => r.evaluateMs));
    out[files] = { loadMs, evaluateMs };
    log(`  ${String(files).padStart(3)} file${files === 1 ? " " : "s"}  load ${loadMs.toFixed(0).padStart(5)} ms   first evaluate ${evaluateMs.toFixed(0).padStart(5)} ms   total ${(loadMs + evaluateMs).toFixed(0).padStart(5)} ms`);
  }
  return out;
}
