import { Minimatch, minimatch } from "minimatch";
import { memoize } from "./memo.js";
import { compileSet, type RE2Set } from "./regex.js";

/** minimatch options of every glob Lockstep matches (dot files included, no comments or negation). */
export const GLOB_OPTIONS = { dot: true, nocomment: true, nonegate: true } as const;

/**
 * Why a glob can never match a repository path, or undefined when it is fine. Remembered: the
 * built-in library names 9,000 globs, 850 of them distinct.
 */
export const checkGlob = memoize(globProblem);

function globProblem(glob: string): string | undefined {
  if (glob.startsWith("/") || glob.startsWith("./"))
    return `glob "${glob}" starts with "${glob.startsWith("/") ? "/" : "./"}"; paths are relative to the repository root, e.g. "${glob.replace(/^\.?\//, "")}"`;
  if (glob.startsWith("!")) return `glob "${glob}" is negated; list the files to leave out under "exclude" instead`;
  if (glob.includes("\\")) return `glob "${glob}" contains a backslash; use "/" between folders`;
  if (!matcher(glob).makeRe()) return `glob "${glob}" is not a valid minimatch pattern`;
  return undefined;
}

/** minimatch's own answer (dot files included), for one-off checks. */
export function matchGlob(path: string, glob: string): boolean {
  return minimatch(path, glob, GLOB_OPTIONS);
}

/**
 * Text that every path matching `glob` must contain, as sets: each inner list holds alternatives
 * of which the path contains at least one. Literal runs give one-element sets; a brace group gives
 * the set of its alternatives' longest literals (none when an alternative has no literal).
 * Globstars with their slashes, wildcards, classes and extglobs separate the runs:
 * `**\/models/**\/*.{rb,py}` gives [["models"], [".rb", ".py"]].
 */
export function requiredLiterals(glob: string): string[][] {
  const sets: string[][] = [];
  let run = "";
  const cut = () => {
    if (run) sets.push([run]);
    run = "";
  };
  for (let i = 0; i < glob.length; ) {
    const rest = glob.slice(i);
    const star = /^\/?\*\*\/?/.exec(rest) ?? /^[@!?+*]\([^)]*\)/.exec(rest) ?? /^\[[^\]]*\]/.exec(rest) ?? /^[*?]/.exec(rest);
    if (star) {
      cut();
      i += star[0].length;
    } else if (glob[i] === "{") {
      const close = matchingBrace(glob, i);
      if (close < 0) {
        run += glob[i++];
        continue;
      }
      const parts = splitTopLevel(glob.slice(i + 1, close));
      if (parts.every((alt) => !/[*?[\]{}()@!+]/.test(alt))) {
        // Plain alternatives follow the run directly: `.{rb,py}` needs ".rb" or ".py".
        const alternatives = [...new Set(parts.map((alt) => run + alt))];
        run = "";
        if (alternatives.every((a) => a.length > 0)) sets.push(alternatives);
      } else {
        cut();
        const alternatives = parts.map((alt) => longest(requiredLiterals(alt).filter((set) => set.length === 1).map((set) => set[0]!)));
        if (alternatives.every((a) => a.length > 0)) sets.push([...new Set(alternatives)]);
      }
      i = close + 1;
    } else run += glob[i++];
  }
  cut();
  return sets;
}

function matchingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === "{") depth++;
    else if (glob[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(body: string, separator = ","): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "{") depth++;
    else if (body[i] === "}") depth--;
    else if (body[i] === separator && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  return [...parts, body.slice(start)];
}

function longest(xs: string[]): string {
  return xs.reduce((best, x) => (x.length > best.length ? x : best), "");
}

/**
 * `base`: the glob is `**\/` and one path segment, so only the file name is matched (against that segment).
 * `re`: minimatch's regex, a quick first test; absent where it would wrongly say no (see `prefilter`).
 */
type CompiledGlob = { glob: string; literals: Literals[]; re?: RegExp; mm: Minimatch; base: boolean; fast?: (path: string) => boolean };

/**
 * minimatch's regex for a glob, when it never says no where minimatch's matcher says yes. For
 * a glob that ends in a globstar after another one (`a/**\/b/**`, `**\/assets/**\/build/**`)
 * minimatch 10 builds a regex that drops the final globstar and so misses every file inside
 * (`a/x/b/c.js`): those globs skip the regex and go straight to the matcher.
 */
function prefilter(pattern: string): RegExp | undefined {
  if (pattern.endsWith("/**")) return undefined;
  return matcher(pattern).makeRe() || undefined;
}

/**
 * minimatch's matcher for a glob, parsed once: parsing is minimatch's slow part, and validation
 * and matching parse the same globs (a matcher keeps no state between matches; makeRe caches its regex).
 */
const matcher = memoize((pattern: string) => new Minimatch(pattern, GLOB_OPTIONS));

/**
 * The file-name part of `**\/<segment>` globs (`**\/*{user,User}*{serializer,dto}*`): with no "/" and
 * no globstar in it, it can only match the last segment, so minimatch need not see the folders.
 */
export function nameOnly(glob: string): string | undefined {
  const m = /^\*\*\/([^/]+)$/.exec(glob);
  return m && !m[1]!.includes("**") ? m[1] : undefined;
}

const PLAIN = /^[^*?[\]{}()@!+/\\]+$/;

/** `.{js,ts}` → [".js", ".ts"]; a plain literal → [itself]; anything with other magic → undefined. */
function plainAlternatives(text: string): string[] | undefined {
  if (PLAIN.test(text)) return [text];
  const m = /^([^{}]*)\{([^{}]*)\}([^{}]*)$/.exec(text);
  if (!m) return undefined;
  const all = m[2]!.split(",").map((alt) => `${m[1]}${alt}${m[3]}`);
  return all.every((x) => PLAIN.test(x)) ? all : undefined;
}

/**
 * A text one segment of every matching path must be exactly: the longest part of the glob between
 * slashes with no magic in it (minimatch matches such a part against one whole path segment).
 * Undefined when there is none, or when a brace group spans a slash (its parts are not the glob's).
 */
export function requiredSegment(glob: string): string | undefined {
  const parts = glob.split("/");
  if (parts.some((part) => !bracesClose(part))) return undefined;
  const plain = parts.filter((part) => PLAIN.test(part) && part !== "." && part !== "..");
  return plain.length ? longest(plain) : undefined;
}

function bracesClose(part: string): boolean {
  let depth = 0;
  for (const c of part) if ((depth += c === "{" ? 1 : c === "}" ? -1 : 0) < 0) return false;
  return depth === 0;
}

/** A glob shape matched without minimatch: the file name ends so, is, or a folder on the way is. */
type FastShape = { kind: "suffix" | "name" | "dir"; values: string[] };

/**
 * The shapes most checklist globs take, matched exactly as minimatch does (with `dot: true`) and
 * much cheaper than its regexes: `**\/*.ext` or `**\/*.{a,b}` (the file name ends so), `**\/name`
 * or `**\/{a,b}` (the file name is), `**\/dir/**` or `**\/{a,b}/**` (a folder on the way is).
 * Anything else goes to minimatch.
 */
export function fastShape(glob: string): FastShape | undefined {
  let m: RegExpExecArray | null;
  let values: string[] | undefined;
  if ((m = /^\*\*\/\*(.+)$/.exec(glob))) return (values = plainAlternatives(m[1]!)) && { kind: "suffix", values };
  if ((m = /^\*\*\/([^/]+)\/\*\*$/.exec(glob))) return (values = plainAlternatives(m[1]!)) && { kind: "dir", values };
  if ((m = /^\*\*\/([^/]+)$/.exec(glob))) return (values = plainAlternatives(m[1]!)) && { kind: "name", values };
  return undefined;
}

/** A fast shape as a function of the path (the reference for `GlobTable`'s indexes). */
export function fastMatcher(glob: string): ((path: string) => boolean) | undefined {
  const shape = fastShape(glob);
  if (!shape) return undefined;
  const xs = shape.values;
  // The values hold no "/", so a suffix of the path is a suffix of the file name.
  if (shape.kind === "suffix") return (path) => xs.some((x) => path.endsWith(x));
  if (shape.kind === "dir") return (path) => path.split("/").slice(0, -1).some((segment) => xs.includes(segment));
  return (path) => xs.includes(path.slice(path.lastIndexOf("/") + 1));
}

/**
 * Every distinct glob of a rule set, compiled once. Checklists repeat the same globs many times
 * (`**\/test/**` in nearly every exclude list), so answers are memoised per path: a `Memo` holds
 * one path's answers, indexed by glob id. Globs of a fast shape are answered for a path all at
 * once, from indexes keyed by file name, name suffix and folder name: a few map lookups per path
 * instead of a test per glob. A glob that needs some path segment to be exactly a text is tested
 * only for the paths that have that segment. Most others are tested only for the paths one RE2
 * set of their translations (`globSource`) matches: one pass per path instead of a test per glob.
 */
export class GlobTable {
  readonly #globs: CompiledGlob[] = [];
  readonly #ids = new Map<string, number>();
  readonly #index = { name: new Map<string, number[]>(), suffix: new Map<string, number[]>(), dir: new Map<string, number[]>() };
  /** Globs that need a path segment to be exactly some text (`**\/models/**\/*.rb`: "models"), by that text. */
  readonly #segment = new Map<string, number[]>();
  /**
   * The other globs (`**\/.env*`, `**\/*{jwt,oauth,…}*`, `**\/{jobs,workers}/**`): one RE2 set over
   * the path tells which of them can match, so only those are tested.
   */
  readonly #shortlist: { ids: number[]; sources: string[]; set?: RE2Set | null } = { ids: [], sources: [] };
  /** The ids answered by the indexes alone (fast shapes). */
  readonly #answered = new Set<number>();
  #suffixLengths: number[] = [];
  /** A memo with every indexed glob answered "no"; the indexes then mark the matches (fast shapes) or the globs to test (segments). */
  #blank = new Int8Array(0);

  /** The id of `glob`, compiling it the first time; -1 for a glob that can never match. */
  id(glob: string): number {
    let id = this.#ids.get(glob);
    if (id === undefined) {
      // Validation reports a bad glob; here it simply matches nothing.
      const fast = fastMatcher(glob);
      const name = nameOnly(glob);
      const pattern = name ?? glob;
      const literals = requiredLiterals(pattern)
        .sort((a, b) => a.length - b.length)
        .map((set) => (set.length > MANY ? new RegExp(set.map(escapeRegExp).join("|")) : set));
      const re = prefilter(pattern);
      const compiled: CompiledGlob = { glob, literals, ...(re ? { re } : {}), mm: matcher(pattern), base: name !== undefined, ...(fast ? { fast } : {}) };
      id = checkGlob(glob) ? -1 : this.#globs.push(compiled) - 1;
      this.#ids.set(glob, id);
      const shape = id >= 0 ? fastShape(glob) : undefined;
      const segment = id >= 0 && !shape ? requiredSegment(glob) : undefined;
      const source = id >= 0 && !shape && segment === undefined ? globSource(glob) : undefined;
      if (shape) {
        this.#indexShape(id, shape);
        this.#answered.add(id);
      } else if (segment !== undefined) this.#segment.set(segment, [...(this.#segment.get(segment) ?? []), id]);
      else if (source !== undefined) {
        this.#shortlist.ids.push(id);
        this.#shortlist.sources.push(source);
        delete this.#shortlist.set;
      }
      if (shape || segment !== undefined || source !== undefined) {
        // "No" unless the path says otherwise: a fast shape is then "yes", a glob that needs a segment or is shortlisted "to be tested".
        const blank = new Int8Array(this.#globs.length);
        blank.set(this.#blank);
        blank[id] = 2;
        this.#blank = blank;
      }
    }
    return id;
  }

  #indexShape(id: number, { kind, values }: FastShape): void {
    const map = this.#index[kind];
    for (const value of new Set(values)) map.set(value, [...(map.get(value) ?? []), id]);
    if (kind === "suffix") this.#suffixLengths = [...new Set(values.map((v) => v.length).concat(this.#suffixLengths))];
  }

  /** Whether `id` is answered by the indexes (in every memo) rather than tested. */
  indexed(id: number): boolean {
    return this.#answered.has(id);
  }

  /** A fresh memo for `path`, with its fast-shape globs already answered; `matched` receives the ids of those that match. */
  memo(path: string, matched?: number[]): Memo {
    const memo = new Int8Array(this.#globs.length);
    memo.set(this.#blank);
    const mark = (ids: number[] | undefined) => {
      if (ids)
        for (const id of ids) {
          memo[id] = 1;
          matched?.push(id);
        }
    };
    for (const length of this.#suffixLengths) if (length <= path.length) mark(this.#index.suffix.get(path.slice(path.length - length)));
    // Every segment: the folders (text between slashes), then the file name.
    for (let from = 0; ; ) {
      const at = path.indexOf("/", from);
      const segment = path.slice(from, at === -1 ? undefined : at);
      mark((at === -1 ? this.#index.name : this.#index.dir).get(segment));
      const needing = this.#segment.get(segment);
      if (needing) for (const id of needing) memo[id] = 0; // to be tested
      if (at === -1) break;
      from = at + 1;
    }
    const shortlist = this.#shortlist;
    if (shortlist.ids.length > 0) {
      if (shortlist.set === undefined) shortlist.set = compileSet(shortlist.sources, "u");
      // Only the globs the set finds are tested; all of them when RE2 cannot answer.
      const found = shortlist.set?.match(path) ?? shortlist.ids.map((_, i) => i);
      for (const i of found) memo[shortlist.ids[i]!] = 0;
    }
    return memo;
  }

  /**
   * minimatch's answer, fast: a glob is only tried when the path contains the literal text it
   * requires (most paths fail that cheap test; brace-heavy globs expand to hundreds of patterns),
   * and minimatch's regex is confirmed by its matcher (the regex is slightly looser, e.g. `a/**`
   * against a file named `a`).
   */
  test(id: number, path: string, memo?: Memo): boolean {
    if (id < 0) return false;
    const known = memo?.[id];
    if (known) return known === 1;
    const g = this.#globs[id]!;
    const subject = g.base ? path.slice(path.lastIndexOf("/") + 1) : path;
    const yes = g.fast ? g.fast(path) : containsAll(subject, g.literals) && (g.re === undefined || g.re.test(subject)) && g.mm.match(subject);
    if (memo) memo[id] = yes ? 1 : 2;
    return yes;
  }

  glob(id: number): string {
    return this.#globs[id]!.glob;
  }
}

/**
 * An anchored RE2 source matching every path the glob matches, and perhaps a few more (`*` and
 * `**` here also match "." and ".." segments; the exact test confirms each yes). Undefined for
 * what it does not translate: extglobs, brace ranges, braces with one alternative, an empty or
 * all-dots one or one starting or ending with a star, braces spanning a slash, character classes
 * beyond plain letters, digits and ranges.
 */
export function globSource(glob: string): string | undefined {
  let out = "^";
  // Right after a globstar (or at the start), the next segment brings no slash of its own.
  let afterSlash = true;
  const segments = splitTopLevel(glob, "/");
  for (const [i, segment] of segments.entries()) {
    if (segment === "**") {
      const last = i === segments.length - 1;
      out += last ? (afterSlash ? ".*" : "(?:/.*)?") : afterSlash ? "(?:.*/)?" : "/(?:.*/)?";
      afterSlash = true;
      continue;
    }
    // minimatch rewrites ".", ".." and empty segments; leave those globs to it.
    const odd = segment === "" || segment === "." || segment === ".." || segment.includes("**") || segment.includes("/");
    const body = odd ? undefined : translate(segment);
    if (body === undefined) return undefined;
    out += (afterSlash ? "" : "/") + body;
    afterSlash = false;
  }
  return `${out}$`;
}

function translate(text: string): string | undefined {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "(" || c === ")" || c === "\\") return undefined;
    else if (c === "[") {
      const m = /^\[([!^]?)((?:[A-Za-z0-9_.](?:-[A-Za-z0-9_.])?)+)\]/.exec(text.slice(i));
      if (!m) return undefined;
      out += `[${m[1] ? "^" : ""}${m[2]!.replace(/\./g, "\\.")}]`;
      i += m[0].length - 1;
    } else if (c === "{") {
      const close = matchingBrace(text, i);
      if (close < 0) return undefined;
      const parts = splitTopLevel(text.slice(i + 1, close));
      // An empty or all-dots alternative can make a segment empty, "." or "..", which minimatch
      // rewrites (`**/{a,}/**`, `{.,a}.`); one with a star at an edge can meet another star and
      // expand to a globstar (`{*,?}*`).
      if (parts.length < 2 || parts.some((part) => /^\.*$/.test(part) || part.includes("..") || part.startsWith("*") || part.endsWith("*"))) return undefined;
      const alternatives = parts.map(translate);
      if (alternatives.some((a) => a === undefined)) return undefined;
      out += `(?:${alternatives.join("|")})`;
      i = close;
    } else if (c === "}" || c === "]") return undefined;
    else out += escapeRegExp(c);
  }
  return out;
}

/** Whether `path` contains a text of every set (the smallest sets, cheapest to rule out, first). */
function containsAll(path: string, literals: readonly Literals[]): boolean {
  for (const set of literals) {
    if (set instanceof RegExp) {
      if (!set.test(path)) return false;
      continue;
    }
    let found = false;
    for (const text of set) if ((found = path.includes(text))) break;
    if (!found) return false;
  }
  return true;
}

/**
 * Texts of which a path must contain one. Beyond MANY alternatives (`*{auth,Auth,session,…}*`), one
 * regular expression finds any of them in a single pass, where a search per text would not.
 */
type Literals = readonly string[] | RegExp;
const MANY = 4;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** One path's glob answers: 0 unknown, 1 matches, 2 does not. */
export type Memo = Int8Array;

/** A list of globs (a trigger's paths, an exclude list) over a shared table. */
export class GlobSet {
  readonly #ids: number[];
  constructor(globs: readonly string[], private readonly table: GlobTable = new GlobTable()) {
    this.#ids = globs.map((g) => table.id(g));
  }

  /** The ids of the globs in the table (-1 for one that can never match). */
  get ids(): readonly number[] {
    return this.#ids;
  }

  /** The first glob that matches `path`, or undefined. */
  match(path: string, memo?: Memo): string | undefined {
    for (const id of this.#ids) {
      const known = memo?.[id];
      if (known === 2) continue; // the common answer, without a call
      if (known === 1 || this.table.test(id, path, memo)) return this.table.glob(id);
    }
    return undefined;
  }

  has(path: string, memo?: Memo): boolean {
    return this.match(path, memo) !== undefined;
  }
}
