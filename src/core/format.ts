import type { Problem } from "../types.js";

/** `file:line:column: message` (line and column when known), the form editors and CI understand. */
export function formatProblem(p: Problem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  const level = p.severity === "warning" ? "warning: " : "";
  return `${where}: ${level}${p.path ? `${p.path}: ` : ""}${p.message}`;
}

/** Problems sorted by file, line, column: stable output whatever the order they were found in. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.message.localeCompare(b.message),
  );
}

/** True when any problem is an error (warnings alone don't fail). */
export function hasErrors(problems: Problem[]): boolean {
  return problems.some((p) => p.severity !== "warning");
}
