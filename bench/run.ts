/**
 * npm run bench [-- engine|cold|events|server]: runs the benchmarks (all by default) and prints their figures.
 */
import { runColdBenchmark } from "./cold.js";
import { runEngineBenchmark } from "./engine.js";
import { runEventsBenchmark } from "./events.js";
import { runServerBenchmark } from "./server.js";

const benches: Record<string, () => unknown | Promise<unknown>> = {
  engine: () => runEngineBenchmark(),
  cold: () => runColdBenchmark(),
  events: () => runEventsBenchmark(),
  server: () => runServerBenchmark(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(", ")}; available: ${Object.keys(benches).join(", ")}`);
  process.exit(2);
}
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
for (const name of wanted.length ? wanted : Object.keys(benches)) await benches[name]!();
