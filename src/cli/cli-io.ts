import type { Readable } from "node:stream";

/** Everything a CLI command touches outside itself, injected so tests run it in-process. */
export type CliIo = {
  stdin: Readable & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: Record<string, string | undefined>;
};
