/**
 * One fresh process, as one `lockstep check` or one GitHub Action run: how long the built-in
 * library takes to load (parse, validate) and a one-file change to evaluate (compile, match).
 * Prints JSON for bench/cold.ts; module loading and transpiling are not counted.
 */
import { loadBuiltinChecklists } from "../src/core/builtin.js";
import { DEFAULT_CONFIG } from "../src/core/config.js";
import { evaluate } from "../src/core/evaluate.js";
import { syntheticPullRequest } from "./synthetic.js";

const files = Number(process.argv[2] ?? 1);
const pr = syntheticPullRequest(files, files * 3500);
const start = performance.now();
const { checklists } = loadBuiltinChecklists();
const loaded = performance.now();
evaluate(pr, DEFAULT_CONFIG, checklists);
const done = performance.now();
process.stdout.write(JSON.stringify({ loadMs: loaded - start, evaluateMs: done - loaded }));
