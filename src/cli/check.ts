import { existsSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadBuiltinChecklists } from "../core/builtin.js";
import { CONFIG_PATH, resolveChecklists } from "../core/config.js";
import { evaluate } from "../core/evaluate.js";
import { formatProblem, hasErrors, sortProblems } from "../core/format.js";
import { listChangedFiles } from "../git/changed-files.js";
import { commitSubjects } from "../git/commit-subjects.js";
import { defaultBase } from "../git/default-base.js";
import { mergeBase } from "../git/merge-base.js";
import { readAtRef } from "../git/read-at-ref.js";
import { repoRoot } from "../git/repo-root.js";
import { resolveCommit } from "../git/resolve-commit.js";
import { renderJson } from "../render/json.js";
import { renderMarkdown } from "../render/markdown.js";
import { renderText } from "../render/text.js";
import type { ChangedFile, Evaluation } from "../types.js";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { loadRepoConfig, type RepoReader } from "./load-repo-config.js";
import { parseFilesJson } from "./parse-files-json.js";
import { readAll } from "./read-all.js";
import { usageError } from "./usage-error.js";
import { version } from "./version.js";

export const CHECK_HELP = `Usage: lockstep check [options]

Evaluates a change against the compliance checklists and prints what applies.

The change is either a local git range (the default) or a file list in the shape
of GitHub's "list pull request files" response (--files).

Options:
  --repo DIR        repository to read (default: the current directory)
  --base REF        branch the change would merge into (default: the first of
                    origin/HEAD, origin/main, origin/master, main, master).
                    As on GitHub, the change is diffed from the merge-base of
                    BASE and HEAD, so commits that only BASE has don't count.
  --head REF        last commit of the change (default: HEAD). Uncommitted
                    changes are not included.
  --files FILE|-    read the changed files from a JSON file, or stdin with "-",
                    e.g. gh api repos/O/R/pulls/N/files --paginate | lockstep check --files -
  --title TEXT      the change's title, as a pull request's title (repeatable).
                    Checklist triggers with title patterns match it. Default
                    for a git range: the subject of each of its commits; with
                    --files, none
  --config FILE     configuration file to use instead of the repository's
  --format FORMAT   text (default), markdown or json (see docs/cli-json.md)
  -h, --help        show this help

Configuration: --config FILE if given, else .github/compliance.yml. For a git
range it is read from the base ref (git show BASE:.github/compliance.yml), as
the App does, so a change cannot weaken the check that judges it; checklist
files it names are read from the same ref. With --files, it is read from the
working tree of --repo. Without a config file, the defaults apply.

Exit status: 0 not blocking, 1 blocking, 2 bad input (options, config, JSON, refs).
`;

const FORMATS = ["text", "markdown", "json"] as const;
type Format = (typeof FORMATS)[number];

/** Where the changed files and the configuration come from, resolved from the options. */
type Source = {
  files: ChangedFile[];
  /** Titles for triggers with title patterns: --title, else the range's commit subjects. */
  titles: string[];
  /** What was compared, for the one-line note on stderr. */
  what: string;
  configText: string | undefined;
  configFile: string;
  /** Where the config was found, for the note: `main:.github/compliance.yml`, `defaults`, … */
  configFrom: string;
  read: RepoReader;
  /** The change's own version of the config, when it edits it: validated, never applied. */
  proposed?: { text: string; file: string; read: RepoReader };
};

