import { describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../src/render/comment.js";
import { API, capture, CONFIG, CONFIG_URL, gh, ORG_CONFIG_URL, ownComment, prFile, REPO_PATH } from "../helpers/github-nock.js";
import { HEAD_SHA, payload, PR_NUMBER } from "../helpers/payloads.js";
import { nockedApp } from "../helpers/nocked-app.js";

const app = nockedApp();

const TOKEN = "POST /app/installations/2/access_tokens";
const CONFIG_GET = `GET ${CONFIG_URL}`;
const ORG_GET = `GET ${ORG_CONFIG_URL}`;
const FILES = `GET ${REPO_PATH}/pulls/${PR_NUMBER}/files`;
const COMMENTS = `GET ${REPO_PATH}/issues/${PR_NUMBER}/comments`;
const REVIEWS = `GET ${REPO_PATH}/pulls/${PR_NUMBER}/reviews`;
const REQUESTED = `GET ${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`;
const CREATE_CHECK = `POST ${REPO_PATH}/check-runs`;
const PR_URL = "https://github.com/Codertocat/Hello-World/pull/7";
const MIGRATION = prFile("db/migrate/20260101_add_dob.rb", ["add_column :users, :date_of_birth, :date"]);

/** The requests every evaluation starts with: token, repo config at the base ref, org config. */
function gatherConfig(config: string | null = CONFIG) {
  gh.token();
  gh.config(config);
  gh.orgConfig();
}

describe("pull_request.opened", () => {
  it("low risk: a success check that explains itself, no comment, nothing looked up", async () => {
    const checks: Record<string, any>[] = [];
    gatherConfig();
    gh.files([prFile("README.md")]);
    gh.scope().post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 1 });

    await app.probot.receive(payload("pull_request", "opened"));

    expect(app.calls()).toEqual([TOKEN, CONFIG_GET, ORG_GET, FILES, CREATE_CHECK]);
    expect(checks[0]).toMatchObject({ name: "Lockstep", head_sha: HEAD_SHA, status: "completed", conclusion: "success", external_id: String(PR_NUMBER) });
    expect(checks[0]!.output.title).toBe("No checklist applies (1 file examined)");
    expect(checks[0]!.output.summary).toContain("No checklist fired on the 1 changed file examined.");
    expect(checks[0]!.output.summary).toContain("Active checklists: `compliance-config`, `personal-data`.");
    expect(checks[0]!.output.summary).toContain("Configuration: `.github/compliance.yml` at `master`; no organisation defaults in `Codertocat/.github`; built-in defaults.");
  });

  it("an empty file (no patch, the empty blob) does not fire a line trigger: success", async () => {
    const checks: Record<string, any>[] = [];
    gatherConfig();
    // How GitHub lists a new empty file: no patch, no changes, the empty blob's id.
    const { patch: _, ...placeholder } = prFile("db/migrate/20260101_placeholder.rb", [], { status: "added", sha: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391" });
    gh.files([placeholder]);
    gh.scope().post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 1 });

    await app.probot.receive(payload("pull_request", "opened"));

    expect(app.calls()).toEqual([TOKEN, CONFIG_GET, ORG_GET, FILES, CREATE_CHECK]);
    expect(checks[0]).toMatchObject({ conclusion: "success" });
    expect(checks[0]!.output.title).toBe("No checklist applies (1 file examined)");
  });

  it("high risk: comment created, counsel requested, labels, action_required with annotations", async () => {
    const comments: Record<string, any>[] = [];
    const reviewers: Record<string, any>[] = [];
    const labels: Record<string, any>[] = [];
    const checks: Record<string, any>[] = [];
    gatherConfig();
    gh.files([MIGRATION]);
    gh.scope()
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`, capture(comments))
      .reply(201, ownComment(1000, "x"))
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`, capture(reviewers))
      .reply(201, {})
      .post(`${REPO_PATH}/labels`, capture(labels))
      .reply(201, {})
      .post(`${REPO_PATH}/labels`, capture(labels))
      .reply(422, { message: "Validation Failed", errors: [{ code: "already_exists" }] })
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/labels`, capture(labels))
      .reply(200, [])
      .post(`${REPO_PATH}/check-runs`, capture(checks))
      .reply(201, { id: 1 });

    await app.probot.receive(payload("pull_request", "opened"));

    // The check run first (branch protection waits for it), then the other writes together.
    expect(app.calls().slice(0, 5)).toEqual([TOKEN, CONFIG_GET, ORG_GET, FILES, CREATE_CHECK]);
    expect(app.calls().slice(5).sort()).toEqual([
      `POST ${REPO_PATH}/issues/${PR_NUMBER}/comments`,
      `POST ${REPO_PATH}/issues/${PR_NUMBER}/labels`,
      `POST ${REPO_PATH}/labels`, `POST ${REPO_PATH}/labels`,
      `POST ${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`,
    ]);
    expect(app.writesInFlight()).toBeGreaterThan(1);
    const body: string = comments[0]!.body;
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain("## Lockstep: 🔴 high risk");
    expect(body).toContain("GDPR Art. 5(1)(c) data minimisation");
    expect(body).toContain("- [ ] <!-- item:personal-data/lawful-basis --> The lawful basis for the new data is recorded. (counsel)");
    expect(body).toMatch(/\]\(https:\/\/github\.com\/Codertocat\/Hello-World\/pull\/7\/files#diff-[0-9a-f]{64}R1\)/);
    expect(reviewers[0]).toEqual({ reviewers: ["alice"], team_reviewers: ["legal"] });
    expect(labels.slice(0, 2)).toEqual([
      { name: "compliance: high", color: "b60205", description: "Lockstep: high compliance risk" },
      { name: "compliance: personal-data", color: "5319e7", description: "Lockstep: Personal data" },
    ]);
    expect(labels[2]).toEqual({ labels: ["compliance: high", "compliance: personal-data"] });
    // The comment does not exist yet when the check is written: the check points at the PR.
    expect(checks[0]).toMatchObject({ conclusion: "action_required", details_url: PR_URL });
    expect(checks[0]!.output.summary).toContain(`The review items are in [Lockstep's comment](${PR_URL}).`);
    expect(checks[0]!.output.annotations).toEqual([
      expect.objectContaining({ path: "db/migrate/20260101_add_dob.rb", start_line: 1, end_line: 1, annotation_level: "failure" }),
    ]);
  });

  it("draft: comment but no reviewers", async () => {
    gatherConfig();
    gh.files([MIGRATION]);
    gh.scope()
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, ownComment(1000, "x"))
      .post(`${REPO_PATH}/labels`).times(2).reply(201, {})
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/labels`).reply(200, [])
      .post(`${REPO_PATH}/check-runs`).reply(201, { id: 1 });

    await app.probot.receive(payload("pull_request", "opened", (p) => (p.pull_request.draft = true)));

    expect(app.calls()).not.toContain(`POST ${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`);
    expect(app.calls()).toHaveLength(9);
  });

  it("a 422 on the reviewer request is reported in the check, not fatal", async () => {
    const checks: Record<string, any>[] = [];
    gatherConfig();
    gh.files([MIGRATION]);
    const notCollaborator = { message: "Reviews may only be requested from collaborators. One or more of the teams you specified is not a collaborator of the Codertocat/Hello-World repository." };
    gh.scope()
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, ownComment(1000, "x"))
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`, { reviewers: ["alice"], team_reviewers: ["legal"] }).reply(422, notCollaborator)
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`, { reviewers: ["alice"], team_reviewers: [] }).reply(201, {})
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`, { reviewers: [], team_reviewers: ["legal"] }).reply(422, notCollaborator)
      .post(`${REPO_PATH}/labels`).times(2).reply(201, {})
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/labels`).reply(200, [])
      .post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 1 })
      .patch(`${REPO_PATH}/check-runs/1`, capture(checks)).reply(200, { id: 1 });

    await app.probot.receive(payload("pull_request", "opened"));

    // Written first without the note, then updated once with it, keeping its conclusion.
    expect(checks[0]!.conclusion).toBe("action_required");
    expect(checks[0]!.output.summary).not.toContain("Could not request");
    expect(checks[1]!.conclusion).toBe("action_required");
    expect(checks[1]!.output.summary).toMatch(/^> ⚠️ Could not request a review from team legal: Reviews may only be requested from collaborators/);
    expect(checks[1]!.output.annotations).toBeUndefined();
    expect(app.calls()).toHaveLength(13);
    expect(app.calls().at(-1)).toBe(`PATCH ${REPO_PATH}/check-runs/1`);
  });
});

describe("pull_request.synchronize", () => {
  it("re-push: edits the same comment, skips who is requested or reviewed, new check", async () => {
    const edits: Record<string, any>[] = [];
    const reviewers: Record<string, any>[] = [];
    gatherConfig();
    gh.files([MIGRATION, prFile("app/serializers/user_serializer.rb")]);
    gh.comments([{ ...ownComment(1000, `${COMMENT_MARKER}\nold`) }]);
    gh.reviews([{ id: 1, user: { login: "carol" }, state: "COMMENTED" }]);
    gh.requested(["alice"]);
    gh.scope()
      .patch(`${REPO_PATH}/issues/comments/1000`, capture(edits)).reply(200, ownComment(1000, "x"))
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`, capture(reviewers)).reply(201, {})
      .post(`${REPO_PATH}/check-runs`).reply(201, { id: 2 });

    await app.probot.receive(
      payload("pull_request", "synchronize", (p) => {
        p.pull_request.requested_reviewers = [{ login: "alice", type: "User" }];
        p.pull_request.labels = [{ name: "compliance: high" }, { name: "compliance: personal-data" }];
      }),
    );

    // The comment is looked up once (for the sign-off record) and reused for the edit.
    expect(app.calls().slice(5, 7).sort()).toEqual([REQUESTED, REVIEWS]);
    expect(app.calls().slice(0, 8)).toEqual([TOKEN, CONFIG_GET, ORG_GET, FILES, COMMENTS, ...app.calls().slice(5, 7), CREATE_CHECK]);
    expect(app.calls().slice(8).sort()).toEqual([`PATCH ${REPO_PATH}/issues/comments/1000`, `POST ${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`]);
    expect(edits[0]!.body).toContain("app/serializers/user_serializer.rb");
    expect(reviewers[0]).toEqual({ reviewers: [], team_reviewers: ["legal"] });
  });

  it("cleared: the comment says nothing applies any more, labels go, check success", async () => {
    const edits: Record<string, any>[] = [];
    const checks: Record<string, any>[] = [];
    gatherConfig();
    gh.files([prFile("README.md")]);
    gh.comments([ownComment(1000, `${COMMENT_MARKER}\nold`)]);
    gh.scope()
      .patch(`${REPO_PATH}/issues/comments/1000`, capture(edits)).reply(200, ownComment(1000, "x"))
      .delete(`${REPO_PATH}/issues/${PR_NUMBER}/labels/compliance%3A%20high`).reply(200, [])
      .delete(`${REPO_PATH}/issues/${PR_NUMBER}/labels/compliance%3A%20personal-data`).reply(200, [])
      .post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 2 });

    await app.probot.receive(
      payload("pull_request", "synchronize", (p) => {
        p.pull_request.labels = [{ name: "compliance: high" }, { name: "bug" }, { name: "compliance: personal-data" }];
      }),
    );

    expect(app.calls()).toHaveLength(9);
    expect(edits[0]!.body).toContain("nothing applies any more");
    expect(checks[0]).toMatchObject({ conclusion: "success", details_url: ownComment(1000, "").html_url });
  });

  it("never edits a comment that only copies the marker; creates Lockstep's own", async () => {
    gatherConfig();
    gh.files([MIGRATION]);
    gh.comments([{ id: 5, body: `${COMMENT_MARKER}\nforged`, html_url: "x", user: { login: "mallory", type: "User" }, performed_via_github_app: null }]);
    gh.reviews();
    gh.requested();
    gh.scope()
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, ownComment(1000, "x"))
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`).reply(201, {})
      .post(`${REPO_PATH}/labels`).times(2).reply(201, {})
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/labels`).reply(200, [])
      .post(`${REPO_PATH}/check-runs`).reply(201, { id: 2 });

    await app.probot.receive(payload("pull_request", "synchronize"));

    expect(app.calls().filter((c) => c.startsWith("PATCH"))).toEqual([]);
  });

  it("unchanged comment: no edit at all (an edit would come back as a webhook)", async () => {
    gatherConfig();
    gh.files([prFile("docs/privacy/retention.md")]);
    // First run renders the body; capture it to serve it back as the existing comment.
    const created: Record<string, any>[] = [];
    gh.scope().post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`, capture(created)).reply(201, ownComment(1000, "x"));
    // Low risk: no labels (`labels.at` defaults to medium).
    gh.scope().post(`${REPO_PATH}/check-runs`).reply(201, { id: 1 });
    await app.probot.receive(payload("pull_request", "opened"));

    gh.config(); // the org config is cached from the first event
    gh.files([prFile("docs/privacy/retention.md")]);
    gh.comments([ownComment(1000, created[0]!.body)]);
    // The run this process created for the sha is updated, not duplicated, and not looked up.
    gh.scope().patch(`${REPO_PATH}/check-runs/1`).reply(200, { id: 1 });
    const before = app.calls().length;
    await app.probot.receive(payload("pull_request", "synchronize", (p) => (p.pull_request.labels = [])));
    expect(app.calls().slice(before)).toEqual([CONFIG_GET, FILES, COMMENTS, `PATCH ${REPO_PATH}/check-runs/1`]);
  });
});

describe("pull_request: other actions", () => {
  it("ready_for_review: requests reviewers and reuses the check run of that sha", async () => {
    const reviewers: Record<string, any>[] = [];
    gatherConfig();
    gh.files([MIGRATION]);
    gh.comments([ownComment(1000, `${COMMENT_MARKER}\nold`)]);
    gh.reviews([{ id: 1, user: { login: "alice" }, state: "COMMENTED" }]);
    gh.requested();
    gh.scope()
      .patch(`${REPO_PATH}/issues/comments/1000`).reply(200, ownComment(1000, "x"))
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`, capture(reviewers)).reply(201, {})
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`).query({ check_name: "Lockstep", filter: "latest", app_id: 123 })
      .reply(200, { total_count: 1, check_runs: [{ id: 77, app: { id: 123 } }] })
      .patch(`${REPO_PATH}/check-runs/77`).reply(200, { id: 77 });

    await app.probot.receive(
      payload("pull_request", "ready_for_review", (p) => (p.pull_request.labels = [{ name: "compliance: high" }, { name: "compliance: personal-data" }])),
    );

    expect(reviewers[0]).toEqual({ reviewers: [], team_reviewers: ["legal"] });
    expect(app.calls()).toHaveLength(11);
  });

  it("closed PRs and PRs from deleted forks are ignored without a request", async () => {
    await app.probot.receive(payload("pull_request", "reopened", (p) => (p.pull_request.state = "closed")));
    await app.probot.receive(payload("pull_request", "synchronize", (p) => (p.pull_request.head.repo = null)));
    expect(app.calls()).toEqual([]);
  });

  it("edited: a base-branch change re-evaluates with the new base's config; an edit of the body alone does not", async () => {
    const edited = (changes: object) =>
      payload("pull_request", "opened", (p) => {
        p.action = "edited";
        p.changes = changes;
        p.pull_request.base.ref = "release";
      });
    await app.probot.receive(edited({ body: { from: "old" } }));
    expect(app.calls()).toEqual([]);

    gh.token();
    gh.config(CONFIG, "release");
    gh.orgConfig();
    gh.files([prFile("README.md")]);
    gh.comments([]);
    gh.scope()
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`).reply(201, { id: 3 });
    await app.probot.receive(edited({ base: { ref: { from: "master" }, sha: { from: "abc" } } }));
    expect(app.calls()).toHaveLength(7);
  });

  it("the pull request's title is matched by title triggers, and an edit of the title re-evaluates", async () => {
    const config = `${CONFIG}
    - id: auth-title
      title: Auth by title
      summary: The title speaks of authentication.
      triggers:
        - description: the title says auth
          paths: ["src/**"]
          titles: ['(?i)\\bauth']
          risk: low
      items: [{ id: look, text: Look at it., owner: counsel }]
comment_at: never
labels: { enabled: false }
`;
    const evaluate = async (title: string, action: "opened" | "edited") => {
      const checks: Record<string, any>[] = [];
      // The installation token and the organisation's defaults are cached after the first delivery.
      if (action === "opened") gh.token();
      gh.config(config);
      if (action === "opened") gh.orgConfig();
      gh.files([prFile("src/collections.php", ["if (!$mine) return;"])]);
      // The edit is for the same head sha: the check run written for it is updated.
      if (action === "edited") {
        gh.comments([]);
        gh.scope().patch(`${REPO_PATH}/check-runs/1`, capture(checks)).reply(200, { id: 1 });
      } else gh.scope().post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 1 });
      await app.probot.receive(
        payload("pull_request", "opened", (p) => {
          p.action = action;
          if (action === "edited") p.changes = { title: { from: "Update collections" } };
          p.pull_request.title = title;
        }),
      );
      return checks[0]!;
    };
    const quiet = await evaluate("Update collections", "opened");
    expect(quiet.output.title).toBe("No checklist applies (1 file examined)");
    const fired = await evaluate("Limit collections to authorised owners", "edited");
    expect(fired.output.summary).toContain("Auth by title");
    expect(fired.output.text).toContain("the title `Limit collections to authorised owners` matches `(?i)\\bauth` (path matches `src/**`)\n  - `src/collections.php`\n");
    expect(fired.output.annotations[0].message).toContain("the pull request's title matches (?i)\\bauth; path matches src/**");
  });

  it("more than 3,000 files: the pages the payload's count implies are read together, then a failure", async () => {
    const checks: Record<string, any>[] = [];
    gatherConfig();
    for (let page = 1; page <= 30; page++) {
      const files = Array.from({ length: 100 }, (_, i) => prFile(`src/file-${page}-${i}.ts`));
      gh.scope().get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`).query({ per_page: 100, page }).reply(200, files);
    }
    gh.scope().post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 1 });

    await app.probot.receive(payload("pull_request", "opened", (p) => (p.pull_request.changed_files = 3001)));

    expect(app.calls().filter((c) => c === FILES)).toHaveLength(30);
    expect(checks[0]).toMatchObject({ conclusion: "failure", output: { title: "Could not evaluate in full: 3,001 files" } });
    expect(checks[0]!.output.summary).toContain("GitHub lists at most 3,000 files of a pull request and this one changes 3,001 files");
  });

  it("a file count that a later push outdated: the remaining pages are read one by one, nothing is missed", async () => {
    const checks: Record<string, any>[] = [];
    gatherConfig();
    const page = (n: number, length: number, last = "") =>
      gh.scope().get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`).query({ per_page: 100, page: n })
        .reply(200, Array.from({ length }, (_, i) => prFile(i === 0 && last ? last : `src/file-${n}-${i}.ts`)),
          n < 3 ? { Link: `<${API}${REPO_PATH}/pulls/${PR_NUMBER}/files?per_page=100&page=${n + 1}>; rel="next"` } : {});
    page(1, 100);
    page(2, 100);
    page(3, 50, "docs/privacy/retention.md"); // the only file that fires, on the page the count did not imply
    gh.scope().post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 1 });
    gh.scope().post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, ownComment(1000, "x"));

    await app.probot.receive(payload("pull_request", "opened", (p) => (p.pull_request.changed_files = 150)));

    expect(app.calls().filter((c) => c === FILES)).toHaveLength(3);
    expect(checks[0]).toMatchObject({ conclusion: "neutral" });
    expect(checks[0]!.output.summary).toContain("Examined 250 changed files");
  });
});

describe("GitHub failing while Lockstep gathers the PR", () => {
  it("a 500 on the file list gives a failing check that says how to retry, never a success", async () => {
    const checks: Record<string, any>[] = [];
    gatherConfig();
    gh.scope().get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`).query({ per_page: 100 }).reply(500, { message: "Server Error" });
    gh.scope().post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 1 });
    await app.probot.receive(payload("pull_request", "opened"));
    expect(checks[0]).toMatchObject({ conclusion: "failure", output: { title: "Could not evaluate: GitHub API error" } });
    expect(checks[0]!.output.summary).toContain("/lockstep recheck");
  });
});
