import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/core/evaluate.js";
import { parsePatch, splitPatch, LineTwins } from "../../src/core/patch.js";
import { fastMatcher, GlobSet, matchGlob, nameOnly, requiredLiterals } from "../../src/core/glob.js";
import fc from "fast-check";
import { makeChecklist, makeConfig, makeFile } from "./factories.js";

const pii = makeChecklist({
  id: "pii",
  triggers: [
    { description: "new personal-data column", paths: ["db/migrate/**"], added_lines: ["(?i)\\b(date_of_birth|phone_number)\\b"], risk: "high" },
    { description: "model touched", paths: ["app/models/**/*.rb"], risk: "medium" },
    { description: "retention job removed", paths: ["jobs/**"], removed_lines: ["purge"], risk: "high" },
  ],
  exclude: ["**/fixtures/**"],
});

describe("parsePatch", () => {
  it("numbers added lines in the new file and removed lines in the old file", () => {
    const patch = "@@ -10,3 +20,4 @@ def x\n ctx\n-old\n+new1\n+new2\n ctx2\n\\ No newline at end of file\n@@ -50 +61,1 @@\n+later";
    expect(parsePatch(patch)).toEqual({
      added: [{ line: 21, text: "new1" }, { line: 22, text: "new2" }, { line: 61, text: "later" }],
      removed: [{ line: 11, text: "old" }],
    });
  });
  it("ignores garbage before the first hunk and CRLF endings", () => {
    expect(parsePatch("garbage\n+not a line\r\n@@ -0,0 +1 @@\r\n+yes\r\n").added).toEqual([{ line: 1, text: "yes" }]);
  });
  it("drops a byte-order mark from a file's first line, on either side, and nowhere else", () => {
    expect(parsePatch("@@ -1,2 +1,2 @@\n-\ufeffusing A;\n-\ufeffx\n+\ufeffusing A;\n+\ufeffx")).toEqual({
      added: [{ line: 1, text: "using A;" }, { line: 2, text: "\ufeffx" }],
      removed: [{ line: 1, text: "using A;" }, { line: 2, text: "\ufeffx" }],
    });
  });
});

