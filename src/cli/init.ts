import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CONFIG_PATH } from "../core/config.js";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { STARTER_CONFIG } from "./starter-config.js";
import { STARTER_WORKFLOW } from "./starter-workflow.js";

export const INIT_HELP = `Usage: lockstep init [--dir DIR] [--workflow] [--force]

Writes a commented starter ${CONFIG_PATH} (every key with its default) and,
with --workflow, a GitHub Actions workflow that runs Lockstep on pull requests.

Options:
  --dir DIR    repository to write into (default: the current directory)
  --workflow   also write .github/workflows/lockstep.yml
  --force      overwrite files that exist
  -h, --help   show this help

Exit status: 0 written, 1 a file exists (nothing written; use --force), 2 bad usage.
`;

export const WORKFLOW_PATH = ".github/workflows/lockstep.yml";

/** `lockstep init`: resolves to 0 (written) or 1 (a file is in the way), or throws a CliError (2). */
export async function runInit(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: "string" },
      workflow: { type: "boolean" },
      force: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(INIT_HELP);
    return 0;
  }
  const dir = resolve(io.cwd, values.dir ?? ".");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`init: --dir: no such directory: ${dir}`);
  const files: [string, string][] = [[CONFIG_PATH, STARTER_CONFIG]];
  if (values.workflow) files.push([WORKFLOW_PATH, STARTER_WORKFLOW]);
  const shown = (path: string) => relative(io.cwd, join(dir, path)) || path;

  // Check every target before writing any, so a refusal leaves the repository as it was.
  const taken = files.filter(([path]) => existsSync(join(dir, path)));
  if (taken.length > 0 && !values.force) {
    for (const [path] of taken) io.stderr.write(`lockstep init: ${shown(path)} exists; pass --force to overwrite it\n`);
    return 1;
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    io.stdout.write(`wrote ${shown(path)}\n`);
  }
  io.stdout.write(`
Next:
  1. Fill in counsel (users, teams) in ${shown(CONFIG_PATH)}.
  2. Consider block_at: never for a dry run on real pull requests first.
  3. Check it: npx lockstep validate${values.dir ? ` ${shown(CONFIG_PATH)}` : ""}
  4. Commit to the default branch${values.workflow ? ", and add a LOCKSTEP_STATE_KEY secret for the workflow" : ", and install the Lockstep App on the repository"}.
`);
  return 0;
}
