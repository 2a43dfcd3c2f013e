import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadBuiltinChecklists } from "../../src/core/builtin.js";
import { loadConfig, type LoadedConfig } from "../../src/github/load-config.js";
import type { RepoClient } from "../../src/github/repo-client.js";
import { gh, ORG_CONFIG_URL } from "../helpers/github-nock.js";
import { OWNER, REPO } from "../helpers/payloads.js";

/** `_extends` as Probot's config plugin reads it, with every problem located. */
const requests: string[] = [];
const octokit = new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
octokit.hook.before("request", (o) => void requests.push(octokit.request.endpoint(o).url.replace("https://api.github.com", "")));
const client: RepoClient = { octokit, log: { debug() {}, info() {}, warn() {}, error() {} } as never, owner: OWNER, repo: REPO };
const BUILTINS = loadBuiltinChecklists().checklists;
const contents = (repo: string, path = ".github%2Fcompliance.yml", owner = OWNER) => `/repos/${owner}/${repo}/contents/${path}`;

beforeEach(() => {
  requests.length = 0;
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

function problems(loaded: LoadedConfig): string[] {
  return loaded.ok ? [] : loaded.problems.map((p) => `${p.file}${p.line ? `:${p.line}:${p.column}` : ""} ${p.message}`);
}

describe("the _extends chain", () => {
  it("layers repo → shared repo file (owner/repo:path) → org defaults, the last word to the repo", async () => {
    gh.config("_extends: acme-policies/shared:policies/compliance.yml\nblock_at: medium\n");
    gh.scope().get(contents("shared", "policies%2Fcompliance.yml", "acme-policies")).reply(200, "block_at: low\ncomment_at: medium\n");
    gh.orgConfig("request_review_at: high\n");
    const loaded = await loadConfig(client, "master", BUILTINS);

    expect(problems(loaded)).toEqual([]);
    expect(loaded.ok && [loaded.config.block_at, loaded.config.comment_at, loaded.config.request_review_at]).toEqual(["medium", "medium", "high"]);
    expect(loaded.sources[0]).toBe("`.github/compliance.yml` extending `acme-policies/shared:policies/compliance.yml` at `master`");
  });

  it("extending the org's .github file reads it once, as the org layer", async () => {
    gh.config("_extends: .github\nblock_at: medium\n");
    gh.orgConfig("block_at: low\ncomment_at: medium\n");
    const loaded = await loadConfig(client, "master", BUILTINS);

    expect(problems(loaded)).toEqual([]);
    expect(loaded.ok && [loaded.config.block_at, loaded.config.comment_at]).toEqual(["medium", "medium"]);
    expect(requests.filter((r) => r.startsWith(ORG_CONFIG_URL))).toHaveLength(1);
  });

  it("a repository without a file gets the org's, read from its default branch", async () => {
    gh.config(null);
    gh.orgConfig("block_at: medium\n");
    const loaded = await loadConfig(client, "master", BUILTINS);
    expect(loaded.ok && loaded.config.block_at).toBe("medium");
    expect(requests).toEqual([`${contents(REPO)}?ref=master`, ORG_CONFIG_URL]);
  });

  it("a loop is an error, not an endless read", async () => {
    gh.config("_extends: other\n");
    gh.scope().get(contents("other")).reply(200, `_extends: ${REPO}\n`);
    gh.orgConfig();
    const loaded = await loadConfig(client, "master", BUILTINS);
    expect(problems(loaded)).toEqual([`Codertocat/other:.github/compliance.yml _extends: .github/compliance.yml is already part of this configuration (a loop)`]);
  });

  it("a value that names no repository is located", async () => {
    gh.config("block_at: high\n_extends: [a, b]\n");
    gh.orgConfig();
    const loaded = await loadConfig(client, "master", BUILTINS);
    expect(problems(loaded)[0]).toMatch(/^\.github\/compliance\.yml:2:11 _extends must name a repository/);
  });

  it("a directory or a 403 where the file should be fails closed, saying what could not be read", async () => {
    gh.scope().get(contents(REPO)).query({ ref: "master" }).reply(200, [{ name: "x", type: "file" }]);
    gh.orgConfig();
    expect(problems(await loadConfig(client, "master", BUILTINS))).toEqual([".github/compliance.yml could not read the configuration: expected the raw text of a file, got a directory or structured content"]);

    gh.config("_extends: private\n");
    gh.scope().get(contents("private")).reply(403, { message: "Resource not accessible by integration" });
    gh.orgConfig();
    expect(problems(await loadConfig(client, "master", BUILTINS))[0]).toMatch(/^\.github\/compliance\.yml could not read the configuration: Resource not accessible by integration/);
  });
});
