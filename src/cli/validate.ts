import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadBuiltinChecklists } from "../core/builtin.js";
import { parseChecklist } from "../core/checklist.js";
import { CONFIG_PATH, resolveChecklists } from "../core/config.js";
import { runExamples } from "../core/examples.js";
import { formatProblem, hasErrors, sortProblems } from "../core/format.js";
import { parseYaml } from "../core/yaml.js";
import type { Checklist, Problem } from "../types.js";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { loadRepoConfig } from "./load-repo-config.js";

export const VALIDATE_HELP = `Usage: lockstep validate [PATH...]

Checks Lockstep configuration and checklist files, and runs every checklist's
examples. Prints each problem as file:line:column: message.

A PATH may be a file or a directory (all *.yml and *.yaml files in it, not
recursive). A file with top-level "triggers" is a checklist; .github/compliance.yml
(or a file with config keys) is a configuration, validated together with the
checklist files it names (read relative to the repository holding it).
Without PATH: .github/compliance.yml in the current directory.

Options:
  -h, --help   show this help

Exit status: 0 valid, 1 problems found, 2 bad usage (e.g. a missing path).
`;

const CONFIG_KEYS = new Set(["_extends", "counsel", "roles", "comment_at", "request_review_at", "block_at", "checklists", "exclude", "labels", "drafts"]);

type Outcome = { problems: Problem[]; checklists: Checklist[] };

/** `lockstep validate`: resolves to 0 (valid), 1 (problems) or 2 (bad usage). */
export async function runValidate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  if (values.help) {
    io.stdout.write(VALIDATE_HELP);
    return 0;
  }
  const files = positionals.length > 0 ? positionals.flatMap((p) => expand(p, io.cwd)) : [defaultConfig(io.cwd)];
  const builtinIds = loadBuiltinChecklists().checklists.map((c) => c.id);
  const problems: Problem[] = [];
  const checklists: Checklist[] = [];
  for (const file of files) {
    const display = relative(io.cwd, file) || file;
    const text = readFileSync(file, "utf8");
    const outcome = isConfig(file, text) ? await validateConfig(file, display, text, builtinIds, io.cwd) : validateChecklist(display, text);
    problems.push(...outcome.problems);
    checklists.push(...outcome.checklists);
  }
  problems.push(...duplicateIds(checklists));

  for (const problem of sortProblems(problems)) io.stdout.write(`${formatProblem(problem)}\n`);
  const examples = checklists.reduce((n, c) => n + c.examples.fire.length + c.examples.quiet.length, 0);
  const errors = problems.filter((p) => p.severity !== "warning").length;
  const summary = `${files.length} file${files.length === 1 ? "" : "s"}, ${checklists.length} checklist${checklists.length === 1 ? "" : "s"}, ${examples} example${examples === 1 ? "" : "s"} run`;
  io.stdout.write(errors === 0 ? `ok: ${summary}\n` : `${errors} problem${errors === 1 ? "" : "s"} (${summary})\n`);
  return hasErrors(problems) ? 1 : 0;
}

function validateChecklist(display: string, text: string): Outcome {
  const { checklist, problems } = parseChecklist(text, display);
  if (!checklist) return { problems, checklists: [] };
  return { problems: [...problems, ...locateExamples(runExamples(checklist), text)], checklists: [checklist] };
}

async function validateConfig(file: string, display: string, text: string, builtinIds: string[], cwd: string): Promise<Outcome> {
  // Checklist files named in a config are repository paths: resolve them from the repository root.
  const root = basename(dirname(file)) === ".github" ? dirname(dirname(file)) : cwd;
  const shown = (path: string) => relative(cwd, join(root, path)) || path;
  const texts = new Map<string, string>();
  const read = async (path: string) => {
    const full = join(root, path);
    if (!existsSync(full) || !statSync(full).isFile()) return undefined;
    const content = readFileSync(full, "utf8");
    texts.set(shown(path), content);
    return content;
  };
  const loaded = await loadRepoConfig(text, display, read, builtinIds, shown);
  const problems = [...loaded.problems, ...resolveChecklists(loaded.config, [], loaded.repoChecklists).problems];
  for (const checklist of loaded.repoChecklists) {
    problems.push(...locateExamples(runExamples(checklist), texts.get(checklist.source) ?? ""));
  }
  loaded.config.checklists.custom.forEach((checklist, i) => {
    problems.push(...locateExamples(runExamples(checklist), text, ["checklists", "custom", i]));
  });
  return { problems, checklists: [...loaded.repoChecklists, ...loaded.config.checklists.custom] };
}

/** runExamples names the failing example by key path only; point at it in the file. */
function locateExamples(problems: Problem[], text: string, prefix: (string | number)[] = []): Problem[] {
  if (problems.length === 0) return problems;
  const { locate } = parseYaml(text, "");
  return problems.map((problem) => {
    if (problem.line !== undefined || problem.path === undefined) return problem;
    const path = [...prefix, ...problem.path.split(/\.|(?=\[)/).map((k) => (/^\[\d+\]$/.test(k) ? Number(k.slice(1, -1)) : k))];
    return { ...problem, ...locate(path), path: path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("") };
  });
}

/** Two checklists with one id would shadow each other wherever they are used together. */
function duplicateIds(checklists: Checklist[]): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  for (const checklist of checklists) {
    const first = seen.get(checklist.id);
    if (first !== undefined) problems.push({ file: checklist.source, message: `checklist id "${checklist.id}" is also used by ${first}; ids must be unique` });
    else seen.set(checklist.id, checklist.source);
  }
  return problems;
}

/** A directory stands for its *.yml and *.yaml files; a missing path is a usage error. */
function expand(path: string, cwd: string): string[] {
  const full = resolve(cwd, path);
  if (!existsSync(full)) throw new CliError(`validate: no such file or directory: ${path}`);
  if (!statSync(full).isDirectory()) return [full];
  const files = readdirSync(full)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(full, name))
    .filter((f) => statSync(f).isFile());
  if (files.length === 0) throw new CliError(`validate: no *.yml or *.yaml files in ${path}`);
  return files;
}

function defaultConfig(cwd: string): string {
  const file = join(cwd, CONFIG_PATH);
  if (!existsSync(file)) throw new CliError(`validate: no ${CONFIG_PATH} in ${cwd}; name the files to check: lockstep validate PATH...`);
  return file;
}

/** By name first (`.github/compliance.yml`), then by content: top-level `triggers` makes a checklist. */
function isConfig(file: string, text: string): boolean {
  if (/^compliance\.ya?ml$/.test(basename(file)) && basename(dirname(file)) === ".github") return true;
  const value = parseYaml(text, file).value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return !keys.includes("triggers") && keys.some((k) => CONFIG_KEYS.has(k));
}
