import { Session } from "node:inspector/promises";
import fs from "node:fs";
import { loadBuiltinChecklists } from "../src/core/builtin.js";
import { DEFAULT_CONFIG } from "../src/core/config.js";
import { evaluate } from "../src/core/evaluate.js";
import { syntheticChecklists, syntheticPullRequest } from "./synthetic.js";
const custom = syntheticChecklists(20);
const B = [...loadBuiltinChecklists(process.env.CL ?? "/work/main/checklists").checklists, ...custom];
const pr = syntheticPullRequest(3000, Math.round(10 * 1024 * 1024));
for (let i = 0; i < 3; i++) evaluate(pr, DEFAULT_CONFIG, B);
const s = new Session(); s.connect();
await s.post("Profiler.enable"); await s.post("Profiler.setSamplingInterval", { interval: 200 }); await s.post("Profiler.start");
const t: number[] = [];
for (let i = 0; i < 10; i++) { const st = performance.now(); evaluate(pr, DEFAULT_CONFIG, B); t.push(performance.now() - st); }
const { profile } = await s.post("Profiler.stop");
fs.writeFileSync("/tmp/s19/steady.cpuprofile", JSON.stringify(profile));
console.log(t.map((x) => x.toFixed(0)).join(" "));
