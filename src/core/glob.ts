import { minimatch } from "minimatch";

const OPTIONS = { dot: true, nocomment: true, nonegate: true } as const;

/**
 * Compiles a minimatch glob (dot files included) to a RegExp, once.
 * Returns a reason instead when the glob can never match a repository path.
 */
export function compileGlob(glob: string): RegExp | { error: string } {
  if (glob.startsWith("/") || glob.startsWith("./"))
    return { error: `glob "${glob}" starts with "${glob.startsWith("/") ? "/" : "./"}"; paths are relative to the repository root, e.g. "${glob.replace(/^\.?\//, "")}"` };
  if (glob.startsWith("!"))
    return { error: `glob "${glob}" is negated; list the files to leave out under "exclude" instead` };
  if (glob.includes("\\"))
    return { error: `glob "${glob}" contains a backslash; use "/" between folders` };
  const re = minimatch.makeRe(glob, OPTIONS);
  if (!re) return { error: `glob "${glob}" is not a valid minimatch pattern` };
  return re;
}

/** The same test `compileGlob` compiles, for one-off checks (examples, docs). */
export function matchGlob(path: string, glob: string): boolean {
  return minimatch(path, glob, OPTIONS);
}
