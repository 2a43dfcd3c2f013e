import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listChangedFiles } from "../../src/git/changed-files.js";
import { defaultBase } from "../../src/git/default-base.js";
import { mergeBase } from "../../src/git/merge-base.js";
import { readAtRef } from "../../src/git/read-at-ref.js";
import { resolveCommit } from "../../src/git/resolve-commit.js";
import { repoRoot } from "../../src/git/repo-root.js";
import { makeRepo, type TestRepo } from "./git-repo.js";

let repo: TestRepo;
afterEach(() => repo?.cleanup());

const lines = (n: number, prefix = "line") => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join("");

describe("listChangedFiles", () => {
  it("builds GitHub-shaped patches for added, modified and removed files", async () => {
    repo = makeRepo();
    repo.write("src/model.rb", lines(10));
    repo.write("old.txt", "a\nb\n");
    const base = repo.commit("base");
    repo.write("src/model.rb", lines(10).replace("line 5\n", "line 5\nt.string :phone_number\n"));
    repo.write("db/new.sql", "ALTER TABLE users\nADD COLUMN date_of_birth date;\n");
    repo.remove("old.txt");
    const head = repo.commit("head");

    const files = await listChangedFiles(repo.dir, base, head);
    expect(files).toEqual([
      {
        filename: "db/new.sql",
        status: "added",
        patch: "@@ -0,0 +1,2 @@\n+ALTER TABLE users\n+ADD COLUMN date_of_birth date;",
        additions: 2,
        deletions: 0,
        changes: 2,
      },
      {
        filename: "old.txt",
        status: "removed",
        patch: "@@ -1,2 +0,0 @@\n-a\n-b",
        additions: 0,
        deletions: 2,
        changes: 2,
      },
      {
        filename: "src/model.rb",
        status: "modified",
        patch: [
          "@@ -3,6 +3,7 @@ line 2",
          " line 3",
          " line 4",
          " line 5",
          "+t.string :phone_number",
          " line 6",
          " line 7",
          " line 8",
        ].join("\n"),
        additions: 1,
        deletions: 0,
        changes: 1,
      },
    ]);
  });

  it("keeps a missing final newline marker inside the patch, as GitHub does", async () => {
    repo = makeRepo();
    repo.write("a.txt", "one");
    const base = repo.commit("base");
    repo.write("a.txt", "one\ntwo");
    const head = repo.commit("head");
    const [file] = await listChangedFiles(repo.dir, base, head);
    expect(file?.patch).toBe("@@ -1 +1,2 @@\n-one\n\\ No newline at end of file\n+one\n+two\n\\ No newline at end of file");
  });

  it("reports renames with previous_filename, with and without edits", async () => {
    repo = makeRepo();
    repo.write("app/models/user.rb", lines(20));
    repo.write("docs/guide.md", lines(20, "guide"));
    const base = repo.commit("base");
    repo.git("mv", "app/models/user.rb", "app/models/account.rb");
    repo.git("mv", "docs/guide.md", "docs/handbook.md");
    repo.write("app/models/account.rb", lines(20) + "field :email\n");
    const head = repo.commit("head");

    const files = await listChangedFiles(repo.dir, base, head);
    expect(files.map(({ filename, status, previous_filename, patch }) => ({ filename, status, previous_filename, patch }))).toEqual([
      {
        filename: "app/models/account.rb",
        status: "renamed",
        previous_filename: "app/models/user.rb",
        patch: "@@ -18,3 +18,4 @@ line 17\n line 18\n line 19\n line 20\n+field :email",
      },
      // A pure rename has no hunks: an empty patch, not a missing one.
      { filename: "docs/handbook.md", status: "renamed", previous_filename: "docs/guide.md", patch: "" },
    ]);
  });

  it("gives binary files no patch", async () => {
    repo = makeRepo();
    repo.write("README.md", "hi\n");
    const base = repo.commit("base");
    repo.write("assets/logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0]));
    const head = repo.commit("head");
    const files = await listChangedFiles(repo.dir, base, head);
    expect(files).toEqual([{ filename: "assets/logo.png", status: "added", additions: 0, deletions: 0, changes: 0 }]);
    expect(files[0]).not.toHaveProperty("patch");
  });

  it.each([
    ["spaces", "my docs/user profile.md"],
    ["unicode", "données/utilisateur-é中文.txt"],
    ["a tab", "tab\there.txt"],
    ["double quotes", 'say "hello".txt'],
    ["a backslash", "back\\slash.txt"],
    ["a leading dash", "-rf.txt"],
    ["a glob character", "[abc]*.txt"],
  ])("handles file names with %s", async (_what, name) => {
    repo = makeRepo();
    repo.write("keep.txt", "x\n");
    repo.write(`${name}.orig`, lines(5));
    const base = repo.commit("base");
    repo.write(name, "personal data\n");
    repo.git("mv", "--", `${name}.orig`, `${name}.moved`);
    const head = repo.commit("head");

    const files = await listChangedFiles(repo.dir, base, head);
    const byName = Object.fromEntries(files.map((f) => [f.filename, f]));
    expect(byName[name]).toMatchObject({ status: "added", patch: "@@ -0,0 +1 @@\n+personal data" });
    expect(byName[`${name}.moved`]).toMatchObject({ status: "renamed", previous_filename: `${name}.orig`, patch: "" });
    expect(files).toHaveLength(2);
  });

  it("reports a type change (a file that becomes a symlink) as one changed file with both sides", async () => {
    repo = makeRepo();
    repo.write("config/secrets.yml", "api_key: abc\n");
    repo.write("config/shared.yml", "api_key: from-vault\n");
    repo.write("app.rb", "puts 1\n");
    const base = repo.commit("base");
    repo.remove("config/secrets.yml");
    symlinkSync("shared.yml", join(repo.dir, "config/secrets.yml"));
    repo.write("app.rb", "puts 2\n");
    const head = repo.commit("head");

    // git prints two diffs for the one entry; each file keeps its own.
    expect(await listChangedFiles(repo.dir, base, head)).toEqual([
      { filename: "app.rb", status: "modified", patch: "@@ -1 +1 @@\n-puts 1\n+puts 2", additions: 1, deletions: 1, changes: 2 },
      {
        filename: "config/secrets.yml",
        status: "changed",
        patch: "@@ -1 +0,0 @@\n-api_key: abc\n@@ -0,0 +1 @@\n+shared.yml\n\\ No newline at end of file",
        additions: 1,
        deletions: 1,
        changes: 2,
      },
    ]);
  });

  it("returns no files for an empty range", async () => {
    repo = makeRepo();
    repo.write("a.txt", "a\n");
    const base = repo.commit("base");
    expect(await listChangedFiles(repo.dir, base, base)).toEqual([]);
    const empty = repo.commit("empty commit");
    expect(await listChangedFiles(repo.dir, base, empty)).toEqual([]);
  });

  it("ignores the user's diff settings (external diff, no prefix, colour)", async () => {
    repo = makeRepo();
    repo.write("a.txt", "a\n");
    const base = repo.commit("base");
    repo.write("a.txt", "b\n");
    const head = repo.commit("head");
    repo.git("config", "diff.external", "false");
    repo.git("config", "diff.noprefix", "true");
    repo.git("config", "color.diff", "always");
    repo.git("config", "diff.renames", "false");
    const [file] = await listChangedFiles(repo.dir, base, head);
    expect(file?.patch).toBe("@@ -1 +1 @@\n-a\n+b");
  });

  it("rejects an unknown revision with git's message", async () => {
    repo = makeRepo();
    repo.write("a.txt", "a\n");
    const base = repo.commit("base");
    await expect(listChangedFiles(repo.dir, base, "no-such-branch")).rejects.toThrow(/no-such-branch/);
  });
});

describe("git helpers", () => {
  it("resolveCommit resolves refs and names unknown ones", async () => {
    repo = makeRepo();
    repo.write("a.txt", "a\n");
    const sha = repo.commit("base");
    expect(await resolveCommit(repo.dir, "main")).toBe(sha);
    await expect(resolveCommit(repo.dir, "nope")).rejects.toThrow('unknown revision "nope"');
    await expect(resolveCommit(repo.dir, "--output=/tmp/x")).rejects.toThrow("unknown revision");
  });

  it("repoRoot finds the top level from a subdirectory and rejects non-repositories", async () => {
    repo = makeRepo();
    repo.write("sub/dir/a.txt", "a\n");
    repo.commit("base");
    const { realpathSync } = await import("node:fs");
    expect(realpathSync(await repoRoot(`${repo.dir}/sub/dir`))).toBe(realpathSync(repo.dir));
    const { tmpdir } = await import("node:os");
    await expect(repoRoot(tmpdir())).rejects.toThrow("not a git repository");
  });

  it("readAtRef reads a file as of a commit and tells missing files apart", async () => {
    repo = makeRepo();
    repo.write(".github/compliance.yml", "block_at: high\n");
    const base = repo.commit("base");
    repo.write(".github/compliance.yml", "block_at: never\n");
    repo.write("sub/x y.yml", "z\n");
    const head = repo.commit("head");
    expect(await readAtRef(repo.dir, base, ".github/compliance.yml")).toBe("block_at: high\n");
    expect(await readAtRef(repo.dir, head, ".github/compliance.yml")).toBe("block_at: never\n");
    expect(await readAtRef(repo.dir, base, "sub/x y.yml")).toBeUndefined();
    expect(await readAtRef(repo.dir, head, "sub/x y.yml")).toBe("z\n");
    expect(await readAtRef(repo.dir, head, "sub")).toBeUndefined();
    expect(await readAtRef(repo.dir, head, "sub/*.yml")).toBeUndefined();
  });

  it("defaultBase prefers origin/HEAD, then main", async () => {
    repo = makeRepo();
    repo.write("a.txt", "a\n");
    const first = repo.commit("base");
    expect(await defaultBase(repo.dir)).toBe("main");
    repo.git("update-ref", "refs/remotes/origin/trunk", first);
    repo.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk");
    expect(await defaultBase(repo.dir)).toBe("origin/HEAD");
  });

  it("defaultBase fails with advice when there is no known branch", async () => {
    repo = makeRepo();
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("a.txt", "a\n");
    repo.commit("base");
    await expect(defaultBase(repo.dir)).rejects.toThrow("pass --base REF");
  });

  it("mergeBase finds the fork point and reports unrelated histories", async () => {
    repo = makeRepo();
    repo.write("a.txt", "a\n");
    const fork = repo.commit("base");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("b.txt", "b\n");
    const feature = repo.commit("feature");
    repo.git("checkout", "-q", "main");
    repo.write("c.txt", "c\n");
    repo.commit("main moves on");
    expect(await mergeBase(repo.dir, "main", feature)).toBe(fork);
    repo.git("checkout", "-q", "--orphan", "other");
    repo.write("d.txt", "d\n");
    const other = repo.commit("unrelated");
    await expect(mergeBase(repo.dir, "main", other)).rejects.toThrow("no common ancestor");
  });
});

describe("mergeBase in a shallow clone", () => {
  it("explains that history is missing", async () => {
    repo = makeRepo();
    repo.write("a.txt", "a\n");
    repo.commit("one");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("b.txt", "b\n");
    repo.commit("two");
    repo.git("checkout", "-q", "main");
    repo.write("c.txt", "c\n");
    repo.commit("three");
    const clone = makeRepo();
    try {
      clone.git("fetch", "-q", "--depth=1", `file://${repo.dir}`, "main:refs/remotes/origin/main", "feature:refs/remotes/origin/feature");
      await expect(mergeBase(clone.dir, "origin/main", "origin/feature")).rejects.toThrow(/no common ancestor; this clone is shallow/);
    } finally {
      clone.cleanup();
    }
  });
});

describe("patches from git agree with the files they describe", () => {
  it("numbers every added and removed line as in the new and old file (property)", async () => {
    const fc = await import("fast-check");
    const { parsePatch } = await import("../../src/core/patch.js");
    repo = makeRepo();
    const line = fc.constantFrom("a", "b", "c", "email", "", " x", "-y", "+z", "@@ w");
    const content = fc.array(line, { maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(content, content, fc.boolean(), async (beforeLines, afterLines, finalNewline) => {
        const text = (lines: string[]) => lines.join("\n") + (finalNewline && lines.length ? "\n" : "");
        // What a reader of the file sees as its lines ([""] without a final newline is an empty file).
        const linesOf = (t: string) => (t === "" ? [] : t.replace(/\n$/, "").split("\n"));
        const before = linesOf(text(beforeLines));
        const after = linesOf(text(afterLines));
        repo.write("f.txt", text(beforeLines));
        const base = repo.commit("before");
        repo.write("f.txt", text(afterLines));
        const head = repo.commit("after");
        const [file] = await listChangedFiles(repo.dir, base, head);
        const { added, removed } = parsePatch(file?.patch ?? "");
        for (const { line: n, text: t } of added) expect(t).toBe(after[n - 1]);
        for (const { line: n, text: t } of removed) expect(t).toBe(before[n - 1]);
        // Every line that differs shows up: the unchanged ones are exactly the common subsequence.
        expect(after.length - added.length).toBe(before.length - removed.length);
      }),
      { numRuns: 25 },
    );
  });
});
