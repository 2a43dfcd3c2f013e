import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadBuiltinChecklists } from "../../src/core/builtin.js";
import { DEFAULT_CONFIG, mergeConfig, parseConfig } from "../../src/core/config.js";
import { STARTER_WORKFLOW } from "../../src/cli/starter-workflow.js";
import { runCli } from "./run-cli.js";

const SCHEMA = JSON.parse(readFileSync(new URL("../../schemas/compliance.schema.json", import.meta.url), "utf8")) as { properties: Record<string, unknown> };
const CONFIG = ".github/compliance.yml";
const WORKFLOW = ".github/workflows/lockstep.yml";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lockstep-init-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const init = (...args: string[]) => runCli(["init", ...args], { cwd: dir });
const read = (path: string) => readFileSync(join(dir, path), "utf8");

describe("lockstep init", () => {
  it("writes a starter config that lockstep validate accepts", async () => {
    const { code, stdout, stderr } = await init();
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/^wrote \.github\/compliance\.yml\n/);
    expect(stdout).toContain("block_at: never");
    expect(existsSync(join(dir, WORKFLOW))).toBe(false);
    expect(await runCli(["validate"], { cwd: dir })).toEqual({ code: 0, stdout: "ok: 1 file, 0 checklists, 0 examples run\n", stderr: "" });
  });

  it("writes the defaults, exactly: parseConfig accepts it without a warning", async () => {
    await init();
    const { layer, problems } = parseConfig(read(CONFIG), CONFIG);
    expect(problems).toEqual([]);
    const merged = mergeConfig([layer!], loadBuiltinChecklists().checklists.map((c) => c.id));
    expect(merged).toEqual({ config: DEFAULT_CONFIG, problems: [] });
  });

  it("starts with the schema header and mentions every key of the schema, with a comment", async () => {
    await init();
    const text = read(CONFIG);
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=https://raw.githubusercontent.com/lockstep-app/lockstep/main/schemas/compliance.schema.json");
    for (const key of Object.keys(SCHEMA.properties).filter((k) => k !== "$schema")) {
      expect(text, key).toMatch(new RegExp(`^(# )?${key}:`, "m"));
    }
    expect(text).toMatch(/users: \[\] # GitHub logins/);
    expect(text).toMatch(/teams: \[\] # team slugs/);
    expect(text).toMatch(/block_at: never/);
  });

  it("writes the Actions workflow with --workflow: pull_request_target and the sign-off events, least permissions, no checkout", async () => {
    const { code, stdout } = await init("--workflow");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^wrote \.github\/compliance\.yml\nwrote \.github\/workflows\/lockstep\.yml\n/);
    const workflow = parse(read(WORKFLOW)) as {
      on: Record<string, unknown>;
      permissions: Record<string, string>;
      jobs: { lockstep: { steps: { uses: string; with: Record<string, string> }[] } };
    };
    expect(Object.keys(workflow.on)).toEqual(["pull_request_target", "issue_comment", "pull_request_review", "merge_group"]);
    expect(workflow.permissions).toEqual({ checks: "write", "pull-requests": "write", issues: "write", contents: "read" });
    const steps = workflow.jobs.lockstep.steps;
    expect(steps).toEqual([
      {
        uses: "lockstep-app/lockstep@v1",
        with: { "github-token": "${{ github.token }}", "state-key": "${{ secrets.LOCKSTEP_STATE_KEY }}" },
      },
    ]);
    expect(read(WORKFLOW)).not.toMatch(/actions\/checkout/);
  });

  it("writes the same workflow as examples/lockstep-workflow.yml, which docs/action.md documents", () => {
    expect(STARTER_WORKFLOW).toBe(readFileSync(new URL("../../examples/lockstep-workflow.yml", import.meta.url), "utf8"));
  });

  it("refuses to overwrite, names the file and writes nothing", async () => {
    mkdirSync(join(dir, ".github"));
    writeFileSync(join(dir, CONFIG), "block_at: medium\n");
    const { code, stdout, stderr } = await init("--workflow");
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe("lockstep init: .github/compliance.yml exists; pass --force to overwrite it\n");
    expect(read(CONFIG)).toBe("block_at: medium\n");
    expect(existsSync(join(dir, WORKFLOW))).toBe(false);
  });

  it("overwrites with --force", async () => {
    await init("--workflow");
    writeFileSync(join(dir, WORKFLOW), "edited\n");
    expect((await init("--workflow")).stderr).toContain(".github/workflows/lockstep.yml exists");
    expect((await init("--workflow", "--force")).code).toBe(0);
    expect(read(WORKFLOW)).toContain("uses: lockstep-app/lockstep@v1");
  });

  it("writes into --dir and shows paths relative to where it runs", async () => {
    mkdirSync(join(dir, "repo"));
    const { code, stdout } = await init("--dir", "repo");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^wrote repo\/\.github\/compliance\.yml\n/);
    expect(stdout).toContain("npx lockstep validate repo/.github/compliance.yml");
    expect(existsSync(join(dir, "repo", CONFIG))).toBe(true);
  });

  it.each([
    [["--dir", "missing"], "lockstep init: --dir: no such directory:"],
    [["--yes"], "lockstep init: unknown option --yes"],
    [["here"], "lockstep init: unexpected argument here"],
  ])("exits 2 on bad usage %j", async (args, message) => {
    const { code, stderr } = await init(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
