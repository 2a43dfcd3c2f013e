import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonReport } from "../../src/render/json.js";
import { runCli } from "./run-cli.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lockstep-files-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Two files as GitHub lists them (extra keys such as sha and blob_url included). */
const page1 = [
  {
    sha: "bbcd538c8e72b8c175046e27cc8f907076331401",
    filename: ".github/compliance.yml",
    status: "modified",
    additions: 1,
    deletions: 1,
    changes: 2,
    blob_url: "https://example.invalid/blob",
    patch: "@@ -1,2 +1,2 @@\n comment_at: low\n-block_at: high\n+block_at: never",
  },
];
const page2 = [{ sha: "a", filename: "docs/readme.md", status: "added", additions: 1, deletions: 0, changes: 1, patch: "@@ -0,0 +1 @@\n+hi" }];

const report = (stdout: string) => JSON.parse(stdout) as JsonReport;

describe("lockstep check --files", () => {
  it("reads a JSON file and judges it (config change: high, blocking)", async () => {
    writeFileSync(join(dir, "files.json"), JSON.stringify(page1));
    const { code, stdout } = await runCli(["check", "--files", "files.json", "--format", "json"], { cwd: dir });
    expect(code).toBe(1);
    expect(report(stdout)).toMatchObject({
      risk: "high",
      blocking: true,
      files_examined: 1,
      checklists: [{ id: "compliance-config", risk: "high", triggers: [{ file: ".github/compliance.yml", kind: "path", glob: ".github/compliance.yml" }] }],
    });
  });

  it("reads stdin with -, including gh api --paginate's concatenated pages", async () => {
    for (const input of [JSON.stringify(page1) + JSON.stringify(page2), `${JSON.stringify(page1, null, 2)}\n${JSON.stringify(page2, null, 2)}\n`]) {
      const { code, stdout } = await runCli(["check", "--files", "-", "--format", "json"], { cwd: dir, stdin: input });
      expect(code).toBe(1);
      expect(report(stdout).files_examined).toBe(2);
    }
  });

  it("keeps brackets inside strings out of the page splitting", async () => {
    const tricky = [{ filename: "docs/a]b[c.md", status: "modified", patch: '@@ -1 +1 @@\n-"]["\n+\\"[' }];
    const { code, stdout } = await runCli(["check", "--files", "-", "--format", "json"], { cwd: dir, stdin: JSON.stringify(tricky) + "[]" });
    expect(code).toBe(0);
    expect(report(stdout)).toMatchObject({ risk: "none", files_examined: 1 });
  });

  it("has no title unless --title gives one, which the built-in title triggers match", async () => {
    const files = [{ filename: "app/Http/Controllers/CollectionController.php", status: "modified", additions: 1, deletions: 0, changes: 1, patch: "@@ -1 +1,2 @@\n ok\n+        if (!$mine) return;" }];
    writeFileSync(join(dir, "files.json"), JSON.stringify(files));
    const quiet = await runCli(["check", "--files", "files.json", "--format", "json"], { cwd: dir });
    expect(report(quiet.stdout).checklists).toEqual([]);
    const titled = await runCli(["check", "--files", "files.json", "--format", "json", "--title", "Limit unpublished collections to owner"], { cwd: dir });
    expect(report(titled.stdout)).toMatchObject({ risk: "medium", checklists: [{ id: "authentication-access", triggers: [{ kind: "title", text: "Limit unpublished collections to owner" }] }] });
    const text = await runCli(["check", "--files", "files.json", "--title", "Limit unpublished collections to owner"], { cwd: dir });
    expect(text.stdout).toContain('the title "Limit unpublished collections to owner" matches');
  });

  it("exits 0 for an empty file list", async () => {
    const { code, stdout } = await runCli(["check", "--files", "-", "--format", "json"], { cwd: dir, stdin: "[]\n" });
    expect(code).toBe(0);
    expect(report(stdout)).toMatchObject({ risk: "none", blocking: false, files_examined: 0, checklists: [] });
  });

  it("applies the config in --repo's working tree", async () => {
    mkdirSync(join(dir, ".github"));
    writeFileSync(join(dir, ".github/compliance.yml"), "block_at: never\n");
    const { code, stdout } = await runCli(["check", "--files", "-", "--repo", dir, "--format", "json"], { cwd: tmpdir(), stdin: JSON.stringify(page1) });
    expect(code).toBe(0);
    expect(report(stdout)).toMatchObject({ risk: "high", blocking: false });
  });

  it.each([
    ["malformed JSON", '[{"filename": "a"},\n {"filename": "b",}]', "<stdin>:2:19: invalid JSON: Expected double-quoted property name"],
    ["a broken second page", '[{"filename": "a"}]\n[{"filename": "b"}', "<stdin>:2:19: invalid JSON"],
    ["an API error object", '{"message": "Not Found", "status": "404"}', '<stdin>:1:1: expected a JSON array of pull request files, got an object (GitHub said: "Not Found")'],
    ["a file without a name", '[{"filename": "a"}, {"status": "added"}]', "<stdin>: [1].filename: missing or not a string"],
    ["an unknown status", '[{"filename": "a", "status": "moved"}]', '<stdin>: [0].status: "moved" is not one of added, removed'],
    ["a non-string patch", '[{"filename": "a", "patch": 3}]', "<stdin>: [0].patch: not a string"],
    ["no input at all", "  \n", "<stdin>: no input; expected a JSON array of pull request files"],
  ])("exits 2 on %s with a clear message", async (_what, input, message) => {
    const { code, stdout, stderr } = await runCli(["check", "--files", "-"], { cwd: dir, stdin: input });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`lockstep check: ${message}`);
  });

  it("refuses to wait on a terminal for stdin", async () => {
    const { code, stderr } = await runCli(["check", "--files", "-"], { cwd: dir, stdinTty: true });
    expect(code).toBe(2);
    expect(stderr).toContain("stdin is a terminal");
  });

  it("names the file in errors and reports a missing file", async () => {
    writeFileSync(join(dir, "bad.json"), "[\n  {\"filename\": 1}\n]");
    expect((await runCli(["check", "--files", "bad.json"], { cwd: dir })).stderr).toContain("bad.json: [0].filename: missing or not a string");
    const missing = await runCli(["check", "--files", "nope.json"], { cwd: dir });
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toContain("--files: cannot read");
  });

  it("keeps line triggers quiet on an empty file, which GitHub lists without a patch, and still fires them on a binary one", async () => {
    // A new Python package: GitHub's entry for its empty __init__.py has no patch and the empty blob's id.
    const empty = { sha: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", filename: "app/billing/__init__.py", status: "added", additions: 0, deletions: 0, changes: 0 };
    const quiet = await runCli(["check", "--files", "-", "--format", "json"], { cwd: dir, stdin: JSON.stringify([empty]) });
    expect(quiet.code).toBe(0);
    expect(report(quiet.stdout)).toMatchObject({ risk: "none", blocking: false, files_examined: 1, checklists: [] });
    // The same entry with another blob may be a binary file: line triggers fire conservatively.
    const binary = await runCli(["check", "--files", "-", "--format", "json"], { cwd: dir, stdin: JSON.stringify([{ ...empty, sha: "bbcd538c8e72b8c175046e27cc8f907076331401" }]) });
    expect(report(binary.stdout).checklists.length).toBeGreaterThan(0);
    expect(report(binary.stdout).checklists.flatMap((c) => c.triggers.map((t) => t.kind))).toContain("no-patch");
    const bad = await runCli(["check", "--files", "-"], { cwd: dir, stdin: JSON.stringify([{ ...empty, sha: 7 }]) });
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toContain("<stdin>: [0].sha: not a string");
  });

  it("rejects --files together with a git range", async () => {
    const { code, stderr } = await runCli(["check", "--files", "-", "--base", "main"], { cwd: dir, stdin: "[]" });
    expect(code).toBe(2);
    expect(stderr).toContain("use either --files or --base/--head");
  });
});

