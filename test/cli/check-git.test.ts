import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { JsonReport } from "../../src/render/json.js";
import { makeRepo, type TestRepo } from "./git-repo.js";
import { runCli } from "./run-cli.js";

/** A repository checklist that makes line, path and rename behaviour easy to observe. */
const PII_CHECKLIST = `id: pii-columns
title: PII columns
summary: A migration adds a personal-data column.
reviewers: privacy
triggers:
  - description: new personal-data column
    paths: ["db/**/*.sql"]
    added_lines: ["(?i)\\\\b(email|phone_number|date_of_birth)\\\\b"]
    risk: high
  - description: code in the privacy module
    paths: ["src/privacy/**"]
    risk: medium
items:
  - id: purpose
    text: The purpose of the new field is recorded.
    owner: privacy
  - id: tests
    text: Tests cover the new field.
    owner: author
`;
const CONFIG = `checklists:
  enable: [compliance-config]
  files: [.github/compliance/pii.yml]
`;

let repo: TestRepo;
afterEach(() => repo?.cleanup());

/** main with the config and checklist committed, then a `feature` branch checked out. */
function setup(): TestRepo {
  repo = makeRepo();
  repo.write(".github/compliance.yml", CONFIG);
  repo.write(".github/compliance/pii.yml", PII_CHECKLIST);
  repo.write("db/001_users.sql", "CREATE TABLE users (id int);\n");
  repo.write("src/privacy/export.ts", "export {};\n");
  repo.write("README.md", "hello\n");
  repo.commit("base");
  repo.git("checkout", "-q", "-b", "feature");
  return repo;
}

async function checkJson(args: string[] = []) {
  const run = await runCli(["check", "--format", "json", ...args], { cwd: repo.dir });
  return { ...run, report: run.stdout ? (JSON.parse(run.stdout) as JsonReport) : undefined };
}

