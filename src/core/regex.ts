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

/**
 * The same pattern with every capturing group made non-capturing. Lockstep only needs to know
 * where a pattern matches, and RE2 finds match boundaries with its fast DFA only when no group
 * must be reported: a pattern with groups can be a hundred times slower on a large diff.
 * `\Q…\E` literals are left alone (a paren inside them is text).
 */
export function withoutCaptures(pattern: string): string {
  if (pattern.includes("\\Q")) return pattern;
  return pattern.replace(/\\.|\[(?:\\.|[^\]])*\]|\((?:\?P?<[A-Za-z_][A-Za-z0-9_]*>)?(?!\?)/g, (m) => (m.startsWith("(") ? "(?:" : m));
}
