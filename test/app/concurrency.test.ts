import { afterEach, beforeEach, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { CONFIG, prFile } from "../helpers/github-nock.js";
import { OWNER, payload, PR_NUMBER, REPO } from "../helpers/payloads.js";
import { createTestApp, type TestApp } from "../helpers/test-app.js";

let github: FakeGitHub;
let app: TestApp;
const FULL = `${OWNER}/${REPO}`;

beforeEach(async () => {
  github = await startFakeGitHub();
  github.setFile(FULL, "master", ".github/compliance.yml", CONFIG);
  github.state.collaborators = new Set(["alice", "legal"]);
  app = await createTestApp({ baseUrl: `${github.url}/api/v3` });
});
afterEach(async () => {
  expect(github.violations).toEqual([]);
  expect(app.violations).toEqual([]);
  await github.close();
});

it("concurrent deliveries for one PR leave one comment, one reviewer request and one check run", async () => {
  const pr = github.addPull(FULL, { number: PR_NUMBER, base: "master", files: [prFile("db/migrate/1_dob.rb", ["t.date :date_of_birth"])] });
  const delivery = (i: number) =>
    payload("pull_request", "synchronize", (p) => {
      p.pull_request.head.sha = pr.headSha;
      p.pull_request.changed_files = 1;
      p.id = i;
    });
  await Promise.all([1, 2, 3, 4, 5].map((i) => app.probot.receive({ ...delivery(i), id: `d${i}` })));

  expect(github.state.comments).toHaveLength(1);
  expect(pr.requestedUsers).toEqual(["alice"]);
  expect(pr.labels).toEqual(["compliance: high", "compliance: personal-data"]);
  // The first delivery creates the run for the new sha; the others update it.
  expect(github.state.checkRuns.map((r) => r.conclusion)).toEqual(["action_required"]);
  expect(app.calls().filter((c) => c.startsWith("POST") && c.endsWith("/requested_reviewers"))).toHaveLength(1);
  expect(app.calls().filter((c) => c.startsWith("POST") && c.endsWith("/comments"))).toHaveLength(1);
});