describe("LineTwins", () => {
  /** The lines of each side that are not only re-spaced, as "number:text". */
  const changed = (patch: string) => {
    const { added, removed } = splitPatch(patch);
    const twins = new LineTwins(added, removed);
    const keep = (kind: "added" | "removed", side: typeof added) => side.numbers.flatMap((n, i) => (twins.has(kind, i) ? [] : [`${n}:${side.texts[i]}`]));
    return { added: keep("added", added), removed: keep("removed", removed) };
  };

  it("pairs a line replaced by itself with other spacing inside the line, and nothing else", () => {
    const patch = "@@ -1,3 +1,3 @@\n-}  elseif ($password) {\n-  x =   1\n+} elseif ($password) {\n+  x = 2\n ctx";
    expect(changed(patch)).toEqual({ added: ["2:  x = 2"], removed: ["2:  x =   1"] });
  });

  it("keeps a change of indentation, which can change meaning", () => {
    expect(changed("@@ -1 +1 @@\n-        delete_checkouts(ids)\n+    delete_checkouts(ids)")).toEqual({
      added: ["1:    delete_checkouts(ids)"],
      removed: ["1:        delete_checkouts(ids)"],
    });
  });

  it("keeps a line moved past a context line, and pairs each removed line once", () => {
    expect(changed("@@ -1,2 +1,2 @@\n-a =  b\n ctx\n+a = b")).toEqual({ added: ["2:a = b"], removed: ["1:a =  b"] });
    expect(changed("@@ -1 +1,2 @@\n-a =  b\n+a = b\n+a  = b")).toEqual({ added: ["2:a  = b"], removed: [] });
  });

  it("pairs a line whose only change is a version pin or a version of three parts, and nothing else", () => {
    const bump = "@@ -1,5 +1,5 @@\n-      uses: aws-actions/configure-aws-credentials@v4\n-        uses: actions/setup-python@82c7e631bb3cdc910f68e0081d67478d79c6982d\n-  newrelic-api: 7.4.1\n-sample_rate = 0.1\n-uses: a@v4 # pinned\n";
    const patch = bump + "+      uses: aws-actions/configure-aws-credentials@v6\n+        uses: actions/setup-python@19dfb7b\n+  newrelic-api: 7.11.1\n+sample_rate = 0.2\n+uses: b@v5 # pinned";
    expect(changed(patch)).toEqual({ added: ["4:sample_rate = 0.2", "5:uses: b@v5 # pinned"], removed: ["4:sample_rate = 0.1", "5:uses: a@v4 # pinned"] });
  });

  it("pairs a file's first line with itself when only a byte-order mark was added", () => {
    expect(changed("@@ -1,2 +1,2 @@\n-using Grand.Data;\n-using A;\n+\ufeffusing Grand.Data;\n+using B;")).toEqual({ added: ["2:using B;"], removed: ["2:using A;"] });
  });

  it("keeps blank lines, and finds twins in later runs and hunks whichever side is asked first", () => {
    expect(changed("@@ -1 +1 @@\n- \n+")).toEqual({ added: ["1:"], removed: ["1: "] });
    const patch = "@@ -1,3 +1,3 @@\n-x\n+y\n ctx\n-a =  b\n+a = b\n@@ -9 +9 @@\n-c  d\n+c d";
    const { added, removed } = splitPatch(patch);
    const twins = new LineTwins(added, removed);
    expect([twins.has("removed", 2), twins.has("added", 2), twins.has("added", 1), twins.has("removed", 1), twins.has("added", 0)]).toEqual([true, true, true, true, false]);
  });
});

