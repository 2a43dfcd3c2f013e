import { runAudit } from "./audit.js";
import { runCheck } from "./check.js";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { runInit } from "./init.js";
import { runChecklists } from "./list-checklists.js";
import { runValidate } from "./validate.js";
import { version } from "./version.js";
import { GitError } from "../git/run-git.js";

export type { CliIo };

const HELP = `Usage: lockstep <command> [options]

Matches a change against legal and privacy review checklists, with no GitHub
needed (except for audit, which reads the sign-off records on GitHub).

Commands:
  check        evaluate a git range or a GitHub pull request file list
  validate     check config and checklist files and run their examples
  checklists   list the built-in checklists
  init         write a starter .github/compliance.yml (and an Actions workflow)
  audit        export a repository's verified sign-off records (CSV or JSON)

Run "lockstep <command> --help" for a command's options.
Options: -h, --help   -v, --version
`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  check: runCheck,
  validate: runValidate,
  checklists: runChecklists,
  init: runInit,
  audit: runAudit,
};

/**
 * Runs the `lockstep` command line and resolves to its exit status: 0 success / not blocking,
 * 1 blocking (check), problems found (validate), a file in the way (init) or an invalid record
 * (audit), 2 bad usage, bad input or an API error. Never calls `process.exit` and never rejects:
 * every error ends up on `io.stderr`.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    const topic = command === "help" ? args[0] : undefined;
    if (topic !== undefined && COMMANDS[topic]) return main([topic, "--help"], io);
    (command === undefined ? io.stderr : io.stdout).write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === "-v" || command === "--version") {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    io.stderr.write(`lockstep: unknown command "${command}"; commands are ${Object.keys(COMMANDS).join(", ")}.\nRun "lockstep --help" for usage.\n`);
    return 2;
  }
  try {
    return await run(args, io);
  } catch (error) {
    return report(error, command, io);
  }
}

function report(error: unknown, command: string, io: CliIo): number {
  if (error instanceof CliError) {
    const message = error.message.startsWith(`${command}: `) ? error.message.slice(command.length + 2) : error.message;
    io.stderr.write(`lockstep ${command}: ${message}\n`);
    return error.exitCode;
  }
  if (error instanceof GitError) {
    io.stderr.write(`lockstep ${command}: git: ${error.message}\n`);
    return 2;
  }
  const code = (error as { code?: string }).code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) {
    io.stderr.write(`lockstep ${command}: ${parseArgsMessage(error as Error)}\nRun "lockstep ${command} --help" for usage.\n`);
    return 2;
  }
  io.stderr.write(`lockstep ${command}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 2;
}

/** node:util's messages are written for programmers; say the same thing for users. */
function parseArgsMessage(error: Error): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  const code = (error as { code?: string }).code;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${option}`;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ""}`.trim();
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return `option ${option} needs a value`;
  return error.message;
}
