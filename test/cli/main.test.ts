import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { loadBuiltinChecklists } from "../../src/core/builtin.js";
import { runCli } from "./run-cli.js";

const cwd = tmpdir();

describe("lockstep (top level)", () => {
  it("prints usage with --help and exits 2 without a command", async () => {
    const help = await runCli(["--help"], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: lockstep <command> [options]");
    expect(help.stdout).toMatch(/check .*\n.*validate .*\n.*checklists .*\n.*init .*\n.*audit /);
    const bare = await runCli([], { cwd });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("Usage: lockstep <command>");
  });

  it("rejects an unknown command, even one named like an object property", async () => {
    for (const command of ["chekc", "toString", "__proto__"]) {
      const { code, stderr } = await runCli([command], { cwd });
      expect(code).toBe(2);
      expect(stderr).toContain(`lockstep: unknown command "${command}"; commands are check, validate, checklists, init, audit.`);
    }
  });

  it("prints the package version", async () => {
    expect((await runCli(["--version"], { cwd })).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each([
    ["check", "Usage: lockstep check [options]"],
    ["validate", "Usage: lockstep validate [PATH...]"],
    ["checklists", "Usage: lockstep checklists [--format text|json]"],
    ["init", "Usage: lockstep init [--dir DIR] [--workflow] [--force]"],
    ["audit", "Usage: lockstep audit --repo OWNER/NAME"],
  ])("shows help for %s (--help and help <command>)", async (command, usage) => {
    expect(await runCli([command, "--help"], { cwd })).toMatchObject({ code: 0, stdout: expect.stringContaining(usage) });
    expect(await runCli(["help", command], { cwd })).toMatchObject({ code: 0, stdout: expect.stringContaining(usage) });
  });

  it("says in check's help that the config comes from the base ref", async () => {
    const { stdout } = await runCli(["check", "--help"], { cwd });
    expect(stdout).toContain("git show BASE:.github/compliance.yml");
    expect(stdout).toContain("Exit status: 0 not blocking, 1 blocking, 2 bad input");
  });

  it.each([
    [["check", "--nope"], "lockstep check: unknown option --nope"],
    [["check", "--base"], "lockstep check: option --base needs a value"],
    [["check", "stray"], "lockstep check: unexpected argument stray"],
    [["checklists", "--format", "yaml"], "lockstep checklists: --format must be text or json"],
  ])("exits 2 on misuse %j", async (argv, message) => {
    const { code, stderr } = await runCli(argv, { cwd });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toMatch(/Run "lockstep \w+ --help" for usage\./);
  });
});

describe("lockstep checklists", () => {
  const { checklists } = loadBuiltinChecklists();

  it("lists every built-in checklist with risk range, reviewers, title and summary", async () => {
    const { code, stdout } = await runCli(["checklists"], { cwd });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ID +RISK +REVIEWERS +TITLE\n/);
    for (const c of checklists) {
      expect(stdout).toMatch(new RegExp(`^${c.id} +(low|medium|high)(-(medium|high))? +${c.reviewers} +${c.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
    }
  });

  it("prints JSON on request", async () => {
    const { code, stdout } = await runCli(["checklists", "--format", "json"], { cwd });
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { id: string; risk: { min: string; max: string }; reviewers: string }[];
    expect(rows.map((r) => r.id)).toEqual(checklists.map((c) => c.id));
    expect(rows.find((r) => r.id === "compliance-config")).toEqual({
      id: "compliance-config",
      title: "Lockstep configuration",
      summary: expect.any(String),
      risk: { min: "high", max: "high" },
      reviewers: "counsel",
    });
  });
});
