import fc from "fast-check";
import { Minimatch } from "minimatch";
import { describe, expect, it } from "vitest";
import { parseChecklist } from "../../src/core/checklist.js";
import { mergeConfig, parseConfig } from "../../src/core/config.js";
import { loadBuiltinChecklists } from "../../src/core/builtin.js";
import { DEFAULT_CONFIG } from "../../src/core/config.js";
import { evaluate } from "../../src/core/evaluate.js";
import { GLOB_OPTIONS, matchGlob } from "../../src/core/glob.js";
import { compareRisk, type ChangedFile, type Checklist, type Risk } from "../../src/types.js";
import { makeChecklist, makeConfig } from "./factories.js";

const segment = fc.constantFrom("app", "db", "migrate", "models", "src", "test", "vendor", "données", "a b", ".github", "x");
const ext = fc.constantFrom(".rb", ".py", ".ts", ".sql", ".yml", ".md", ".png", "");
const path = fc.tuple(fc.array(segment, { minLength: 0, maxLength: 4 }), segment, ext).map(([dirs, name, e]) => [...dirs, name + e].join("/"));
const lineText = fc.oneof(fc.constantFrom("t.string :email", "add_column :users, :phone_number", "purge()", "const x = 1", "", "é😀"), fc.string({ maxLength: 30 }));
const file: fc.Arbitrary<ChangedFile> = fc
  .record({
    filename: path,
    status: fc.constantFrom("added", "removed", "modified", "renamed") as fc.Arbitrary<ChangedFile["status"]>,
    previous: fc.option(path, { nil: undefined }),
    added: fc.array(lineText, { maxLength: 6 }),
    removed: fc.array(lineText, { maxLength: 3 }),
    binary: fc.boolean(),
  })
  .map(({ filename, status, previous, added, removed, binary }) => ({
    filename,
    status,
    ...(previous && status === "renamed" ? { previous_filename: previous } : {}),
    ...(binary ? {} : { patch: `@@ -1,${removed.length} +1,${added.length} @@\n${[...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)].join("\n")}` }),
  }));
// Unique by filename, as GitHub lists each file once.
const files = fc.uniqueArray(file, { selector: (f) => f.filename, maxLength: 12 });
const risk = fc.constantFrom<Risk>("low", "medium", "high");
const glob = fc.constantFrom("**/*.rb", "db/**", "**/models/**", "**", "**/*.{ts,py}", ".github/**", "x");
const checklists: fc.Arbitrary<Checklist[]> = fc
  .array(
    fc.record({
      triggers: fc.array(
        fc.record({
          paths: fc.array(glob, { minLength: 1, maxLength: 2 }),
          added_lines: fc.option(fc.constantFrom<string[]>(["email"], ["(?i)phone"], ["^$"], ["purge", "x"]), { nil: undefined }),
          removed_lines: fc.option(fc.constantFrom<string[]>(["purge"], ["."]), { nil: undefined }),
          risk,
        }),
        { minLength: 1, maxLength: 3 },
      ),
      exclude: fc.array(glob, { maxLength: 1 }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((lists) =>
    lists.map((l, i) =>
      makeChecklist({
        id: `list-${i}`,
        exclude: l.exclude,
        triggers: l.triggers.map((t) => ({ paths: t.paths, risk: t.risk, ...(t.added_lines ? { added_lines: t.added_lines } : {}), ...(t.removed_lines ? { removed_lines: t.removed_lines } : {}) })),
      }),
    ),
  );

describe("evaluate (properties)", () => {
  it("gives the same findings whatever the order of the files", () => {
    fc.assert(
      fc.property(files, checklists, fc.integer(), (fs, lists, seed) => {
        const shuffled = [...fs].sort((a, b) => ((a.filename.length * 31 + seed) % 7) - ((b.filename.length * 31 + seed) % 7)).reverse();
        expect(evaluate(shuffled, makeConfig(), lists)).toEqual(evaluate(fs, makeConfig(), lists));
      }),
    );
  });

  it("never fires on a globally excluded file", () => {
    fc.assert(
      fc.property(files, checklists, glob, (fs, lists, excluded) => {
        const e = evaluate(fs, makeConfig({ exclude: [excluded] }), lists);
        for (const c of e.checklists) for (const h of c.hits) expect(matchGlob(h.matched_path, excluded)).toBe(false);
        const kept = fs.filter((f) => [f.filename, f.previous_filename].some((p) => p !== undefined && !matchGlob(p, excluded)));
        expect(e.filesExamined).toBe(kept.length);
      }),
    );
  });

  it("never fires a checklist on files its own exclude removes", () => {
    fc.assert(
      fc.property(files, checklists, (fs, lists) => {
        const e = evaluate(fs, makeConfig(), lists);
        for (const finding of e.checklists) {
          const list = lists.find((l) => l.id === finding.id)!;
          const solo = evaluate(fs, makeConfig({ exclude: list.exclude }), [{ ...list, exclude: [] }]);
          expect(solo.checklists[0]?.hits ?? []).toEqual(finding.hits);
        }
      }),
    );
  });

  it("takes the PR's risk as the max over checklists, and each checklist's as the max over its hits", () => {
    fc.assert(
      fc.property(files, checklists, (fs, lists) => {
        const e = evaluate(fs, makeConfig(), lists);
        for (const c of e.checklists) expect(c.risk).toBe(c.hits.map((h) => h.risk).sort(compareRisk).at(-1));
        expect(e.risk).toBe(e.checklists.length ? e.checklists.map((c) => c.risk).sort(compareRisk).at(-1) : "none");
      }),
    );
  });

  it("never throws on arbitrary patches and paths", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ filename: fc.string({ minLength: 1 }), status: fc.constant("modified" as const), patch: fc.string() })), checklists, (fs, lists) => {
        expect(() => evaluate(fs, makeConfig(), lists)).not.toThrow();
      }),
    );
  });
});

