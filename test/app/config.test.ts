import { describe, expect, it } from "vitest";
import { capture, CONFIG, CONFIG_URL, gh, ORG_CONFIG_URL, ownComment, prFile, REPO_PATH } from "../helpers/github-nock.js";
import { HEAD_SHA, OWNER, payload, PR_NUMBER } from "../helpers/payloads.js";
import { nockedApp } from "../helpers/nocked-app.js";

const app = nockedApp();

const TOKEN = "POST /app/installations/2/access_tokens";

/** Sets up the check-run POST and returns the captured bodies. */
function checkRun(): Record<string, any>[] {
  const checks: Record<string, any>[] = [];
  gh.scope().post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 1 });
  return checks;
}

describe("invalid configuration fails closed", () => {
  it("lists every problem with its location and annotates the config file; nothing else is read", async () => {
    gh.token();
    gh.config("comment_on: low\nblock_at: severe\n");
    gh.orgConfig();
    const checks = checkRun();

    await app.probot.receive(payload("pull_request", "opened"));

    expect(app.calls()).toEqual([TOKEN, `GET ${CONFIG_URL}`, `GET ${ORG_CONFIG_URL}`, `POST ${REPO_PATH}/check-runs`]);
    const { conclusion, output } = checks[0]!;
    expect(conclusion).toBe("failure");
    expect(output.title).toBe("Invalid configuration: 2 problems");
    expect(output.summary).toContain("`.github/compliance.yml:1:1` comment\\_on: unknown key");
    expect(output.summary).toContain("`.github/compliance.yml:2:11` block\\_at: must be one of");
    expect(output.annotations).toEqual([
      expect.objectContaining({ path: ".github/compliance.yml", start_line: 1, annotation_level: "failure" }),
      expect.objectContaining({ path: ".github/compliance.yml", start_line: 2, annotation_level: "failure" }),
    ]);
  });

  it("a YAML syntax error is located too", async () => {
    gh.token();
    gh.config("block_at: [high\n");
    const checks = checkRun();
    await app.probot.receive(payload("pull_request", "opened"));
    expect(checks[0]!.conclusion).toBe("failure");
    expect(checks[0]!.output.annotations[0]).toMatchObject({ path: ".github/compliance.yml", annotation_level: "failure" });
  });

  it("a missing _extends target is an error, not silently no config", async () => {
    gh.token();
    gh.config("_extends: shared-config\n");
    gh.scope().get(`/repos/${OWNER}/shared-config/contents/.github%2Fcompliance.yml`).reply(404, { message: "Not Found" });
    gh.orgConfig();
    const checks = checkRun();
    await app.probot.receive(payload("pull_request", "opened"));
    expect(checks[0]!.conclusion).toBe("failure");
    expect(checks[0]!.output.summary).toContain("_extends points to Codertocat/shared-config:.github/compliance.yml, which does not exist");
  });

  it("the organisation's enforce cannot be undone by the repository", async () => {
    gh.token();
    gh.config("checklists:\n  disable: [compliance-config, vendor]\n");
    gh.orgConfig(`checklists:
  enforce: [vendor]
  custom:
    - id: vendor
      title: Vendors
      summary: A new processor.
      triggers: [{ paths: ["vendor/**"], risk: high }]
      items: [{ id: dpa, text: A DPA is signed., owner: counsel }]
`);
    const checks = checkRun();
    await app.probot.receive(payload("pull_request", "opened"));
    expect(checks[0]!.conclusion).toBe("failure");
    expect(checks[0]!.output.summary).toContain('checklist "vendor" is enforced by the organisation');
  });
});

describe("configuration sources", () => {
  it("merges the org defaults under the repo file and reads listed checklist files at the base ref", async () => {
    gh.token();
    gh.config("checklists:\n  files: [.github/compliance/vendors.yml]\n");
    gh.orgConfig("counsel: { users: [olga] }\nblock_at: never\n");
    gh.scope().get(`${REPO_PATH}/contents/.github%2Fcompliance%2Fvendors.yml`).query({ ref: "master" }).reply(200, `id: vendors
title: Vendors
summary: A new processor receives user data.
triggers: [{ paths: ["vendor/**"], risk: high }]
items: [{ id: dpa, text: A DPA is signed., owner: counsel }]
`);
    gh.files([prFile("vendor/acme/client.rb")]);
    gh.scope()
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, ownComment(1, "x"))
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`, { reviewers: ["olga"], team_reviewers: [] }).reply(201, {})
      .post(`${REPO_PATH}/labels`).times(2).reply(201, {})
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/labels`).reply(200, []);
    const checks = checkRun();

    await app.probot.receive(payload("pull_request", "opened"));

    // block_at: never (org) → neutral, not blocking.
    expect(checks[0]!.conclusion).toBe("neutral");
    expect(checks[0]!.output.summary).toContain("organisation defaults `Codertocat/.github:.github/compliance.yml`");
    expect(checks[0]!.output.annotations[0]).toMatchObject({ path: "vendor/acme/client.rb", annotation_level: "warning" });
  });

  it("drafts: skip → a neutral check and nothing else, until ready for review", async () => {
    gh.token();
    gh.config("drafts: skip\n");
    gh.orgConfig();
    const checks = checkRun();
    await app.probot.receive(payload("pull_request", "opened", (p) => (p.pull_request.draft = true)));
    expect(app.calls()).toHaveLength(4);
    expect(checks[0]).toMatchObject({ conclusion: "neutral", output: { title: "Draft: evaluated when ready for review" } });
  });
});

describe("a PR that changes Lockstep's configuration", () => {
  it("is judged by the base config, fires compliance-config, and its new config is validated at the head", async () => {
    gh.token();
    gh.config();
    gh.orgConfig();
    gh.files([prFile(".github/compliance.yml", ["block_at: whenever"])]);
    gh.scope().get(CONFIG_URL).query({ ref: HEAD_SHA }).reply(200, "counsel: { users: [alice] }\nblock_at: whenever\n");
    gh.scope()
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, ownComment(1, "x"))
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`).reply(201, {})
      .post(`${REPO_PATH}/labels`).times(2).reply(201, {})
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/labels`).reply(200, []);
    const checks = checkRun();

    await app.probot.receive(payload("pull_request", "opened"));

    const { conclusion, output } = checks[0]!;
    expect(conclusion).toBe("failure");
    expect(output.title).toBe("The changed configuration is invalid (1 problem)");
    expect(output.summary).toContain("`.github/compliance.yml:2:11` block\\_at: must be one of");
    expect(output.summary).toContain("| Lockstep configuration (`compliance-config`) | 🔴 high |");
    expect(output.annotations).toContainEqual(expect.objectContaining({ path: ".github/compliance.yml", start_line: 2, annotation_level: "failure", title: "Lockstep configuration" }));
  });

  it("a valid new config: action_required by the built-in checklist, nothing reported on the file", async () => {
    gh.token();
    gh.config(CONFIG);
    gh.orgConfig();
    gh.files([prFile(".github/compliance.yml", ["block_at: never"])]);
    gh.scope().get(CONFIG_URL).query({ ref: HEAD_SHA }).reply(200, "block_at: never\n");
    gh.scope()
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, ownComment(1, "x"))
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`).reply(201, {})
      .post(`${REPO_PATH}/labels`).times(2).reply(201, {})
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/labels`).reply(200, []);
    const checks = checkRun();
    await app.probot.receive(payload("pull_request", "opened"));
    expect(checks[0]!.conclusion).toBe("action_required");
  });
});