describe("lockstep check on a git range", () => {
  it("reports the added line, pattern and glob that fired, and exits 1 when blocking", async () => {
    setup();
    repo.write("db/002 données client.sql", "-- add contact\nALTER TABLE users\n  ADD COLUMN phone_number text;\n");
    repo.commit("add phone");
    const { code, report, stderr } = await checkJson();
    expect(code).toBe(1);
    expect(report).toMatchObject({ version: 1, risk: "high", blocking: true, files_examined: 1 });
    expect(report?.checklists.map((c) => c.id)).toEqual(["pii-columns"]);
    expect(report?.checklists[0]?.triggers).toEqual([
      {
        file: "db/002 données client.sql",
        matched_path: "db/002 données client.sql",
        line: 3,
        glob: "db/**/*.sql",
        pattern: "(?i)\\b(email|phone_number|date_of_birth)\\b",
        kind: "added",
        risk: "high",
        description: "new personal-data column",
        text: "  ADD COLUMN phone_number text;",
      },
    ]);
    expect(report?.checklists[0]?.items).toEqual([
      { id: "purpose", text: "The purpose of the new field is recorded.", owner: "privacy" },
      { id: "tests", text: "Tests cover the new field.", owner: "author" },
    ]);
    expect(stderr).toMatch(/1 changed files in [0-9a-f]{12}\.\.[0-9a-f]{12} \(HEAD since it left main\); config: main:\.github\/compliance\.yml/);
  });

  it("diffs from the merge-base: commits only the base branch has don't count", async () => {
    setup();
    repo.write("README.md", "feature docs\n");
    repo.commit("feature");
    repo.git("checkout", "-q", "main");
    repo.write("db/003.sql", "ALTER TABLE users ADD COLUMN email text;\n");
    repo.commit("main moves on");
    repo.git("checkout", "-q", "feature");
    const { code, report } = await checkJson();
    expect(code).toBe(0);
    expect(report).toMatchObject({ risk: "none", blocking: false, files_examined: 1, checklists: [] });
  });

  it("takes --base and --head as refs", async () => {
    setup();
    repo.write("db/002.sql", "ALTER TABLE users ADD COLUMN email text;\n");
    const first = repo.commit("email");
    repo.write("README.md", "docs\n");
    repo.commit("docs");
    expect((await checkJson(["--base", "HEAD~1"])).report?.risk).toBe("none");
    expect((await checkJson(["--base", "main", "--head", first])).report?.risk).toBe("high");
  });

  it("matches renames on the old path and fires on binary files conservatively", async () => {
    setup();
    repo.git("mv", "src/privacy/export.ts", "src/export.ts");
    repo.write("db/dump.sql", Buffer.from([0, 1, 2, 0xff, 0]));
    repo.commit("move and dump");
    const { report } = await checkJson();
    const triggers = report?.checklists.find((c) => c.id === "pii-columns")?.triggers;
    expect(triggers?.map(({ file, matched_path, kind, line }) => ({ file, matched_path, kind, line }))).toEqual([
      { file: "db/dump.sql", matched_path: "db/dump.sql", kind: "no-patch", line: null },
      { file: "src/export.ts", matched_path: "src/privacy/export.ts", kind: "path", line: null },
    ]);
  });

  it("counts a deleted file, and exits 0 on an empty range", async () => {
    setup();
    expect(await checkJson()).toMatchObject({ code: 0, report: { risk: "none", files_examined: 0, checklists: [] } });
    repo.remove("src/privacy/export.ts");
    repo.commit("delete");
    const { code, report } = await checkJson();
    expect(code).toBe(0);
    expect(report?.checklists[0]).toMatchObject({ id: "pii-columns", risk: "medium", triggers: [{ file: "src/privacy/export.ts", kind: "path" }] });
  });

  it("reads the config from the base ref, so a change cannot weaken its own check", async () => {
    setup();
    repo.write(".github/compliance.yml", `${CONFIG}block_at: never\n`);
    repo.write("db/002.sql", "ALTER TABLE users ADD COLUMN email text;\n");
    repo.commit("weaken");
    const { code, report } = await checkJson();
    expect(code).toBe(1);
    expect(report?.checklists.map((c) => [c.id, c.risk])).toEqual([
      ["compliance-config", "high"],
      ["pii-columns", "high"],
    ]);
  });

  it("reports an invalid proposed config on stderr without using it", async () => {
    setup();
    repo.write(".github/compliance.yml", `${CONFIG}block_at: sometimes\n`);
    repo.commit("typo");
    const { code, stderr } = await checkJson();
    expect(code).toBe(1);
    expect(stderr).toContain("the change's new .github/compliance.yml is invalid (it is not used for this check)");
    expect(stderr).toMatch(/\.github\/compliance\.yml:4:11: .*block_at/);
  });

  it("uses --config FILE instead of the repository's config", async () => {
    setup();
    repo.write("db/002.sql", "ALTER TABLE users ADD COLUMN email text;\n");
    repo.commit("email");
    writeFileSync(join(repo.dir, "relaxed.yml"), `${CONFIG}block_at: never\n`);
    const { code, report, stderr } = await checkJson(["--config", "relaxed.yml"]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/; config: relaxed\.yml\n$/);
    expect(report).toMatchObject({ risk: "high", blocking: false, decisions: { blocking: false, request_review: true } });
  });

  it("matches the subjects of the range's commits against title triggers; --title replaces them", async () => {
    setup();
    repo.write(
      ".github/compliance/pii.yml",
      PII_CHECKLIST.replace(
        "items:",
        `  - description: the title speaks of ownership
    paths: ["src/**"]
    titles: ["(?i)\\\\bowners?\\\\b"]
    risk: medium
items:`,
      ),
    );
    repo.git("checkout", "-q", "main");
    repo.commit("title trigger");
    repo.git("checkout", "-q", "feature");
    repo.git("rebase", "-q", "main");
    repo.write("src/collections.ts", "if (!mine) return;\n");
    repo.commit("Limit unpublished collections to their owner");
    repo.write("README.md", "hello again\n");
    repo.commit("Touch the readme");

    const { code, report } = await checkJson(["--base", "main"]);
    expect(code).toBe(0);
    expect(report!.checklists).toMatchObject([
      { id: "pii-columns", risk: "medium", triggers: [{ file: "src/collections.ts", kind: "title", text: "Limit unpublished collections to their owner", line: null }] },
    ]);
    const replaced = await checkJson(["--base", "main", "--title", "Refactor collections"]);
    expect(replaced.report!.checklists).toEqual([]);
  });

  it("exits 2 with located problems when the base config is invalid", async () => {
    repo = makeRepo();
    repo.write(".github/compliance.yml", "checklists:\n  disable: [personal-dta]\nblock_at: high\n");
    repo.commit("base");
    const { code, stdout, stderr } = await checkJson();
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^\.github\/compliance\.yml:2:13: checklists\.disable\[0\]: unknown checklist "personal-dta"/m);
    expect(stderr).toContain("lockstep check: invalid configuration in .github/compliance.yml");
  });

  it("exits 2 when a checklist file named by the config is missing at the base", async () => {
    repo = makeRepo();
    repo.write(".github/compliance.yml", CONFIG);
    repo.commit("base");
    const { code, stderr } = await checkJson();
    expect(code).toBe(2);
    expect(stderr).toMatch(/\.github\/compliance\.yml:3:11: checklists\.files\[0\]: checklist file "\.github\/compliance\/pii\.yml" not found/);
  });

  it.each([
    [["--base", "nope"], 'unknown revision "nope"'],
    [["--head", "nope"], 'unknown revision "nope"'],
    [["--config", "missing.yml"], "--config: cannot read"],
    [["--repo", "no/such/dir"], "--repo: no such directory"],
  ])("exits 2 on bad input %j", async (args, message) => {
    setup();
    const { code, stdout, stderr } = await runCli(["check", ...args], { cwd: repo.dir });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
  });

  it("exits 2 outside a git repository and without a base branch", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lockstep-nogit-"));
    try {
      const outside = await runCli(["check"], { cwd: dir });
      expect(outside).toMatchObject({ code: 2, stdout: "" });
      expect(outside.stderr).toContain("not a git repository");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    repo = makeRepo();
    repo.git("checkout", "-q", "-b", "topic");
    repo.write("a.txt", "a\n");
    repo.commit("a");
    const noBase = await runCli(["check"], { cwd: repo.dir });
    expect(noBase.code).toBe(2);
    expect(noBase.stderr).toContain("pass --base REF");
  });
});
