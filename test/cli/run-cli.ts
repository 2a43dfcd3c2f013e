import { PassThrough, Readable } from "node:stream";
import { main } from "../../src/cli/main.js";

export type CliRun = { code: number; stdout: string; stderr: string };

/** Runs `lockstep` in-process with captured output; `tty` makes stdout a terminal, `stdinTty` stdin. */
export async function runCli(
  argv: string[],
  options: { cwd: string; stdin?: string; tty?: boolean; stdinTty?: boolean; env?: Record<string, string | undefined> },
): Promise<CliRun> {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk.toString("utf8")));
  stderr.on("data", (chunk: Buffer) => err.push(chunk.toString("utf8")));
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]), {
    isTTY: options.stdinTty ?? false,
  });
  const code = await main(argv, { stdin, stdout, stderr, cwd: options.cwd, env: options.env ?? {} });
  return { code, stdout: out.join(""), stderr: err.join("") };
}
