import { describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../src/render/comment.js";
import { capture, CONFIG_URL, gh, ORG_CONFIG_URL, ownComment, prFile, REPO_PATH } from "../helpers/github-nock.js";
import { HEAD_SHA, payload, PR_NUMBER, pullRequest, repository } from "../helpers/payloads.js";
import { APP_ID } from "../helpers/test-app.js";
import { nockedApp } from "../helpers/nocked-app.js";

const app = nockedApp();

const TOKEN = "POST /app/installations/2/access_tokens";
const PULL = `GET ${REPO_PATH}/pulls/${PR_NUMBER}`;

/** A low-risk re-evaluation of PR #7 fetched with `pulls.get`, whose check run is looked up. */
function reevaluation(options: { checkRunId?: number } = {}) {
  gh.token();
  gh.pull(pullRequest((pr) => Object.assign(pr, { number: PR_NUMBER, head: { ...pr.head, sha: HEAD_SHA }, html_url: "https://github.com/Codertocat/Hello-World/pull/7" })));
  gh.config();
  gh.orgConfig();
  gh.files([prFile("README.md")]);
  gh.comments([]);
  if (options.checkRunId) return gh.scope().patch(`${REPO_PATH}/check-runs/${options.checkRunId}`).reply(200, { id: options.checkRunId });
  return gh.scope()
    .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [{ id: 55, app: { id: APP_ID } }] })
    .patch(`${REPO_PATH}/check-runs/55`).reply(200, { id: 55 });
}
const REEVALUATION = [TOKEN, PULL, `GET ${CONFIG_URL}`, `GET ${ORG_CONFIG_URL}`, `GET ${REPO_PATH}/pulls/${PR_NUMBER}/files`, `GET ${REPO_PATH}/issues/${PR_NUMBER}/comments`];

describe("merge_group.checks_requested", () => {
  it("answers with a success check on the merge group's head sha", async () => {
    const checks: Record<string, any>[] = [];
    gh.token();
    gh.scope().post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 9 });
    const delivery = payload("merge_group", "checks_requested", (p) => (p.repository = repository()));
    await app.probot.receive(delivery);
    expect(app.calls()).toEqual([TOKEN, `POST ${REPO_PATH}/check-runs`]);
    expect(checks[0]).toMatchObject({ name: "Lockstep", head_sha: "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d", conclusion: "success" });
  });
});

describe("check_run.rerequested / check_suite.rerequested", () => {
  const rerun = (adjust: (run: Record<string, any>) => void = () => {}) =>
    payload("check_run", "rerequested", (p) => {
      p.repository = repository();
      Object.assign(p.check_run, { id: 4242, name: "Lockstep", head_sha: HEAD_SHA, external_id: "", app: { ...p.check_run.app, id: APP_ID }, pull_requests: [{ number: PR_NUMBER }] });
      adjust(p.check_run);
    });

  it("re-evaluates and updates the very run that was re-requested", async () => {
    reevaluation({ checkRunId: 4242 });
    await app.probot.receive(rerun());
    expect(app.calls()).toEqual([...REEVALUATION, `PATCH ${REPO_PATH}/check-runs/4242`]);
  });

  it("finds a fork PR by the external id Lockstep set", async () => {
    reevaluation({ checkRunId: 4242 });
    await app.probot.receive(rerun((run) => Object.assign(run, { pull_requests: [], external_id: String(PR_NUMBER) })));
    expect(app.calls()).toHaveLength(REEVALUATION.length + 1);
  });

  it("ignores other checks and other apps' runs without a request", async () => {
    await app.probot.receive(rerun((run) => (run.name = "CI")));
    await app.probot.receive(rerun((run) => (run.app.id = 999)));
    expect(app.calls()).toEqual([]);
  });

  it("check_suite: re-evaluates its PRs, only for Lockstep's suite", async () => {
    const suite = (appId: number, prs: number[]) =>
      payload("check_suite", "rerequested", (p) => {
        p.repository = repository();
        Object.assign(p.check_suite, { head_sha: HEAD_SHA, app: { ...p.check_suite.app, id: appId }, pull_requests: prs.map((number) => ({ number })) });
      });
    await app.probot.receive(suite(999, [PR_NUMBER]));
    expect(app.calls()).toEqual([]);

    reevaluation();
    await app.probot.receive(suite(APP_ID, [PR_NUMBER]));
    expect(app.calls()).toEqual([...REEVALUATION, `GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`, `PATCH ${REPO_PATH}/check-runs/55`]);
  });

  it("check_suite without PRs (a fork): finds the open PR of its head sha", async () => {
    gh.scope().get(`${REPO_PATH}/commits/${HEAD_SHA}/pulls`).reply(200, [pullRequest((pr) => Object.assign(pr, { number: PR_NUMBER, head: { ...pr.head, sha: HEAD_SHA } }))]);
    reevaluation();
    await app.probot.receive(
      payload("check_suite", "rerequested", (p) => {
        p.repository = repository();
        Object.assign(p.check_suite, { head_sha: HEAD_SHA, app: { ...p.check_suite.app, id: APP_ID }, pull_requests: [] });
      }),
    );
    expect(app.calls()).toHaveLength(REEVALUATION.length + 3);
  });
});

