import { CliError } from "./cli-error.js";

/** A CliError for a misused command, pointing at its help. Exit status 2. */
export function usageError(command: string, message: string): CliError {
  return new CliError(`${command}: ${message}\nRun "lockstep ${command} --help" for usage.`);
}
