/** A `/lockstep` command in a PR comment. */
export type Command =
  | { kind: "recheck" }
  | { kind: "waive"; checklist: string; reason: string }
  | { kind: "invalid"; message: string };

const USAGE = "Usage: `/lockstep recheck` or `/lockstep waive <checklist-id> <reason>`";

/**
 * Reads the first `/lockstep` command of a comment (at the start of a line), or undefined when
 * there is none. A malformed command comes back as `invalid` with what to write instead.
 */
export function parseCommand(body: string): Command | undefined {
  const line = body.split(/\r?\n/).find((l) => /^\s*\/lockstep\b/.test(l));
  if (!line) return undefined;
  const [, verb = "", ...rest] = line.trim().split(/\s+/);
  if (verb === "recheck") return { kind: "recheck" };
  if (verb === "waive") {
    const [checklist, ...reason] = rest;
    if (!checklist || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(checklist)) return { kind: "invalid", message: `Name the checklist to waive. ${USAGE}` };
    const text = reason.join(" ").trim();
    if (text.length < 10) return { kind: "invalid", message: `A waiver needs a written reason (10 characters or more). ${USAGE}` };
    return { kind: "waive", checklist, reason: text.slice(0, 500) };
  }
  return { kind: "invalid", message: `Unknown command \`${verb || "(none)"}\`. ${USAGE}` };
}