/** `lockstep check`: resolves to the exit code (0 not blocking, 1 blocking, 2 bad input). */
export async function runCheck(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      repo: { type: "string" },
      base: { type: "string" },
      head: { type: "string" },
      files: { type: "string" },
      title: { type: "string", multiple: true },
      config: { type: "string" },
      format: { type: "string", default: "text" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return 0;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw usageError("check", `--format must be one of ${FORMATS.join(", ")}, not "${values.format}"`);
  if (values.files !== undefined && (values.base !== undefined || values.head !== undefined)) {
    throw usageError("check", "--files replaces the git range: use either --files or --base/--head");
  }
  const repo = resolve(io.cwd, values.repo ?? ".");
  if (!existsSync(repo) || !statSync(repo).isDirectory()) throw new CliError(`--repo: no such directory: ${repo}`);

  const builtins = loadBuiltinChecklists();
  if (hasErrors(builtins.problems)) {
    throw new CliError(`the built-in checklists are broken:\n${builtins.problems.map(formatProblem).join("\n")}`);
  }
  const source = values.files !== undefined ? await fromJson(values.files, repo, io) : await fromGit(repo, values.base, values.head);
  if (values.title !== undefined) source.titles = values.title;
  if (values.config !== undefined) {
    const path = resolve(io.cwd, values.config);
    source.configFile = values.config;
    source.configText = await readText(path, "--config");
    source.read = (p) => readOptional(join(repo, p));
    source.configFrom = values.config;
  }
  io.stderr.write(`lockstep: ${source.what}; config: ${source.configFrom}\n`);

  const loaded = await loadRepoConfig(source.configText, source.configFile, source.read, builtins.checklists.map((c) => c.id));
  const resolved = resolveChecklists(loaded.config, builtins.checklists, loaded.repoChecklists);
  const problems = sortProblems([...loaded.problems, ...resolved.problems]);
  for (const problem of problems) io.stderr.write(`${formatProblem(problem)}\n`);
  if (hasErrors(problems)) {
    throw new CliError(`invalid configuration in ${source.configFile}; fix it (lockstep validate) or pass --config FILE`);
  }

  if (source.proposed) await reportProposedConfig(source.proposed, builtins.checklists.map((c) => c.id), io);

  const evaluation = evaluate(source.files, loaded.config, resolved.checklists, { titles: source.titles });
  io.stdout.write(render(evaluation, format, io));
  return evaluation.decisions.blocking ? 1 : 0;
}

function render(evaluation: Evaluation, format: Format, io: CliIo): string {
  if (format === "json") return renderJson(evaluation, version());
  if (format === "markdown") return renderMarkdown(evaluation);
  const color = io.stdout.isTTY === true && !io.env.NO_COLOR;
  return renderText(evaluation, { color });
}

async function fromJson(path: string, repo: string, io: CliIo): Promise<Source> {
  let text: string;
  if (path === "-") {
    if (io.stdin.isTTY) throw new CliError("--files -: stdin is a terminal; pipe the JSON in, e.g. gh api ... | lockstep check --files -");
    text = await readAll(io.stdin);
  } else {
    text = await readText(resolve(io.cwd, path), "--files");
  }
  const files = parseFilesJson(text, path === "-" ? "<stdin>" : path);
  if (files.length >= 3000) {
    io.stderr.write(`lockstep: warning: ${files.length} files; GitHub lists at most 3000 files of a pull request, so some may be missing\n`);
  }
  const read: RepoReader = (p) => readOptional(join(repo, p));
  const configText = await readOptional(join(repo, CONFIG_PATH));
  return {
    files,
    titles: [],
    what: `${files.length} changed file${files.length === 1 ? "" : "s"} from ${path === "-" ? "stdin" : path}`,
    configText,
    configFile: CONFIG_PATH,
    configFrom: configText === undefined ? "defaults" : join(repo, CONFIG_PATH),
    read,
  };
}

async function fromGit(dir: string, baseRef: string | undefined, headRef: string | undefined): Promise<Source> {
  const root = await repoRoot(dir);
  const baseName = baseRef ?? (await defaultBase(root));
  const headName = headRef ?? "HEAD";
  const [base, head] = await Promise.all([resolveCommit(root, baseName), resolveCommit(root, headName)]);
  const from = await mergeBase(root, base, head);
  const [files, titles] = await Promise.all([listChangedFiles(root, from, head), commitSubjects(root, from, head)]);
  const configText = await readAtRef(root, base, CONFIG_PATH);
  const source: Source = {
    files,
    titles,
    what: `${files.length} changed files in ${from.slice(0, 12)}..${head.slice(0, 12)} (${headName} since it left ${baseName})`,
    configText,
    configFile: CONFIG_PATH,
    configFrom: configText === undefined ? `defaults (no ${CONFIG_PATH} at ${baseName})` : `${baseName}:${CONFIG_PATH}`,
    read: (p) => readAtRef(root, base, p),
  };
  const edited = files.some((f) => f.filename === CONFIG_PATH && f.status !== "removed");
  const proposed = edited ? await readAtRef(root, head, CONFIG_PATH) : undefined;
  if (proposed !== undefined) source.proposed = { text: proposed, file: CONFIG_PATH, read: (p) => readAtRef(root, head, p) };
  return source;
}

/** Like the App, reports the problems of the config a change proposes, on stderr, without using it. */
async function reportProposedConfig(proposed: NonNullable<Source["proposed"]>, knownIds: string[], io: CliIo): Promise<void> {
  const loaded = await loadRepoConfig(proposed.text, proposed.file, proposed.read, knownIds);
  const problems = sortProblems(loaded.problems.filter((p) => p.severity !== "warning"));
  if (problems.length === 0) return;
  io.stderr.write(`lockstep: the change's new ${proposed.file} is invalid (it is not used for this check):\n`);
  for (const problem of problems) io.stderr.write(`  ${formatProblem(problem)}\n`);
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${flag}: cannot read ${path}${code === "ENOENT" ? ": no such file" : `: ${(error as Error).message}`}`);
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path, "utf8") : undefined;
}
