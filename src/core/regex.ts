import RE2 from "re2";

/**
 * Compiles an RE2 line pattern (linear time: no pattern can hang the app).
 * Patterns RE2 refuses (backreferences, lookaround) come back with RE2's reason.
 */
export function compileLinePattern(pattern: string): RE2 | { error: string } {
  try {
    return new RE2(pattern, "u");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = /\\\d|\(\?[=!<]/.test(pattern)
      ? " (RE2 has no backreferences or lookaround: match the text itself, or use exclude globs)"
      : "";
    return { error: `pattern ${JSON.stringify(pattern)} is not valid RE2: ${reason}${hint}` };
  }
}

export type { RE2 };
