import RE2 from "re2";
import { memoize } from "./memo.js";

/**
 * Compiles an RE2 line pattern (linear time: no pattern can hang the app).
 * Patterns RE2 refuses (backreferences, lookaround) come back with RE2's reason, and patterns
 * holding a raw control character with how to write what was meant. Remembered: validating a
 * checklist and evaluating with it compile the same patterns, and a compiled pattern holds no
 * state between calls (it is not global), so one serves both.
 */
export const compileLinePattern = memoize(compile);

function compile(pattern: string): RE2 | { error: string } {
  const control = controlCharacter(pattern);
  if (control) return { error: `pattern ${JSON.stringify(pattern)} contains ${control}` };
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

/**
 * Names the first raw control character in a pattern (a tab is allowed: it matches a tab).
 * They come from YAML's double-quoted escapes: "\bemail\b" holds two backspaces, not RE2's
 * word boundaries, and would silently never match.
 */
function controlCharacter(pattern: string): string | undefined {
  const index = pattern.search(/[\x00-\x08\x0a-\x1f\x7f]/);
  if (index < 0) return undefined;
  const code = pattern.charCodeAt(index);
  const at = `(U+${code.toString(16).toUpperCase().padStart(4, "0")}) at character ${index + 1}`;
  if (code === 0x08)
    return `a backspace ${at}: in a double-quoted YAML string "\\b" is a backspace, not a word boundary; write the pattern in single quotes ('\\bword\\b') or double the backslash ("\\\\bword\\\\b")`;
  return `a raw control character ${at}: a pattern is matched against one line at a time; write it escaped (\\x${code.toString(16).padStart(2, "0")}) if you mean it`;
}

export type { RE2 };
export type RE2Set = InstanceType<typeof RE2.Set>;

/** Patterns as one RE2 set (which of them match, in one pass); null when RE2 refuses it (too large). */
export function compileSet(sources: readonly string[], flags: string): RE2Set | null {
  try {
    return new RE2.Set(sources, flags);
  } catch {
    return null;
  }
}

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
