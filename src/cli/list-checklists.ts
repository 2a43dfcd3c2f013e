import { parseArgs } from "node:util";
import { loadBuiltinChecklists } from "../core/builtin.js";
import { formatProblem, hasErrors } from "../core/format.js";
import { compareRisk, type Checklist, type Risk } from "../types.js";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { usageError } from "./usage-error.js";

export const CHECKLISTS_HELP = `Usage: lockstep checklists [--format text|json]

Lists the built-in checklists: id, title, risk range, reviewers and summary.
Disable or re-tune them in .github/compliance.yml (checklists.disable, checklists.risk).

Options:
  --format FORMAT   text (default) or json
  -h, --help        show this help
`;

/** `lockstep checklists`: prints the built-in library; resolves to 0, or throws a CliError. */
export async function runChecklists(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { format: { type: "string", default: "text" }, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(CHECKLISTS_HELP);
    return 0;
  }
  if (values.format !== "text" && values.format !== "json") throw usageError("checklists", `--format must be text or json, not "${values.format}"`);
  const { checklists, problems } = loadBuiltinChecklists();
  if (hasErrors(problems)) throw new CliError(`the built-in checklists are broken:\n${problems.map(formatProblem).join("\n")}`);
  const rows = checklists.map((c) => ({ id: c.id, title: c.title, risk: riskRange(c), reviewers: c.reviewers, summary: c.summary }));
  if (values.format === "json") {
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const width = (key: "id" | "reviewers") => Math.max(...rows.map((r) => r[key].length), key.length);
  const risk = (r: (typeof rows)[number]) => (r.risk.min === r.risk.max ? r.risk.max : `${r.risk.min}-${r.risk.max}`);
  const riskWidth = Math.max(4, ...rows.map((r) => risk(r).length));
  const line = (id: string, riskText: string, reviewers: string, title: string) =>
    `${id.padEnd(width("id"))}  ${riskText.padEnd(riskWidth)}  ${reviewers.padEnd(width("reviewers"))}  ${title}`.trimEnd();
  const out = [line("ID", "RISK", "REVIEWERS", "TITLE")];
  for (const row of rows) out.push(line(row.id, risk(row), row.reviewers, row.title), `${" ".repeat(width("id") + 2)}${row.summary}`);
  io.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

/** The lowest and highest risk any trigger of the checklist can fire at. */
function riskRange(checklist: Checklist): { min: Risk; max: Risk } {
  const risks = checklist.triggers.map((t) => t.risk).sort(compareRisk);
  return { min: risks[0] ?? "low", max: risks[risks.length - 1] ?? "low" };
}