describe("lockstep check output formats", () => {
  const run = (format: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) =>
    runCli(["check", "--files", "-", ...format], { cwd: dir, stdin: JSON.stringify(page1), ...options });

  it("text: verdict, checklist, trigger and items; no colour unless a TTY without NO_COLOR", async () => {
    const plain = await run([]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).not.toContain("\x1b[");
    expect(plain.stdout.split("\n").slice(0, 3)).toEqual([
      "Lockstep: high risk, BLOCKING: sign-off required before merge",
      "1 file examined, 1 checklist fired; reviewers are requested.",
      "",
    ]);
    expect(plain.stdout).toContain("Lockstep configuration (compliance-config): high, sign-off by counsel");
    expect(plain.stdout).toContain("    high: Lockstep's repository configuration changes\n      path matches .github/compliance.yml\n        .github/compliance.yml\n");
    expect(plain.stdout).toMatch(/\[ \] The PR description explains why the compliance configuration changes\. \(author\)/);
    expect((await run([], { tty: true })).stdout).toContain("\x1b[31mhigh\x1b[0m");
    expect((await run([], { tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain("\x1b[");
  });

  it("markdown: heading, table, checkboxes and collapsible details", async () => {
    const { code, stdout } = await run(["--format", "markdown"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^## Lockstep: 🔴 high risk, blocking until signed off\n/);
    expect(stdout).toContain("| Checklist | Risk | Sign-off | Files |\n| --- | --- | --- | --- |\n| Lockstep configuration (`compliance-config`) | 🔴 high | counsel | 1 |");
    expect(stdout).toContain("- [ ] The PR description explains why the compliance configuration changes. (_author_)");
    expect(stdout).toMatch(/<details><summary>Why this applies \(1 trigger, 1 file\)<\/summary>\n\n- \*\*Lockstep's repository configuration changes\*\* \(high\): path matches `\.github\/compliance\.yml`\n  - `\.github\/compliance\.yml`\n/);
  });

  it("rejects an unknown format", async () => {
    const { code, stderr } = await run(["--format", "xml"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--format must be one of text, markdown, json");
  });
});