describe("issue_comment", () => {
  const comment = (action: string, adjust: (p: Record<string, any>) => void) =>
    payload("issue_comment", action, (p) => {
      p.repository = repository();
      p.issue.number = PR_NUMBER;
      p.issue.state = "open";
      p.issue.pull_request = { url: `https://api.github.com${REPO_PATH}/pulls/${PR_NUMBER}` };
      adjust(p);
    });

  it("/lockstep recheck by the PR author re-evaluates, with no permission lookup", async () => {
    reevaluation();
    await app.probot.receive(comment("created", (p) => ((p.comment.body = "Please\n/lockstep recheck\n"), (p.sender.login = p.issue.user.login))));
    expect(app.calls()).toHaveLength(REEVALUATION.length + 2);
  });

  it("/lockstep recheck by someone with write access re-evaluates", async () => {
    gh.scope().get(/\/collaborators\/.+\/permission$/).reply(200, { permission: "write", role_name: "write", user: null });
    reevaluation();
    await app.probot.receive(comment("created", (p) => ((p.comment.body = "/lockstep recheck"), (p.sender.login = "writer"))));
    expect(app.calls()).toEqual([TOKEN, `GET ${REPO_PATH}/collaborators/writer/permission`, ...REEVALUATION.slice(1), expect.any(String), expect.any(String)]);
  });

  it("/lockstep recheck by someone without write access is refused with a reply", async () => {
    const replies: Record<string, any>[] = [];
    gh.token();
    gh.scope()
      .get(`${REPO_PATH}/collaborators/outsider/permission`).reply(200, { permission: "read", role_name: "read", user: null })
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`, capture(replies)).reply(201, {});
    await app.probot.receive(comment("created", (p) => ((p.comment.body = "/lockstep recheck"), (p.sender.login = "outsider"))));
    expect(replies[0]!.body).toBe("@outsider `/lockstep recheck` is for the pull request's author and people with write access.");
  });

  it("an unknown /lockstep command gets a reply with the usage", async () => {
    const replies: Record<string, any>[] = [];
    gh.token();
    gh.scope().post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`, capture(replies)).reply(201, {});
    await app.probot.receive(comment("created", (p) => (p.comment.body = "/lockstep approve")));
    expect(replies[0]!.body).toMatch(/Unknown command `approve`\. Usage: `\/lockstep recheck` or `\/lockstep waive <checklist-id> <reason>`/);
  });

  it("other comments, comments on issues, closed PRs and bots are ignored without a request", async () => {
    await app.probot.receive(comment("created", (p) => (p.comment.body = "LGTM, but /lockstep recheck later?")));
    await app.probot.receive(comment("created", (p) => ((p.comment.body = "/lockstep recheck"), delete p.issue.pull_request)));
    await app.probot.receive(comment("created", (p) => ((p.comment.body = "/lockstep recheck"), (p.issue.state = "closed"))));
    await app.probot.receive(comment("created", (p) => ((p.comment.body = "/lockstep recheck"), (p.sender.type = "Bot"))));
    expect(app.calls()).toEqual([]);
  });

  it("Lockstep's own edit of its comment comes back as an event: ignored (no loop)", async () => {
    await app.probot.receive(
      comment("edited", (p) => {
        p.comment = { ...p.comment, ...ownComment(1000, `${COMMENT_MARKER}\nbody`) };
        p.sender = { ...p.sender, login: "lockstep[bot]", type: "Bot" };
      }),
    );
    expect(app.calls()).toEqual([]);
  });

  it("a person's edit of Lockstep's comment re-renders it", async () => {
    reevaluation();
    await app.probot.receive(comment("edited", (p) => (p.comment = { ...p.comment, ...ownComment(1000, `${COMMENT_MARKER}\n- [x] ticked`) })));
    expect(app.calls()).toHaveLength(REEVALUATION.length + 2);
  });

  it("an edit of a comment that only copies the marker is ignored", async () => {
    await app.probot.receive(comment("edited", (p) => (p.comment.body = `${COMMENT_MARKER}\nforged`)));
    expect(app.calls()).toEqual([]);
  });

  it("a marker comment by a bot without performed_via_github_app is recognised by the App's slug", async () => {
    gh.scope().get("/app").reply(200, { id: APP_ID, slug: "lockstep", name: "Lockstep" });
    reevaluation();
    await app.probot.receive(
      comment("edited", (p) => {
        p.comment = { ...p.comment, ...ownComment(1000, `${COMMENT_MARKER}\nx`), performed_via_github_app: null };
      }),
    );
    expect(app.calls()[0]).toBe("GET /app");
  });
});

describe("pull_request_review", () => {
  it.each(["submitted", "dismissed"])("%s re-evaluates (the payload lacks changed_files: no extra request)", async (action) => {
    gh.token();
    gh.config();
    gh.orgConfig();
    gh.files([prFile("README.md")]);
    gh.comments([]);
    gh.scope()
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`).reply(201, { id: 1 });
    await app.probot.receive(payload("pull_request_review", action));
    expect(app.calls()).toHaveLength(7);
  });
});
