import { spawn } from "node:child_process";

/** A git command failed; `message` is git's own complaint, fit for a user. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = "GitError";
  }
}

// Settings that would change what git prints; forced so that parsing never depends on the user's config.
const FIXED_CONFIG = [
  "-c", "core.quotePath=false",
  "-c", "diff.noprefix=false",
  "-c", "diff.mnemonicPrefix=false",
  "-c", "color.ui=false",
];

/**
 * Runs `git <args>` in `cwd` without a shell and resolves with its raw stdout.
 * Rejects with a {@link GitError} (git's stderr as the message) when git exits non-zero
 * or cannot be started.
 */
export function runGit(args: readonly string[], cwd: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...FIXED_CONFIG, ...args], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      // A pager or a credential prompt must never wait on a terminal; paths we pass are file names, never globs.
      env: { ...process.env, GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0", GIT_LITERAL_PATHSPECS: "1", LC_ALL: "C" },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(new GitError(`cannot run git: ${error.message}`, args, null)));
    child.on("close", (code) => {
      if (code === 0) return resolve(Buffer.concat(out));
      const message = Buffer.concat(err).toString("utf8").trim() || `git ${args[0]} exited with ${code}`;
      reject(new GitError(message, args, code));
    });
  });
}
