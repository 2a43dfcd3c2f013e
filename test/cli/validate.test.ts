import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

const GOOD = `id: vendor-sdk
title: New vendor SDK
summary: A new third-party SDK receives user data.
reviewers: privacy
triggers:
  - description: a dependency is added
    paths: ["package.json"]
    added_lines: ['"@?(segment|mixpanel)[^"]*":']
    risk: high
items:
  - id: dpa
    text: A data processing agreement is signed.
    owner: privacy
examples:
  fire:
    - name: segment added
      risk: high
      files:
        - path: package.json
          added: '    "@segment/analytics-node": "^2.0.0",'
  quiet:
    - name: a dev tool
      files:
        - path: package.json
          added: '    "vitest": "^4.0.0",'
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lockstep-validate-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, content: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}
const validate = (...paths: string[]) => runCli(["validate", ...paths], { cwd: dir });

describe("lockstep validate", () => {
  it("passes the built-in library, running every example", async () => {
    const { code, stdout } = await runCli(["validate", "checklists"], { cwd: PACKAGE_ROOT });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: \d+ files?, \d+ checklists?, \d+ examples run\n$/);
  });

  it("accepts a good checklist and counts its examples", async () => {
    write("vendor-sdk.yml", GOOD);
    expect(await validate("vendor-sdk.yml")).toEqual({ code: 0, stdout: "ok: 1 file, 1 checklist, 2 examples run\n", stderr: "" });
  });

  it("locates schema errors", async () => {
    write("bad.yml", GOOD.replace("reviewers: privacy", "reviewers: privacy\nowner: legal"));
    const { code, stdout } = await validate("bad.yml");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^bad\.yml:5:\d+: owner: unknown key "owner"/m);
    expect(stdout).toMatch(/\n1 problem \(1 file, 0 checklists, 0 examples run\)\n$/);
  });

  it("locates a pattern RE2 cannot run", async () => {
    write("bad.yml", GOOD.replace('"@?(segment|mixpanel)[^"]*":', "(a)\\1"));
    const { code, stdout } = await validate("bad.yml");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^bad\.yml:8:\d+: triggers\[0\]\.added_lines\[0\]: /m);
  });

  it("locates a failing example and says why it failed", async () => {
    write("checks/vendor-sdk.yml", GOOD.replace('"vitest": "^4.0.0"', '"mixpanel": "^1.0.0"'));
    const { code, stdout } = await validate("checks");
    expect(code).toBe(1);
    expect(stdout).toContain(
      'checks/vendor-sdk.yml:22:7: examples.quiet[0]: example "a dev tool" should stay quiet but fired (package.json:1 matched /"@?(segment|mixpanel)[^"]*":/)',
    );
  });

  it("validates the config in the current directory with its repo checklists", async () => {
    write(".github/compliance.yml", "checklists:\n  files: [.github/compliance/vendor-sdk.yml]\n  disable: [personal-dta]\n");
    write(".github/compliance/vendor-sdk.yml", GOOD.replace("risk: high\n      files", "risk: medium\n      files"));
    const { code, stdout } = await validate();
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\.github\/compliance\.yml:3:13: checklists\.disable\[0\]: unknown checklist "personal-dta"/m);
    expect(stdout).toContain('.github/compliance/vendor-sdk.yml:16:7: examples.fire[0]: example "segment added" fires at high, expected medium');
  });

  it("runs the examples of checklists written inline in a config", async () => {
    const inline = GOOD.replace(/^/gm, "      ").replace(/^ {6}id:/m, "    - id:").replace('"vitest": "^4.0.0"', '"segment": "1"');
    write("repo/.github/compliance.yml", `checklists:\n  custom:\n${inline}`);
    const { code, stdout } = await validate("repo/.github/compliance.yml");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^repo\/\.github\/compliance\.yml:24:13: checklists\.custom\[0\]\.examples\.quiet\[0\]: example "a dev tool" should stay quiet/m);
  });

  it("reports a missing repo checklist and duplicate ids", async () => {
    write("a/one.yml", GOOD);
    write("b/one.yml", GOOD);
    const dup = await validate("a", "b/one.yml");
    expect(dup.code).toBe(1);
    expect(dup.stdout).toContain('b/one.yml: checklist id "vendor-sdk" is also used by a/one.yml');
    write(".github/compliance.yml", "checklists:\n  files: [missing.yml]\n");
    expect((await validate()).stdout).toContain('.github/compliance.yml:2:11: checklists.files[0]: checklist file "missing.yml" not found');
  });

  it.each([
    [["nope.yml"], "lockstep validate: no such file or directory: nope.yml"],
    [[], "lockstep validate: no .github/compliance.yml in"],
    [["empty"], "lockstep validate: no *.yml or *.yaml files in empty"],
    [["--strict"], "lockstep validate: unknown option --strict"],
  ])("exits 2 on bad usage %j", async (args, message) => {
    mkdirSync(join(dir, "empty"));
    const { code, stderr } = await validate(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
