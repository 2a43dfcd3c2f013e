/**
 * The engine's fast paths answer exactly as the straightforward code they replace.
 */
import fc from "fast-check";
import RE2 from "re2";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/core/evaluate.js";
import { fastMatcher, globSource, GlobTable, matchGlob, requiredSegment } from "../../src/core/glob.js";
import { LineFilter, nearlyAlways } from "../../src/core/linefilter.js";
import { parsePatch, splitPatch, LineTwins, type ParsedPatch } from "../../src/core/patch.js";
import { compileLinePattern, withoutCaptures } from "../../src/core/regex.js";
import { join, linePatterns, scan } from "../../src/core/scan.js";
import { makeChecklist, makeConfig, makeFile } from "./factories.js";

const ANY_CODE_LINE = "^\\s*(?:[^\\s#/*]).*\\w";

describe("LineFilter", () => {
  const sources = ["email", "(?i)phone\\s+number", "^\\s*purge", "\\bssn\\b|passport", "x$", ANY_CODE_LINE, "a\\s+b", "é", "(?:^|[^a-z])dob(?:[^a-z]|$)"];
  const line = fc.oneof(fc.constantFrom("email: x", "PHONE  number", "  purge()", "# purge", "ssn", "my_ssn", "passport", "x", "a", "b", "é", "dob", "  const x = 1", "", "😀"), fc.string({ maxLength: 12 }));
  const lines = fc.array(line, { maxLength: 8 });

  it("says a slot may match exactly when its pattern matches the joined lines, however the slots are grouped (property)", () => {
    // [filter, whether its files belong to a small change (which does not compile the whole set)]
    const filters: [LineFilter, boolean][] = [
      [new LineFilter(sources), false],
      [new LineFilter(sources), true],
      [new LineFilter(sources, { whole: false }), false],
      [new LineFilter(sources, { groupBudget: 1 }), false],
    ];
    const res = sources.map((s) => new RE2(s, "mu"));
    fc.assert(
      fc.property(lines, (ls) => {
        const buffer = Buffer.from(ls.join("\n"));
        const expected = sources.map((s, i) => nearlyAlways(s) || res[i]!.test(buffer));
        for (const [filter, small] of filters) {
          const may = filter.forLines(buffer, small);
          // Ask in a scrambled order: answers must not depend on which slot is asked first.
          const order = sources.map((_, i) => (i * 5) % sources.length);
          const got: boolean[] = [];
          for (const i of order) got[i] = may(i);
          expect(got).toEqual(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("answers exactly when RE2 refuses to compile the set of every slot (it asks halves of it)", () => {
    // 800 patterns of about 200 characters: RE2 compiles any half of them, not all at once.
    const word = (i: number, j: number) => `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i * 7 + j) % 26))}${String.fromCharCode(97 + ((i + j * 3) % 26))}${j}`;
    const many = Array.from({ length: 800 }, (_, i) => `(?i)\\b${word(i, 0)}\\w*\\s*[:=]\\s*['"]?(${Array.from({ length: 30 }, (_, j) => word(i, j)).join("|")})\\b`);
    expect(() => new RE2.Set(many, "mu")).toThrow();
    const filter = new LineFilter(many);
    const res = many.map((s) => new RE2(s, "mu"));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(799), fc.nat(29)), { maxLength: 4 }), fc.nat(799), (picked, asked) => {
        const buffer = Buffer.from(picked.map(([i, j]) => `${word(i, 0)} = "${word(i, j)}"`).join("\n"));
        const may = filter.forLines(buffer);
        for (const slot of [asked, ...picked.map(([i]) => i)]) expect(may(slot)).toBe(res[slot]!.test(buffer));
      }),
      { numRuns: 50 },
    );
  });

  it("compiles the set of every slot for a larger change only; a small change uses it once compiled", () => {
    const filter = new LineFilter(sources, { groupBudget: 1 });
    const buffer = Buffer.from("email: x\nssn");
    expect(filter.forLines(buffer, true)(0)).toBe(true);
    expect(filter.wholeCompiled).toBe(false);
    expect(filter.forLines(buffer, false)(0)).toBe(true);
    expect(filter.wholeCompiled).toBe(true);
    expect(filter.forLines(Buffer.from("nothing"), true)(0)).toBe(false);
  });

  it("keeps patterns that match nearly every code line out of its sets", () => {
    expect(nearlyAlways(ANY_CODE_LINE)).toBe(true);
    expect(sources.filter((s) => s !== ANY_CODE_LINE).some(nearlyAlways)).toBe(false);
  });
});

describe("LineTwins", () => {
  /** The straightforward pairing: walk the patch run by run, pair equal keys in order. */
  function reference(patch: string): { added: Set<number>; removed: Set<number> } {
    const key = (t: string) => {
      const indent = /^[ \t]*/.exec(t)![0];
      const rest = t.slice(indent.length).replace(/[ \t\r\n\v\f]+/g, "");
      return rest ? `${indent}|${rest}` : undefined;
    };
    const twins = { added: new Set<number>(), removed: new Set<number>() };
    let a = 0;
    let r = 0;
    let runA: [number, string][] = [];
    let runR: [number, string][] = [];
    // Versions as the engine reads them: a pin after "@", or three or more numeric parts.
    const version = /@v?\d+(?:\.\d+)*\b|@[0-9a-f]{7,40}\b|\bv?\d+\.\d+\.\d+(?:[-+.][0-9A-Za-z.-]+)?/g;
    const versionKey = (t: string) => (t.replace(version, "") === t ? undefined : key(t.replace(version, "#")));
    const pair = (keyOf: (t: string) => string | undefined) => {
      const waiting = new Map<string, number[]>();
      for (const [i, t] of runR) {
        const k = twins.removed.has(i) ? undefined : keyOf(t);
        if (k !== undefined) waiting.set(k, [...(waiting.get(k) ?? []), i]);
      }
      for (const [i, t] of runA) {
        const k = twins.added.has(i) ? undefined : keyOf(t);
        const m = k === undefined ? undefined : waiting.get(k)?.shift();
        if (m !== undefined) {
          twins.added.add(i);
          twins.removed.add(m);
        }
      }
    };
    const flush = () => {
      // Re-spaced lines first, then, among the lines left, re-versioned ones.
      pair(key);
      pair(versionKey);
      runA = [];
      runR = [];
    };
    let inHunk = false;
    for (const line of patch.split("\n")) {
      if (line.startsWith("@@")) {
        flush();
        inHunk = true;
      } else if (!inHunk) continue;
      else if (line.startsWith("+")) runA.push([a++, line.slice(1)]);
      else if (line.startsWith("-")) runR.push([r++, line.slice(1)]);
      else if (line === "" || line.startsWith(" ")) flush();
    }
    flush();
    return twins;
  }

  it("finds exactly the twins of a straightforward run-by-run pairing, whatever order it is asked in (property)", () => {
    const text = fc.constantFrom("a = b", "a  = b", "a =b", "  a = b", "\ta = b", "x", " x", "x ", "", " ", "if (y)", "if(y)", "a\u00a0= b", "uses: a@v4", "uses: a@v5", "uses:  a@0f3c9e1", "  uses: a@v5", "a 1.2.3", "a  1.10.0-rc.1", "a 0.1", "a 0.2", "b 1.2.3");
    const line = fc.oneof(text.map((t) => `+${t}`), text.map((t) => `-${t}`), text.map((t) => ` ${t}`), fc.constant("@@ -1 +1 @@"));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 14 }), fc.integer({ min: 0, max: 1000 }), (lines, seed) => {
        const patch = ["@@ -1 +1 @@", ...lines].join("\n");
        const { added, removed } = splitPatch(patch);
        const twins = new LineTwins(added, removed);
        const asks = [...added.texts.map((_, i) => ["added", i] as const), ...removed.texts.map((_, i) => ["removed", i] as const)];
        asks.sort((x, y) => ((x[1] * 7919 + seed) % 13) - ((y[1] * 7919 + seed) % 13));
        const got = { added: new Set<number>(), removed: new Set<number>() };
        for (const [kind, i] of asks) if (twins.has(kind, i)) got[kind].add(i);
        expect(got).toEqual(reference(patch));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("scan", () => {
  const pattern = fc.constantFrom("email", "(?i)phone\\s+number", "^\\s*purge", "x$", "a\\s+b", "b*", "^$", "(é|😀)", "\\bid\\b", "[^#]*?token", "(?s)a.b", "\\Ax", "(?-m:^)y", "(?i-m)z$", "(?i)(?-i:P)hone", "(?-is:^y)");
  const line = fc.oneof(fc.constantFrom("email", "PHONE  number", "  purge()", "x", "a", "b", "a  b", "é", "😀", "", "id = 1", "# token", "y", "z", "\ud800", "xa"), fc.string({ maxLength: 8 }));

  it("halving the lines finds exactly the hits of walking the buffer match by match (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(pattern, { minLength: 1, maxLength: 3 }), fc.array(line, { maxLength: 12 }), (patterns, lines) => {
        const each = patterns.map((p) => ({ pattern: p, source: withoutCaptures(p), re: compileLinePattern(withoutCaptures(p)) as RE2 }));
        const compiled = linePatterns(each);
        const text = join({ numbers: lines.map((_, i) => i + 1), texts: lines });
        expect(scan(compiled, text)).toEqual(scan({ ...compiled, lineLocal: false }, text));
      }),
      { numRuns: 3000 },
    );
  });

  it("walks patterns with text anchors, whose lines do not match alone as in the buffer", () => {
    expect(linePatterns([{ pattern: "\\Ax", source: "\\Ax", re: new RE2("\\Ax", "u") }]).lineLocal).toBe(false);
    const local = (p: string) => linePatterns([{ pattern: p, source: p, re: new RE2(p, "u") }]).lineLocal;
    expect([local("(?-m:^)y"), local("(?i-sm)z$"), local("(?i)(?-i:P)hone"), local("(?-s:a.b)")]).toEqual([false, false, true, true]);
    const text = join(splitPatch("@@ -1 +1,2 @@\n+x\n+x").added);
    expect(scan(linePatterns([{ pattern: "\\Ax", source: "\\Ax", re: new RE2("\\Ax", "u") }]), text).map((h) => h.line)).toEqual([1]);
  });
});

describe("GlobTable indexes", () => {
  it("knows which segment a glob needs, and none when a brace group spans a slash", () => {
    expect(requiredSegment("**/models/**/*.{rb,py}")).toBe("models");
    expect(requiredSegment("app/models/**")).toBe("models");
    expect(requiredSegment("**/*.rb")).toBeUndefined();
    expect(requiredSegment("**/a{/x,b}/**")).toBeUndefined();
    expect(requiredSegment("**/./x/**")).toBe("x");
  });

  it("answer every indexed glob (fast shape or needed segment) as minimatch does (property)", () => {
    // Fast shapes, and globs that need a segment (`models`, `x`, `a`) or cannot say (a brace spanning a slash).
    // Fast shapes, and globs that need a segment (`models`, `x`, `a`) or cannot say (a brace spanning a slash),
    // then globs the shortlist set narrows down (file names, folders, classes) or leaves to minimatch (extglobs, ranges).
    const globs = ["**/*.js", "**/*.{js,ts}", "**/*.test.ts", "**/README.md", "**/{a,models}", "**/models/**", "**/{a,.github}/**", "**/.js", "**/*js", "**/*.min.*", "**/x/y/**", "**/*a*", "**/models/**/*.{js,rb}", "a/**/*.js", "**/x/*", "**/{a,b}/models/*.js", "**/a{/x,b}/**", "x/y", "**/*{a.b,c+d,x$y,p^q,m|n}*.js", "**/a/**/models/**", "a/**/x/**", "**/x/**/y/*.js",
      "**/.env*", "**/*[Aa]uthor.*", "**/test_*.py", "*.{yml,js}", "**/*Tests/**", "**/{jobs,x}/**/*.js", "**/*.[0-9a-f][0-9a-f]*.js", "**/*{-auth,_auth}/**", "**/a?b.js", "**/@(a|b).js", "**/{1..3}.js", "**/[!a]*.js", "**/donn*", "x/**", "**", "*", "**/*{a,b{c,d}}*/*.js"];
    const table = new GlobTable();
    const ids = globs.map((g) => table.id(g));
    const seg = fc.constantFrom("a", "b", ".github", "models", "x.js", "x.jsx", ".js", "js", "user.rb", "README.md", "x.min.js", "y.test.ts", "", ".", "..", "données", "x", "y", "a.b.js", "aXb.js", "1c+d.js", "x$y.js",
      ".env", ".env.local", "UserTests", "a-auth", "test_x.py", "a.yml", "1.js", "app.0a1b2c3d.js", "Author.rb", "author.go", "jobs", "bc", "xbdx", "axb.js");
    const path = fc.array(seg, { minLength: 1, maxLength: 5 }).map((s) => s.join("/"));
    fc.assert(
      fc.property(path, (p) => {
        const memo = table.memo(p);
        for (const [i, g] of globs.entries()) {
          // A repository path has no empty, "." or ".." segment; on others, only the memo-less answer is the reference.
          const real = p.split("/").every((part) => part !== "" && part !== "." && part !== "..");
          const reference = fastMatcher(g)?.(p) ?? (real ? matchGlob(p, g) : table.test(ids[i]!, p));
          expect([g, p, table.test(ids[i]!, p, memo)]).toEqual([g, p, reference]);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("globSource", () => {
  it("translates the globs it can into anchored RE2, and leaves the rest to minimatch", () => {
    expect(globSource("**/.env*")).toBe("^(?:.*/)?\\.env[^/]*$");
    expect(globSource("**/{jobs,x}/**/*.js")).toBe("^(?:.*/)?(?:jobs|x)/(?:.*/)?[^/]*\\.js$");
    expect(globSource("a/**")).toBe("^a(?:/.*)?$");
    expect(globSource("**/[!a]?.js")).toBe("^(?:.*/)?[^a][^/]\\.js$");
    expect(["**/@(a|b).js", "**/{1..3}.js", "**/{a}.js", "a/../b", "**/a{/x,b}/**", "**/[[:alpha:]].js", "a//b", "**/{a,}/**"].map(globSource)).toEqual(Array(8).fill(undefined));
  });

  it("matches every path minimatch matches (property)", () => {
    const part = fc.constantFrom("*", "?", "a", "b", ".", "-", "x.js", "{a,b}", "{x,*.js}", "{a,}", "[ab]", "[!a]", "[0-9]", "é");
    const segment = fc.oneof({ weight: 1, arbitrary: fc.constant("**") }, { weight: 4, arbitrary: fc.array(part, { minLength: 1, maxLength: 3 }).map((ps) => ps.join("")) });
    const glob = fc.array(segment, { minLength: 1, maxLength: 4 }).map((ss) => ss.join("/"));
    const name = fc.constantFrom("a", "b", "ab", ".a", "x.js", "a.js", "-", "1", "a1", "é", "xé.js", "aa", ".", "b-a");
    const path = fc.array(name, { minLength: 1, maxLength: 5 }).map((ns) => ns.join("/"));
    fc.assert(
      fc.property(glob, fc.array(path, { minLength: 1, maxLength: 8 }), (g, paths) => {
        const source = globSource(g);
        if (source === undefined) return;
        const re = new RE2(source, "u");
        for (const p of paths) if (matchGlob(p, g)) expect([g, p, re.test(p)]).toEqual([g, p, true]);
      }),
      { numRuns: 3000 },
    );
  });
});

/** The parser as it was before it walked the patch in place: split into lines, one regex per line. */
function referenceParse(patch: string): ParsedPatch {
  const added: ParsedPatch["added"] = [];
  const removed: ParsedPatch["removed"] = [];
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  for (const raw of patch.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const mark = line[0];
    // A byte-order mark opening a file's first line is not part of the line.
    const text = (n: number) => (n === 1 && line[1] === "\ufeff" ? line.slice(2) : line.slice(1));
    if (mark === "+") added.push({ line: newLine, text: text(newLine++) });
    else if (mark === "-") removed.push({ line: oldLine, text: text(oldLine++) });
    else if (mark === " " || line === "") {
      oldLine++;
      newLine++;
    }
  }
  return { added, removed };
}

describe("parsePatch", () => {
  it("reads every patch as the line-by-line parser does (property)", () => {
    const piece = fc.oneof(
      fc.constantFrom("@@ -1,2 +3,4 @@", "@@ -1 +1 @@", "+\ufeffusing A;", "-\ufeff", "@@ -7 +9 @@ ctx", "@@ -x +1 @@", "@@", "+", "-", " ", "", "\r", "\\ No newline at end of file", "+a\r", "-é😀", " ctx", "+\ud800", "@@ -0,0 +1 @@\r"),
      fc.string({ maxLength: 10 }),
    );
    const patch = fc.array(piece, { maxLength: 20 }).chain((ps) => fc.constantFrom("\n", "\r\n").map((nl) => ps.join(nl)));
    fc.assert(
      fc.property(patch, (p) => {
        expect(parsePatch(p)).toEqual(referenceParse(p));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("evaluate with an 'any code line' trigger", () => {
  it("reports every code line, though no set checks the pattern", () => {
    const list = makeChecklist({ triggers: [{ paths: ["**/*.ts"], added_lines: [ANY_CODE_LINE], risk: "medium" }] });
    const e = evaluate([makeFile("src/auth.ts", ["// comment", "const a = 1;", "", "  return a;", "/* x */"])], makeConfig(), [list]);
    expect(e.checklists[0]!.hits.map((h) => h.line)).toEqual([2, 4]);
  });

  it("finds matches on a very long line", () => {
    const list = makeChecklist({ triggers: [{ paths: ["**/*.js"], added_lines: ["(?i)\\bpassport\\b", ANY_CODE_LINE], risk: "high" }] });
    const minified = `${"var a=1;".repeat(20_000)}var passport=2;`;
    const e = evaluate([makeFile("static/app.min.js", ["x = 1", minified])], makeConfig(), [list]);
    expect(e.checklists[0]!.hits.map((h) => [h.line, h.pattern])).toEqual([[1, ANY_CODE_LINE], [2, "(?i)\\bpassport\\b"]]);
  });
});
