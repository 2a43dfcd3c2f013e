import type { ChangedFile } from "../types.js";
import { CliError } from "./cli-error.js";

const STATUSES: readonly ChangedFile["status"][] = ["added", "removed", "modified", "renamed", "copied", "changed", "unchanged"];

/**
 * Parses the response of GitHub's "list pull request files" endpoint: a JSON array of files, or
 * several arrays back to back as `gh api --paginate` prints them (`[...][...]`). Keeps the fields
 * Lockstep uses and ignores the rest. Throws a CliError naming `source:line:column` for malformed
 * JSON and the item (`[3].status`) for a file entry of the wrong shape.
 */
export function parseFilesJson(text: string, source: string): ChangedFile[] {
  const files: ChangedFile[] = [];
  let pos = skipSpace(text, 0);
  if (pos >= text.length) throw new CliError(`${source}: no input; expected a JSON array of pull request files`);
  while (pos < text.length) {
    const end = valueEnd(text, pos);
    let value: unknown;
    try {
      value = JSON.parse(text.slice(pos, end));
    } catch (error) {
      const message = (error as Error).message;
      const at = /at position (\d+)/.exec(message);
      const offset = at ? pos + Number(at[1]) : end;
      const reason = message.replace(/ in JSON at position \d+.*$/s, "").replace(/ \(line \d+ column \d+\)$/, "").replace(/, ".*" is not valid JSON$/s, "");
      throw new CliError(`${source}:${lineColumn(text, offset)}: invalid JSON: ${reason}`);
    }
    if (!Array.isArray(value)) {
      const hint = isObject(value) && typeof value.message === "string" ? ` (GitHub said: "${value.message}")` : "";
      throw new CliError(`${source}:${lineColumn(text, pos)}: expected a JSON array of pull request files, got ${describe(value)}${hint}`);
    }
    for (const item of value) files.push(toChangedFile(item, files.length, source));
    pos = skipSpace(text, end);
  }
  return files;
}

function toChangedFile(item: unknown, index: number, source: string): ChangedFile {
  const fail = (key: string, what: string) => {
    throw new CliError(`${source}: [${index}]${key}: ${what}`);
  };
  if (!isObject(item)) return fail("", `expected a file object with "filename", got ${describe(item)}`);
  const { filename, status, previous_filename, patch, sha } = item;
  if (typeof filename !== "string" || filename === "") return fail(".filename", "missing or not a string");
  if (status !== undefined && !STATUSES.includes(status as ChangedFile["status"])) {
    fail(".status", `"${String(status)}" is not one of ${STATUSES.join(", ")}`);
  }
  if (previous_filename !== undefined && typeof previous_filename !== "string") fail(".previous_filename", "not a string");
  if (patch !== undefined && typeof patch !== "string") fail(".patch", "not a string");
  if (sha !== undefined && sha !== null && typeof sha !== "string") fail(".sha", "not a string");
  const file: ChangedFile = { filename, status: (status as ChangedFile["status"] | undefined) ?? "modified" };
  if (typeof previous_filename === "string") file.previous_filename = previous_filename;
  if (typeof patch === "string") file.patch = patch;
  if (typeof sha === "string") file.sha = sha;
  for (const key of ["additions", "deletions", "changes"] as const) {
    if (typeof item[key] === "number") file[key] = item[key];
  }
  return file;
}

/** Index just past the JSON value starting at `pos` (or the end of text when it never closes). */
function valueEnd(text: string, pos: number): number {
  const open = text[pos];
  if (open !== "[" && open !== "{") {
    const stop = text.slice(pos).search(/[\s[{]/);
    return stop === -1 ? text.length : pos + Math.max(stop, 1);
  }
  let depth = 0;
  let inString = false;
  for (let i = pos; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      if (--depth === 0) return i + 1;
    }
  }
  return text.length;
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  return pos;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return `${line}:${column}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
