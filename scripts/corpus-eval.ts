/**
 * Measures the built-in checklists against a labelled corpus of real changes.
 *
 *   node --import tsx scripts/corpus-eval.ts <corpus-dir> [--checklists DIR] [--only ID,ID] [--no-titles] [--verbose]
 *
 * The corpus directory holds JSON files (searched recursively), one case each:
 *   {
 *     "label": "must-flag" | "ordinary",   // must-flag: a privacy reviewer must see it
 *     "repo": "owner/name", "sha": "…",    // provenance, printed in reports
 *     "subject": "…", "topic": "…",        // optional: commit subject, expected checklist id(s)
 *     "files": ChangedFile[]               // GitHub "list pull request files" shape
 *   }
 * A file may also hold an array of cases. Prints recall at >= medium on must-flag cases, the
 * false-positive rate at >= medium on ordinary cases (all checklists together), and lists the
 * misses and the false positives with the hits that caused them. The commit subject is the change's
 * title, as in `lockstep check` on a git range; --no-titles measures without it (as with --files).
 * Exit code 0; 2 on bad input.
 * No corpus data belongs in this repository.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { loadBuiltinChecklists } from "../src/core/builtin.js";
import { DEFAULT_CONFIG } from "../src/core/config.js";
import { evaluate } from "../src/core/evaluate.js";
import { formatProblem } from "../src/core/format.js";
import type { ChangedFile, Evaluation } from "../src/types.js";
import { reaches } from "../src/types.js";

type Case = { label: "must-flag" | "ordinary"; repo?: string; sha?: string; subject?: string; topic?: string; files: ChangedFile[]; source: string };

function usage(message?: string): never {
  if (message) console.error(`corpus-eval: ${message}`);
  console.error("usage: corpus-eval <corpus-dir> [--checklists DIR] [--only ID,ID] [--no-titles] [--verbose]");
  process.exit(2);
}

const args = process.argv.slice(2);
let dir: string | undefined;
let checklistDir: string | undefined;
let only: string[] | undefined;
let verbose = false;
let titles = true;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === "--checklists") checklistDir = args[++i] ?? usage("--checklists needs a directory");
  else if (a === "--only") only = (args[++i] ?? usage("--only needs ids")).split(",");
  else if (a === "--verbose" || a === "-v") verbose = true;
  else if (a === "--no-titles") titles = false;
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else if (!dir) dir = a;
  else usage(`unexpected argument ${a}`);
}
if (!dir) usage();

function walk(d: string): string[] {
  return readdirSync(d).sort().flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : name.endsWith(".json") ? [p] : [];
  });
}

const cases: Case[] = [];
for (const file of walk(dir)) {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    usage(`${file}: ${(e as Error).message}`);
  }
  for (const c of Array.isArray(data) ? data : [data]) {
    const rec = c as Partial<Case>;
    if ((rec.label !== "must-flag" && rec.label !== "ordinary") || !Array.isArray(rec.files))
      usage(`${file}: each case needs "label" ("must-flag" or "ordinary") and "files" (an array)`);
    cases.push({ ...(rec as Case), source: relative(dir, file) });
  }
}
if (cases.length === 0) usage(`no cases in ${dir}`);

const loaded = loadBuiltinChecklists(checklistDir);
if (loaded.problems.length) {
  for (const p of loaded.problems) console.error(formatProblem(p));
  usage("the checklists do not load");
}
const checklists = only ? loaded.checklists.filter((c) => only!.includes(c.id)) : loaded.checklists;

const name = (c: Case) => `${c.repo ?? "?"}@${(c.sha ?? "?").slice(0, 10)} ${c.subject ? JSON.stringify(c.subject.slice(0, 70)) : c.source}`;
function describe(ev: Evaluation, atLeast: "low" | "medium"): string[] {
  const out: string[] = [];
  for (const f of ev.checklists) {
    if (!reaches(f.risk, atLeast)) continue;
    out.push(`    ${f.id} (${f.risk})`);
    const shown = f.hits.filter((h) => reaches(h.risk, atLeast)).slice(0, verbose ? 20 : 3);
    for (const h of shown)
      out.push(`      [${h.risk}] ${h.file}${h.line ? `:${h.line}` : ""} ${h.kind}${h.pattern ? ` /${h.pattern.slice(0, 60)}/` : ""}${h.text ? `  ${JSON.stringify(h.text.slice(0, 100))}` : ""}`);
  }
  return out;
}

const counts = { "must-flag": 0, ordinary: 0 };
const flagged = { "must-flag": 0, ordinary: 0 };
const misses: string[] = [];
const falsePositives: string[] = [];
const perChecklist = new Map<string, { tp: number; fp: number }>();
const perRepo = new Map<string, { pos: number; tp: number; neg: number; fp: number }>();
for (const c of cases) {
  const ev = evaluate(c.files, DEFAULT_CONFIG, checklists, { titles: titles && c.subject ? [c.subject] : [] });
  const hit = reaches(ev.risk, "medium");
  counts[c.label]++;
  if (hit) flagged[c.label]++;
  const r = perRepo.get(c.repo ?? "?") ?? { pos: 0, tp: 0, neg: 0, fp: 0 };
  if (c.label === "must-flag") { r.pos++; if (hit) r.tp++; } else { r.neg++; if (hit) r.fp++; }
  perRepo.set(c.repo ?? "?", r);
  for (const f of ev.checklists) {
    if (!reaches(f.risk, "medium")) continue;
    const s = perChecklist.get(f.id) ?? { tp: 0, fp: 0 };
    if (c.label === "must-flag") s.tp++;
    else s.fp++;
    perChecklist.set(f.id, s);
  }
  if (c.label === "must-flag" && !hit)
    misses.push([`  MISS ${name(c)}${c.topic ? ` (expected ${c.topic})` : ""} risk=${ev.risk}`, ...describe(ev, "low")].join("\n"));
  if (c.label === "must-flag" && hit && c.topic && verbose) {
    const expected = c.topic.split(",").map((t) => t.trim());
    const fired = ev.checklists.filter((f) => reaches(f.risk, "medium")).map((f) => f.id);
    if (!expected.some((t) => fired.includes(t))) misses.push(`  WRONG-TOPIC ${name(c)} expected ${c.topic}, fired ${fired.join(", ")}`);
  }
  if (c.label === "ordinary" && hit) falsePositives.push([`  FP ${name(c)} risk=${ev.risk}`, ...describe(ev, "medium")].join("\n"));
}

const pct = (a: number, b: number) => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(1)}%`);
console.log(`checklists: ${checklists.length} (${checklists.map((c) => c.id).join(", ")})`);
console.log(`cases: ${cases.length} (${counts["must-flag"]} must-flag, ${counts.ordinary} ordinary)`);
console.log(`recall at >= medium on must-flag: ${flagged["must-flag"]}/${counts["must-flag"]} = ${pct(flagged["must-flag"], counts["must-flag"])}`);
console.log(`false-positive rate at >= medium on ordinary: ${flagged.ordinary}/${counts.ordinary} = ${pct(flagged.ordinary, counts.ordinary)}`);
console.log("\nper checklist (cases at >= medium): must-flag / ordinary");
for (const [id, s] of [...perChecklist].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`  ${id.padEnd(28)} ${String(s.tp).padStart(4)} / ${s.fp}`);
console.log("\nper repository: recall (must-flag) / false positives (ordinary)");
for (const [repo, r] of [...perRepo].sort((a, b) => a[0].localeCompare(b[0])))
  console.log(`  ${repo.padEnd(44)} ${`${r.tp}/${r.pos}`.padStart(7)} ${pct(r.tp, r.pos).padStart(6)}   ${`${r.fp}/${r.neg}`.padStart(7)} ${pct(r.fp, r.neg).padStart(6)}`);
if (misses.length) console.log(`\nmisses (${misses.length}):\n${misses.join("\n")}`);
if (falsePositives.length) console.log(`\nfalse positives (${falsePositives.length}):\n${falsePositives.join("\n")}`);
