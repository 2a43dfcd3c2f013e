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
 * A set of globs compiled once. `match` answers exactly as minimatch does, but fast: one regex
 * built from all the globs rules most paths out in a single test, and only a candidate is
 * confirmed glob by glob (minimatch's regexes are slightly looser than its matcher, e.g. `a/**`
 * vs a file named `a`, so the regex alone is only a pre-filter).
 */
export class GlobSet {
  readonly #globs: { glob: string; re: RegExp; mm: Minimatch }[];
  readonly #any: RegExp | undefined;

  constructor(globs: readonly string[]) {
    this.#globs = globs.flatMap((glob) => {
      if (checkGlob(glob)) return []; // validation reports it; here it simply matches nothing
      return [{ glob, re: minimatch.makeRe(glob, OPTIONS) as RegExp, mm: new Minimatch(glob, OPTIONS) }];
    });
    this.#any = this.#globs.length ? new RegExp(this.#globs.map((g) => `(?:${g.re.source})`).join("|")) : undefined;
  }

  /** The first glob that matches `path`, or undefined. */
  match(path: string): string | undefined {
    if (!this.#any?.test(path)) return undefined;
    return this.#globs.find((g) => g.re.test(path) && g.mm.match(path))?.glob;
  }

  has(path: string): boolean {
    return this.match(path) !== undefined;
  }
}
