/**
 * Engine benchmark: evaluate() on a synthetic 3,000-file PR with 10 MB of patches, against the
 * built-in checklists plus 20 custom ones, side by side with the straightforward approach.
 * Run: npm run bench -- engine
 */
import RE2 from "re2";
import { minimatch } from "minimatch";
import { loadBuiltinChecklists } from "../src/core/builtin.js";
import { DEFAULT_CONFIG } from "../src/core/config.js";
import { evaluate } from "../src/core/evaluate.js";
import { parsePatch } from "../src/core/patch.js";
import type { ChangedFile, Checklist, RepoConfig } from "../src/types.js";
import { syntheticChecklists, syntheticPullRequest } from "./synthetic.js";

const BYTES_PER_FILE = Math.round((10 * 1024 * 1024) / 3000);

/** What many path-labelling tools do: minimatch every glob on every file, every pattern on every line. */
export function naiveEvaluate(files: readonly ChangedFile[], config: RepoConfig, checklists: readonly Checklist[]): number {
  const o = { dot: true };
  const compiled = checklists.map((c) => c.triggers.map((t) => ({ ...t, added: (t.added_lines ?? []).map((p) => new RE2(p, "u")) })));
  let hits = 0;
  for (const file of files) {
    if (config.exclude.some((g) => minimatch(file.filename, g, o))) continue;
    checklists.forEach((c, ci) => {
      if (c.exclude.some((g) => minimatch(file.filename, g, o))) return;
      for (const t of compiled[ci]!) {
        if (!t.paths.some((g) => minimatch(file.filename, g, o))) continue;
        if (t.added.length === 0) { hits++; continue; }
        for (const line of parsePatch(file.patch ?? "").added) if (t.added.some((re) => re.test(line.text))) hits++;
      }
    });
  }
  return hits;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => unknown, runs: number, warmUp = true): number {
  if (warmUp) fn(); // compilation cache, JIT
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}

export function runEngineBenchmark(log: (line: string) => void = console.log): { medianMs: number; naiveMs: number; speedup: number } {
  const builtins = loadBuiltinChecklists().checklists;
  const custom = syntheticChecklists(20);
  const all = [...builtins, ...custom];
  const config = DEFAULT_CONFIG;
  const pr = syntheticPullRequest(3000, 3000 * BYTES_PER_FILE);
  const bytes = pr.reduce((n, f) => n + (f.patch?.length ?? 0), 0);
  log(`engine: ${pr.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB of patches, ${builtins.length} built-in + ${custom.length} custom checklists`);

  const medianMs = time(() => evaluate(pr, config, all), 9);
  // The straightforward approach takes minutes a run here (389 s in the latest): once is enough to compare.
  const naiveMs = time(() => naiveEvaluate(pr, config, all), 1, false);
  const speedup = naiveMs / medianMs;
  log(`  evaluate() median ${medianMs.toFixed(1)} ms   naive median ${naiveMs.toFixed(1)} ms   speed-up ${speedup.toFixed(1)}x`);
  log(`  target: median < 250 ms (${medianMs < 250 ? "met" : "MISSED"}), >= 10x the naive approach (${speedup >= 10 ? "met" : "MISSED"})`);

  log("  files grow (bytes per file fixed):");
  let prev: number | undefined;
  for (const n of [10, 100, 1000, 3000]) {
    const files = syntheticPullRequest(n, n * BYTES_PER_FILE);
    const ms = time(() => evaluate(files, config, all), n < 1000 ? 25 : 7);
    log(`    ${String(n).padStart(5)} files  ${ms.toFixed(2).padStart(8)} ms  ${(ms / n * 1000).toFixed(1).padStart(7)} µs/file${prev ? `  x${(ms / prev).toFixed(1)} for x${n === 100 ? 10 : n === 1000 ? 10 : 3} files` : ""}`);
    prev = ms;
  }
  log("  checklists grow (3,000 files):");
  prev = undefined;
  for (const k of [10, 20, 40, 80]) {
    const lists = syntheticChecklists(k, 3);
    const ms = time(() => evaluate(pr, config, lists), 5);
    log(`    ${String(k).padStart(5)} checklists  ${ms.toFixed(1).padStart(8)} ms  ${(ms / k).toFixed(2).padStart(7)} ms/checklist${prev ? `  x${(ms / prev).toFixed(1)} for x2 checklists` : ""}`);
    prev = ms;
  }
  return { medianMs, naiveMs, speedup };
}
