/**
 * A failure the user can fix (bad flag, unreadable input, unknown ref): `main` prints the message
 * on stderr and exits with `exitCode` (2 unless stated), without a stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}
