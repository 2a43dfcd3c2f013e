import { expect, it } from "vitest";
import { capture, CONFIG, gh, ownComment, prFile, REPO_PATH } from "../helpers/github-nock.js";
import { payload, PR_NUMBER } from "../helpers/payloads.js";
import { nockedApp } from "../helpers/nocked-app.js";

/** Pins the API calls of the one event type of `npm run bench -- events` no other test pins. */
const app = nockedApp();

it("a new low-risk PR: files, then the check run, then the comment; no labels", async () => {
  gh.token();
  gh.config();
  gh.orgConfig();
  gh.files([prFile("README.md"), prFile("docs/privacy/retention.md")]);
  gh.scope()
    .post(`${REPO_PATH}/check-runs`).reply(201, { id: 1 })
    .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, ownComment(1000, "x"));

  await app.probot.receive(payload("pull_request", "opened", (p) => (p.pull_request.changed_files = 2)));

  // After the token and config: 3 calls, issue 6's target for a low-risk PR (docs/benchmarks.md).
  expect(app.calls().slice(3)).toEqual([
    `GET ${REPO_PATH}/pulls/${PR_NUMBER}/files`,
    `POST ${REPO_PATH}/check-runs`,
    `POST ${REPO_PATH}/issues/${PR_NUMBER}/comments`,
  ]);
});

it("a low-risk PR with `labels: { at: low }`: labelled as before", async () => {
  const labels: Record<string, any>[] = [];
  gh.token();
  gh.config(`${CONFIG}\nlabels: { at: low }\n`);
  gh.orgConfig();
  gh.files([prFile("docs/privacy/retention.md")]);
  gh.scope()
    .post(`${REPO_PATH}/check-runs`).reply(201, { id: 1 })
    .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, ownComment(1000, "x"))
    .post(`${REPO_PATH}/labels`).times(2).reply(201, {})
    .post(`${REPO_PATH}/issues/${PR_NUMBER}/labels`, capture(labels)).reply(200, []);

  await app.probot.receive(payload("pull_request", "opened", (p) => (p.pull_request.changed_files = 1)));

  expect(labels[0]).toEqual({ labels: ["compliance: low", "compliance: personal-data"] });
});
