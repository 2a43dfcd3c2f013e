import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, configCaches } from "../../src/github/load-config.js";
import { loadBuiltinChecklists } from "../../src/core/builtin.js";
import type { RepoClient } from "../../src/github/repo-client.js";
import { CONFIG, gh, ORG_CONFIG_URL, REPO_PATH } from "../helpers/github-nock.js";
import { OWNER, REPO } from "../helpers/payloads.js";

/** What the caches of `loadConfig` keep between events, and what they must never keep. */
const octokit = new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
const client: RepoClient = { octokit, log: { debug() {}, info() {}, warn() {}, error() {} } as never, owner: OWNER, repo: REPO };
const BUILTINS = loadBuiltinChecklists().checklists;
const LISTED = "checklists:\n  files: [.github/lists/vendor.yml]\n";
const VENDOR = `id: vendor
title: Vendor
summary: A vendor changes.
triggers:
  - paths: ["vendor/**"]
    risk: low
items:
  - id: ok
    text: The vendor is approved.
    owner: counsel
`;

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

describe("loadConfig caches", () => {
  it("reads the organisation file once, and gives the same loaded configuration while the files are unchanged", async () => {
    const caches = configCaches();
    gh.config();
    gh.orgConfig("counsel: { users: [olga] }\n");
    const first = await loadConfig(client, "master", BUILTINS, caches);
    gh.config(); // the repo file is read at the base ref every time: only its parsed form is cached
    const second = await loadConfig(client, "master", BUILTINS, caches);

    expect(first.ok).toBe(true);
    expect(second).toBe(first);
  });

  it("a changed repository file is parsed again", async () => {
    const caches = configCaches();
    gh.config();
    gh.orgConfig();
    const first = await loadConfig(client, "master", BUILTINS, caches);
    gh.config(`${CONFIG}\nblock_at: medium\n`);
    const second = await loadConfig(client, "master", BUILTINS, caches);

    expect(second).not.toBe(first);
    expect(second.ok && second.config.block_at).toBe("medium");
  });

  it("the same files on another ref or repository are their own entry (sources name them)", async () => {
    const caches = configCaches();
    gh.config();
    gh.orgConfig();
    const master = await loadConfig(client, "master", BUILTINS, caches);
    gh.config(CONFIG, "release");
    const release = await loadConfig(client, "release", BUILTINS, caches);
    expect(release).not.toBe(master);
    expect(release.sources[0]).toContain("`release`");
  });

  it("an organisation file that could not be read is read again on the next event", async () => {
    const caches = configCaches();
    gh.config();
    gh.scope().get(ORG_CONFIG_URL).reply(500, { message: "boom" });
    const failed = await loadConfig(client, "master", BUILTINS, caches);
    expect(failed.ok).toBe(false);

    gh.config();
    gh.orgConfig();
    const next = await loadConfig(client, "master", BUILTINS, caches);
    expect(next.ok).toBe(true);
  });

  it("reads listed checklist files every time, and does not cache a checklist file that could not be read", async () => {
    const caches = configCaches();
    const vendor = (s: nock.Scope) => s.get(`${REPO_PATH}/contents/.github%2Flists%2Fvendor.yml`).query({ ref: "master" });
    gh.config(LISTED);
    gh.orgConfig();
    vendor(gh.scope()).reply(500, { message: "boom" });
    const failed = await loadConfig(client, "master", BUILTINS, caches);
    expect(failed.ok).toBe(false);
    expect(!failed.ok && failed.problems[0]!.message).toContain("could not read the checklist");

    gh.config(LISTED);
    vendor(gh.scope()).reply(200, VENDOR);
    const loaded = await loadConfig(client, "master", BUILTINS, caches);
    expect(loaded.ok && loaded.checklists.map((c) => c.id)).toContain("vendor");

    gh.config(LISTED);
    vendor(gh.scope()).reply(200, VENDOR.replace("risk: low", "risk: high"));
    const changed = await loadConfig(client, "master", BUILTINS, caches);
    expect(changed.ok && changed.checklists.find((c) => c.id === "vendor")!.triggers[0]!.risk).toBe("high");
  });
});