describe("evaluate", () => {
  it("reports nothing for an unrelated change, with decisions off", () => {
    const e = evaluate([makeFile("README.md", ["hello"])], makeConfig(), [pii]);
    expect(e).toMatchObject({ risk: "none", checklists: [], filesExamined: 1, decisions: { comment: false, requestReview: false, blocking: false } });
  });

  it("names the file, new-file line, glob and pattern of a line trigger", () => {
    const e = evaluate([makeFile("db/migrate/001_add.rb", ["create_table :x", "  t.date :date_of_birth"], { start: 5 })], makeConfig(), [pii]);
    expect(e.risk).toBe("high");
    expect(e.decisions).toEqual({ comment: true, requestReview: true, blocking: true });
    expect(e.checklists[0]!.hits).toEqual([
      { trigger: 0, file: "db/migrate/001_add.rb", matched_path: "db/migrate/001_add.rb", glob: "db/migrate/**", kind: "added", pattern: "(?i)\\b(date_of_birth|phone_number)\\b", line: 6, text: "  t.date :date_of_birth", risk: "high" },
    ]);
    expect(e.checklists[0]!.triggers[0]).toEqual({ description: "new personal-data column", risk: "high" });
  });

  it("does not fire on a line whose only change is a version, but does when the name changes too", () => {
    const cors = makeChecklist({ id: "cors", triggers: [{ description: "CI credentials", paths: [".github/workflows/*.yml"], added_lines: ["configure-aws-credentials"], risk: "medium" }] });
    const bumped = makeFile(".github/workflows/build.yml", ["        uses: aws-actions/configure-aws-credentials@v6"], { removed: ["        uses: aws-actions/configure-aws-credentials@v4"] });
    expect(evaluate([bumped], makeConfig(), [cors]).risk).toBe("none");
    const swapped = makeFile(".github/workflows/build.yml", ["        uses: aws-actions/configure-aws-credentials@v6"], { removed: ["        uses: azure/login@v4"] });
    expect(evaluate([swapped], makeConfig(), [cors]).risk).toBe("medium");
  });

  it("does not fire on a line whose only change is spacing inside it, but does on a re-indented one", () => {
    const secrets = makeChecklist({ id: "secrets", triggers: [{ description: "password", paths: ["**/*.php"], added_lines: ["password"], risk: "high" }] });
    const reformatted = makeFile("tools.php", ["} elseif ($db_password !== $x) {"], { removed: ["}  elseif ($db_password !== $x) {"] });
    expect(evaluate([reformatted], makeConfig(), [secrets]).risk).toBe("none");
    const reindented = makeFile("tools.php", ["    check($db_password);"], { removed: ["        check($db_password);"] });
    expect(evaluate([reindented], makeConfig(), [secrets]).risk).toBe("high");
  });

  it("does not fire a line trigger when only unrelated lines are added", () => {
    expect(evaluate([makeFile("db/migrate/002.rb", ["t.string :title"])], makeConfig(), [pii]).risk).toBe("none");
  });

  it("matches renames on the old path", () => {
    const moved = makeFile("lib/user.rb", [], { status: "renamed", previous_filename: "app/models/user.rb" });
    const e = evaluate([moved], makeConfig(), [pii]);
    expect(e.checklists[0]!.hits[0]).toMatchObject({ file: "lib/user.rb", matched_path: "app/models/user.rb", kind: "path", risk: "medium" });
  });

  it("matches removed files, and removed lines", () => {
    const removed = makeFile("jobs/retention.rb", [], { status: "removed", removed: ["def run", "  purge(older_than: 30.days)"] });
    const e = evaluate([removed], makeConfig(), [pii]);
    expect(e.checklists[0]!.hits).toEqual([expect.objectContaining({ kind: "removed", line: 2, pattern: "purge", risk: "high" })]);
  });

  it("fires a line trigger conservatively on a file without a patch, unless it could not hold such lines", () => {
    const binary = { filename: "db/migrate/003.rb", status: "modified" as const };
    expect(evaluate([binary], makeConfig(), [pii]).checklists[0]!.hits).toEqual([expect.objectContaining({ kind: "no-patch", risk: "high" })]);
    const deleted = { filename: "db/migrate/003.rb", status: "removed" as const };
    expect(evaluate([deleted], makeConfig(), [pii]).risk).toBe("none");
  });

  it("does not fire a line trigger on a pure rename (no patch because no line changed)", () => {
    const rename = { filename: "db/migrate/010.rb", previous_filename: "db/old/010.rb", status: "renamed" as const, changes: 0, additions: 0, deletions: 0 };
    expect(evaluate([rename], makeConfig(), [pii]).risk).toBe("none");
    expect(evaluate([{ ...rename, changes: 3, additions: 3 }], makeConfig(), [pii]).checklists[0]!.hits[0]!.kind).toBe("no-patch");
  });

  it("does not fire a line trigger on an empty file, which GitHub lists without a patch", () => {
    // GitHub's entry for a new empty file: no patch, no changes, and the empty blob's id.
    const empty = { filename: "db/migrate/011.rb", status: "added" as const, sha: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", additions: 0, deletions: 0, changes: 0 };
    expect(evaluate([empty], makeConfig(), [pii]).risk).toBe("none");
    // Without the empty blob's id, no changes may still be a binary file: it fires conservatively.
    const binary = { ...empty, sha: "bbcd538c8e72b8c175046e27cc8f907076331401" };
    expect(evaluate([binary], makeConfig(), [pii]).checklists[0]!.hits[0]!.kind).toBe("no-patch");
    expect(evaluate([{ ...empty, sha: null }], makeConfig(), [pii]).checklists[0]!.hits[0]!.kind).toBe("no-patch");
    // A path trigger still fires: the file is there.
    const byPath = makeChecklist({ id: "by-path", triggers: [{ paths: ["db/migrate/**"], risk: "medium" }] });
    expect(evaluate([empty], makeConfig(), [byPath]).risk).toBe("medium");
  });

  it("never fires on excluded files: global, checklist and trigger excludes", () => {
    const list = makeChecklist({ triggers: [{ paths: ["**/*.rb"], exclude: ["**/*_spec.rb"], risk: "high" }], exclude: ["**/fixtures/**"] });
    const files = [makeFile("vendor/a.rb"), makeFile("spec/fixtures/b.rb"), makeFile("spec/c_spec.rb")];
    const e = evaluate(files, makeConfig({ exclude: ["vendor/**"] }), [list]);
    expect(e).toMatchObject({ risk: "none", filesExamined: 2, filesExcluded: 1 });
  });

  it("excludes and matches with globs that end in a globstar after another one, as minimatch does", () => {
    // minimatch's own regex for such globs misses every file inside the last folder.
    const list = makeChecklist({ triggers: [{ paths: ["src/**/api/**"], risk: "medium" }], exclude: ["**/assets/**/build/**"] });
    const files = [makeFile("src/app/api/v1/users.ts"), makeFile("src/app/assets/js/build/api/bundle.js")];
    const e = evaluate(files, makeConfig({ exclude: ["packages/**/generated/**"] }), [list]);
    expect(e.checklists[0]?.hits.map((h) => h.file)).toEqual(["src/app/api/v1/users.ts"]);
    expect(evaluate([makeFile("packages/web/generated/client/api.ts")], makeConfig({ exclude: ["packages/**/generated/**"] }), [list]).filesExcluded).toBe(1);
  });

  it("takes the highest risk of the fired triggers, per checklist and overall", () => {
    const files = [makeFile("app/models/user.rb"), makeFile("db/migrate/004.rb", ["add_column :users, :phone_number, :string"])];
    const other = makeChecklist({ id: "other", triggers: [{ paths: ["**/*.rb"], risk: "low" }] });
    const e = evaluate(files, makeConfig(), [other, pii]);
    expect(e.checklists.map((c) => [c.id, c.risk])).toEqual([["pii", "high"], ["other", "low"]]);
    expect(e.risk).toBe("high");
  });

  it.each([
    ["low", { comment_at: "low", request_review_at: "medium", block_at: "high" }, { comment: true, requestReview: false, blocking: false }],
    ["medium", { comment_at: "high", request_review_at: "medium", block_at: "medium" }, { comment: false, requestReview: true, blocking: true }],
    ["high", { comment_at: "never", request_review_at: "never", block_at: "never" }, { comment: false, requestReview: false, blocking: false }],
  ] as const)("derives the decisions for a %s-risk PR from the thresholds", (risk, thresholds, decisions) => {
    const list = makeChecklist({ triggers: [{ paths: ["x"], risk }] });
    expect(evaluate([makeFile("x")], makeConfig(thresholds), [list]).decisions).toEqual(decisions);
  });

  it("never lets a match span two lines", () => {
    const list = makeChecklist({ triggers: [{ paths: ["x"], added_lines: ["phone\\s+number"], risk: "high" }] });
    expect(evaluate([makeFile("x", ["phone", "number"])], makeConfig(), [list]).risk).toBe("none");
    expect(evaluate([makeFile("x", ["a", "phone  number"])], makeConfig(), [list]).checklists[0]!.hits[0]!.line).toBe(2);
  });

  it("anchors ^ and $ at each line", () => {
    const list = makeChecklist({ triggers: [{ paths: ["x"], added_lines: ["^\\s*email:"], risk: "high" }] });
    const e = evaluate([makeFile("x", ["name: a", "  email: b", "x email: c"])], makeConfig(), [list]);
    expect(e.checklists[0]!.hits.map((h) => h.line)).toEqual([2]);
  });

  it("handles unicode paths and lines (line numbers stay right after multi-byte text)", () => {
    const list = makeChecklist({ triggers: [{ paths: ["données/**"], added_lines: ["téléphone"], risk: "medium" }] });
    const e = evaluate([makeFile("données/clients ü.sql", ["-- 日本語のコメント", "ALTER TABLE c ADD téléphone text;"])], makeConfig(), [list]);
    expect(e.checklists[0]!.hits).toEqual([expect.objectContaining({ line: 2, text: "ALTER TABLE c ADD téléphone text;" })]);
  });

  it("reports one hit per matching line, and clips long lines", () => {
    const list = makeChecklist({ triggers: [{ paths: ["x"], added_lines: ["a", "b"], risk: "low" }] });
    const e = evaluate([makeFile("x", ["ab", "b".repeat(500)])], makeConfig(), [list]);
    expect(e.checklists[0]!.hits.map((h) => [h.line, h.pattern, h.text!.length])).toEqual([[1, "a", 2], [2, "b", 200]]);
  });

  it("uses the checklist's label or the configured prefix", () => {
    const labelled = makeChecklist({ id: "a", label: "legal: a", triggers: [{ paths: ["x"], risk: "low" }] });
    const plain = makeChecklist({ id: "b", triggers: [{ paths: ["x"], risk: "low" }] });
    const e = evaluate([makeFile("x")], makeConfig({ labels: { enabled: true, prefix: "c/", at: "medium" } }), [labelled, plain]);
    expect(e.checklists.map((c) => c.label)).toEqual(["legal: a", "c/b"]);
  });

  describe("titles", () => {
    const titled = makeChecklist({
      id: "titled",
      triggers: [
        { description: "title speaks of auth", paths: ["src/**"], titles: ["(?i)\\bauth\\w*", "(?i)\\bpasswords?\\b"], risk: "medium" },
        { description: "title and line", paths: ["src/**"], titles: ["(?i)\\bsecurity\\b"], added_lines: ["eval\\("], risk: "high" },
      ],
    });
    const files = [makeFile("src/a.php", ["if (!$mine) return;"]), makeFile("docs/a.md", ["auth"])];
    const run = (titles?: string[]) => evaluate(files, makeConfig(), [titled], titles ? { titles } : {});

    it("fires only when a title matches, on the files its paths match, naming the pattern and the title", () => {
      expect(run().risk).toBe("none");
      expect(run(["Update collections"]).risk).toBe("none");
      const e = run(["Limit collections to authorised owners"]);
      expect(e.risk).toBe("medium");
      expect(e.checklists[0]!.hits).toEqual([
        { trigger: 0, file: "src/a.php", matched_path: "src/a.php", glob: "src/**", kind: "title", pattern: "(?i)\\bauth\\w*", text: "Limit collections to authorised owners", risk: "medium" },
      ]);
    });

    it("needs its line patterns too when it has them", () => {
      expect(run(["security: fix"]).risk).toBe("none");
      const e = evaluate([makeFile("src/a.php", ["eval($x);"])], makeConfig(), [titled], { titles: ["security: fix"] });
      expect(e.checklists[0]!.hits).toMatchObject([{ kind: "added", line: 1, risk: "high" }]);
    });

    it("reads an issue-tracker key as a project code, not a word, but keeps CVE identifiers and algorithm names", () => {
      const keyed = makeChecklist({
        id: "keyed",
        triggers: [
          { description: "csp", paths: ["src/**"], titles: ["(?i)\\bcsp\\b"], risk: "medium" },
          { description: "cve", paths: ["src/**"], titles: ["(?i)\\bcve-\\d+-\\d+"], risk: "high" },
          { description: "digest", paths: ["src/**"], titles: ["(?i)\\bsha-?\\d+ signatures?"], risk: "medium" },
        ],
      });
      const risk = (title: string) => evaluate(files, makeConfig(), [keyed], { titles: [title] }).risk;
      expect(risk("CSP-2314 Added searchTerm to organisations endpoint (#165)")).toBe("none");
      expect(risk("[CSP-557] Download the register")).toBe("none");
      expect(risk("CSP-2314 Tighten the CSP for the register")).toBe("medium");
      expect(risk("Ignore CVE-2024-6484 until a patch is available")).toBe("high");
      expect(risk("Verify SHA-256 signatures of webhooks")).toBe("medium");
      const e = evaluate(files, makeConfig(), [keyed], { titles: ["CSP-2314 Tighten the CSP"] });
      expect(e.checklists[0]!.hits[0]).toMatchObject({ kind: "title", text: "CSP-2314 Tighten the CSP" });
    });

    it("matches any of several titles (a range's commit subjects), whatever their order", () => {
      const a = run(["Bump deps", "Fix password reset", "Add auth check"]);
      const b = run(["Add auth check", "Bump deps", "Fix password reset"]);
      expect(a).toEqual(b);
      expect(a.checklists[0]!.hits[0]).toMatchObject({ kind: "title", text: "Add auth check" });
    });
  });

  describe("new_terms_only", () => {
    const vocab = makeChecklist({
      id: "vocab",
      triggers: [{ paths: ["src/**"], added_lines: ["(?i)\\bemail\\b", "(?i)\\bpassword\\b"], removed_lines: ["(?i)\\bpassword\\b"], new_terms_only: true, risk: "medium" }],
    });
    const risk = (added: string[], removed: string[] = [], checklist = vocab) => evaluate([makeFile("src/a.rb", added, { removed })], makeConfig(), [checklist]).risk;

    it("fires on a term the file's patch did not have before", () => {
      expect(risk(["send(user.email)"])).toBe("medium");
      expect(risk(["send(user.email)"], ["send(user.name)"])).toBe("medium");
    });
    it("stays quiet when the removed lines already carried every term (moved or reworded code), whatever the case", () => {
      expect(risk(["  deliver(user.EMAIL, now)"], ["send(user.email)"])).toBe("none");
    });
    it("fires when one term on the line is new", () => {
      expect(risk(["deliver(user.email, password)"], ["send(user.email)"])).toBe("medium");
    });
    it("applies to removed lines against the added ones", () => {
      expect(risk([], ["check(password)"])).toBe("medium");
      expect(risk(["verify(password)"], ["check(password)"])).toBe("none");
    });
    it("reads the term from the first capture group, so a pattern can require context (here: not a comment)", () => {
      const code = makeChecklist({ triggers: [{ paths: ["src/**"], added_lines: ["(?i)^\\s*[^\\s#][^\\n]*?\\b(email)\\b"], new_terms_only: true, risk: "medium" }] });
      // The whole matches differ ("deliver(user.email" vs "send(user.email"); the captured term is the same.
      expect(risk(["deliver(user.email)"], ["send(user.email)"], code)).toBe("none");
      // A comment does not match the pattern, so it does not hide the term either.
      expect(risk(["send(user.email)"], ["# user.email"], code)).toBe("medium");
      expect(risk(["# user.email"], [], code)).toBe("none");
    });
    it("without the option, every matching line fires", () => {
      const plain = makeChecklist({ triggers: [{ ...vocab.triggers[0]!, new_terms_only: false }] });
      expect(risk(["deliver(user.email)"], ["send(user.email)"], plain)).toBe("medium");
    });
  });

  it("matches dot files", () => {
    const list = makeChecklist({ triggers: [{ paths: ["**/*.yml"], risk: "low" }] });
    expect(evaluate([makeFile(".github/compliance.yml")], makeConfig(), [list]).risk).toBe("low");
  });
});

describe("GlobSet", () => {
  it.each([
    ["**/models/**/*.{rb,py}", [["models"], [".rb", ".py"]]],
    ["db/**/*.sql", [["db"], [".sql"]]],
    ["**", []],
    ["src/[abc]/x.ts", [["src/"], ["/x.ts"]]],
    ["**/@(foo|bar)/baz.js", [["/baz.js"]]],
    ["**/*{user,User}*{serializer,dto}*", [["user", "User"], ["serializer", "dto"]]],
    ["**/{a,*}/x", [["/x"]]],
    ["**/x{,.min}.js", [["x", "x.min"], [".js"]]],
    ["src/{a,b*}/y", [["src/"], ["a", "b"], ["/y"]]],
  ])("takes the literal text every match of %s contains", (glob, literals) => {
    expect(requiredLiterals(glob)).toEqual(literals);
  });

  it("answers exactly as minimatch does for the shapes it matches without minimatch (property)", () => {
    const seg = fc.constantFrom("a", "b", ".github", "models", "x.js", "x.jsx", ".js", "js", "user.rb", "README.md", "x.min.js", "y.test.ts");
    const path = fc.array(seg, { minLength: 1, maxLength: 5 }).map((s) => s.join("/"));
    const glob = fc.constantFrom("**/*.js", "**/*.{js,ts}", "**/*.test.ts", "**/README.md", "**/{a,models}", "**/models/**", "**/{a,.github}/**", "**/.js", "**/*js");
    fc.assert(
      fc.property(glob, path, (g, p) => {
        expect(fastMatcher(g)).toBeDefined();
        expect([g, p, new GlobSet([g]).has(p)]).toEqual([g, p, matchGlob(p, g)]);
      }),
      { numRuns: 2000 },
    );
  });

  it("answers file-name-only globs (**/ and one segment) exactly as minimatch does on the full path (property)", () => {
    const seg = fc.constantFrom("a", ".github", "models", "user_serializer.rb", "UserDto.ts", "x.min.js", "x.js", "y.test.ts", "foo.js", "b.md", "ab.ts", ".env.test.local", "purge");
    const path = fc.array(seg, { minLength: 1, maxLength: 5 }).map((s) => s.join("/"));
    const globs = ["**/*{user,User}*{serializer,Dto}*", "**/x{,.min}.js", "**/*.test.*", "**/[ab]*.ts", "**/@(foo|bar).js", "**/?.md", "**/.env*", "**/*{purge,Purge}*"];
    for (const g of globs) expect([g, nameOnly(g)]).toEqual([g, g.slice(3)]);
    fc.assert(
      fc.property(fc.constantFrom(...globs), path, (g, p) => {
        expect([g, p, new GlobSet([g]).has(p)]).toEqual([g, p, matchGlob(p, g)]);
      }),
      { numRuns: 3000 },
    );
    // Not file-name-only: a folder in the pattern, or a globstar inside the segment.
    expect([nameOnly("**/a/*.ts"), nameOnly("**/**.ts"), nameOnly("src/*.ts")]).toEqual([undefined, undefined, undefined]);
  });

  it("answers exactly as minimatch does on a sample of globs and paths", () => {
    const globs = ["**/models/**", "models/**", "**/*.{rb,py}", "db/**/*.sql", "**/.github/**", "*.md", "**/migrate/*", "src/[ab]/*.ts", "a/**/b", "**/*{user,User}*{serializer,Dto}*", "**/{jobs,workers}/**/*{purge,Purge}*", "**/x{,.min}.js", "**/{a,*}/b"];
    const paths = ["models", "models/x.rb", "app/models/u.py", "db/x.sql", "db/a/b/c.sql", ".github/compliance.yml", "README.md", "docs/README.md", "db/migrate/1.rb", "src/a/x.ts", "src/c/x.ts", "a/b", "a/x/y/b", "ab",
      "app/serializers/user_serializer.rb", "src/UserDto.ts", "app/jobs/nightly/purge_old.rb", "workers/Purge.ts", "x.js", "lib/x.min.js", "q/b", "b"];
    for (const glob of globs) {
      const set = new GlobSet([glob]);
      for (const path of paths) expect([glob, path, set.has(path)]).toEqual([glob, path, matchGlob(path, glob)]);
    }
  });
});