describe("evaluate against a straightforward reference (properties)", () => {
  // Segments the built-in globs care about, so that random paths reach many triggers and excludes.
  const builtinSegment = fc.constantFrom("app", "src", "models", "db", "migrations", "auth", "users", "api", "payments", "config", "terraform", "k8s", "test", "tests", "spec", "docs", "components", "locales", "policies", "jobs", ".github", "vendor");
  const builtinName = fc.constantFrom("user.rb", "session.ts", "0001_add_email.py", "schema.prisma", "main.tf", "variables.tf", "package.json", "Gemfile", "settings.py", "serializers.py", "Login.tsx", "stripe.go", "UserPolicy.php", "deployment.yaml", "README.md", "en.json", "ci.yml", ".env.production", "cleanup_job.rb", "openapi.yaml", "auth.test.ts", "analytics.js", "Dockerfile");
  const builtinPath = fc.tuple(fc.array(builtinSegment, { maxLength: 4 }), builtinName).map(([dirs, name]) => [...dirs, name].join("/"));
  const { checklists } = loadBuiltinChecklists();
  // minimatch itself, each glob compiled once (the options matchGlob uses).
  const compiled = new Map<string, Minimatch>();
  const matches = (path: string, glob: string) => {
    let mm = compiled.get(glob);
    if (!mm) compiled.set(glob, (mm = new Minimatch(glob, GLOB_OPTIONS)));
    return mm.match(path);
  };

  it("fires exactly the triggers whose paths match a file and whose excludes do not (every glob once per path, triggers found from the globs)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(builtinPath, fc.option(builtinPath, { nil: undefined })), { selector: ([p]) => p, minLength: 1, maxLength: 4 }), (pairs) => {
        // No patch: a line trigger fires conservatively, so every trigger whose paths match fires once.
        const files: ChangedFile[] = pairs.map(([filename, previous]) => ({ filename, status: previous ? "renamed" : "modified", ...(previous ? { previous_filename: previous } : {}), changes: 1 }));
        const fired = new Set(evaluate(files, DEFAULT_CONFIG, checklists).checklists.flatMap((c) => c.hits.map((h) => `${c.id}#${h.trigger} ${h.file}`)));
        const expected = new Set<string>();
        for (const file of files) {
          const candidates = [file.filename, ...(file.previous_filename ? [file.previous_filename] : [])].filter((p) => !DEFAULT_CONFIG.exclude.some((g) => matches(p, g)));
          for (const c of checklists)
            c.triggers.forEach((t, ti) => {
              if (t.titles) return; // no title given: a title trigger cannot fire
              const reached = candidates.some((p) => t.paths.some((g) => matches(p, g)) && !c.exclude.some((g) => matches(p, g)) && !(t.exclude ?? []).some((g) => matches(p, g)));
              if (reached) expected.add(`${c.id}#${ti} ${file.filename}`);
            });
        }
        expect([...fired].sort()).toEqual([...expected].sort());
      }),
      { numRuns: 150 },
    );
  });
});

describe("parsers (properties)", () => {
  const yamlish = fc.oneof(
    fc.string(),
    fc.stringMatching(/^[a-z_ :\-\[\]{}'"*&!|>#\n0-9.]{0,80}$/),
    fc.jsonValue().map((v) => JSON.stringify(v)),
  );

  it("parseChecklist never throws, and every problem names its file and, for YAML errors, a position", () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        const { checklist, problems } = parseChecklist(text, "c.yml");
        expect(checklist !== undefined || problems.length > 0).toBe(true);
        for (const p of problems) {
          expect(p.file).toBe("c.yml");
          expect(p.message.length).toBeGreaterThan(0);
          if (p.line !== undefined) expect(p.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("parseConfig never throws, and a config it accepts always merges", () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        const { layer, problems } = parseConfig(text, "cfg.yml");
        for (const p of problems) expect(p.file).toBe("cfg.yml");
        if (layer) expect(() => mergeConfig([layer], [])).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
