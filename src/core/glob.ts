import { Minimatch, minimatch } from "minimatch";

const OPTIONS = { dot: true, nocomment: true, nonegate: true } as const;

/** Why a glob can never match a repository path, or undefined when it is fine. */
export function checkGlob(glob: string): string | undefined {
  if (glob.startsWith("/") || glob.startsWith("./"))
    return `glob "${glob}" starts with "${glob.startsWith("/") ? "/" : "./"}"; paths are relative to the repository root, e.g. "${glob.replace(/^\.?\//, "")}"`;
  if (glob.startsWith("!")) return `glob "${glob}" is negated; list the files to leave out under "exclude" instead`;
  if (glob.includes("\\")) return `glob "${glob}" contains a backslash; use "/" between folders`;
  if (!minimatch.makeRe(glob, OPTIONS)) return `glob "${glob}" is not a valid minimatch pattern`;
  return undefined;
}

/** minimatch's own answer (dot files included), for one-off checks. */
export function matchGlob(path: string, glob: string): boolean {
  return minimatch(path, glob, OPTIONS);
}

/**
 * The longest piece of literal text that every path matching `glob` contains, or "" when there is
 * none (e.g. `**`). Globstars with their slashes, wildcards and bracket/brace/paren groups separate
 * the pieces, so `**\/models/**\/*.{rb,py}` gives "models" and `db/**\/*.sql` gives ".sql".
 */
export function requiredLiteral(glob: string): string {
  const pieces = glob.split(/\/?\*\*\/?|\{[^}]*\}|\[[^\]]*\]|[@!?+*]?\([^)]*\)|[*?]/);
  return pieces.reduce((best, p) => (p.length > best.length ? p : best), "");
}

/**
 * A set of globs compiled once. `match` answers exactly as minimatch does, but fast: a glob is
 * only tried when the path contains its required literal text (most paths fail that cheap test),
 * and minimatch's regex is confirmed by its matcher (the regex is slightly looser, e.g. `a/**`
 * against a file named `a`).
 */
export class GlobSet {
  readonly #globs: { glob: string; literal: string; re: RegExp; mm: Minimatch }[];

  constructor(globs: readonly string[]) {
    this.#globs = globs.flatMap((glob) => {
      if (checkGlob(glob)) return []; // validation reports it; here it simply matches nothing
      return [{ glob, literal: requiredLiteral(glob), re: minimatch.makeRe(glob, OPTIONS) as RegExp, mm: new Minimatch(glob, OPTIONS) }];
    });
  }

  /** The first glob that matches `path`, or undefined. */
  match(path: string): string | undefined {
    for (const g of this.#globs) if (path.includes(g.literal) && g.re.test(path) && g.mm.match(path)) return g.glob;
    return undefined;
  }

  has(path: string): boolean {
    return this.match(path) !== undefined;
  }
}
