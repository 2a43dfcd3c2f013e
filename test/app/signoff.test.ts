import { describe, expect, it } from "vitest";
import { readRecord, stateKey } from "../../src/signoff/record.js";
import { capture, CONFIG, gh, ownComment, prFile, REPO_PATH } from "../helpers/github-nock.js";
import { HEAD_SHA, payload, PR_NUMBER, pullRequest, repository } from "../helpers/payloads.js";
import { nockedApp } from "../helpers/nocked-app.js";

// Sign-off end to end through the App: ticks, approvals, waivers, resets and cheating attempts.
const SIGNOFF_CONFIG = `${CONFIG}\nrequest_review_at: never\nlabels: false\n`;
const KEY = stateKey(process.env);
const REPO_ID = (repository() as { id: number }).id;
const AUTHOR = "Codertocat";
const MIGRATION = prFile("db/migrate/20260101_add_dob.rb", ["add_column :users, :date_of_birth, :date"]);
const PHONE = prFile("db/migrate/20260102_add_phone.rb", ["add_column :users, :phone_number, :string"]);

const app = nockedApp();

/** Opens a high-risk PR and returns the comment Lockstep created. */
async function open(): Promise<string> {
  const comments: { body: string }[] = [];
  gh.token();
  gh.config(SIGNOFF_CONFIG);
  gh.orgConfig();
  gh.files([MIGRATION]);
  gh.scope()
    .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`, capture(comments)).reply(201, ownComment(1000, "x"))
    .post(`${REPO_PATH}/check-runs`).reply(201, { id: 1 });
  await app.probot.receive(payload("pull_request", "opened"));
  return comments[0]!.body;
}

/**
 * Mocks one re-evaluation of PR #7 whose current Lockstep comment is `current`, and returns what
 * Lockstep writes: the comment edits and the check run updates.
 */
function reevaluate(current: string, files: unknown[] = [MIGRATION], options: { fetchPull?: boolean } = {}) {
  const edits: { body: string }[] = [];
  const checks: Record<string, any>[] = [];
  if (options.fetchPull !== false) gh.pull(pullRequest((pr) => Object.assign(pr, { number: PR_NUMBER, head: { ...pr.head, sha: HEAD_SHA }, html_url: `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}` })));
  gh.config(SIGNOFF_CONFIG);
  // The org config read by the first event is cached (5 minutes): not read again.
  gh.files(files);
  gh.comments([ownComment(1000, current)]);
  gh.scope()
    .patch(`${REPO_PATH}/issues/comments/1000`, capture(edits)).optionally().reply(200, ownComment(1000, "x"))
    // The run `open()` created is remembered by this process: updated without a lookup.
    .patch(`${REPO_PATH}/check-runs/1`, capture(checks)).reply(200, { id: 1 });
  return { edits, checks };
}

/** Ticks (or unticks) an item's box in a comment body, as GitHub's task list does. */
function tick(body: string, item: string, checked = true): string {
  const line = new RegExp(`^- \\[[ x]\\] (<!-- item:personal-data/${item} -->)`, "m");
  return body.replace(line, `- [${checked ? "x" : " "}] $1`);
}

const edited = (before: string, after: string, sender: string) =>
  payload("issue_comment", "edited", (p) => {
    p.repository = repository();
    Object.assign(p.issue, { number: PR_NUMBER, state: "open", pull_request: { url: "x" }, user: { ...p.issue.user, login: AUTHOR } });
    p.comment = { ...p.comment, ...ownComment(1000, after) };
    p.changes = { body: { from: before } };
    p.sender = { ...p.sender, login: sender, type: "User" };
  });

const reviewed = (action: "submitted" | "dismissed", reviewer: string, state: string, id = 501) =>
  payload("pull_request_review", action, (p) => {
    p.repository = repository();
    p.pull_request.user = { ...p.pull_request.user, login: AUTHOR };
    p.review = { ...p.review, id, state, user: { ...p.review.user, login: reviewer } };
  });

const stateOf = (body: string) => {
  const r = readRecord(body, KEY, REPO_ID, PR_NUMBER);
  if (r.kind !== "valid") throw new Error(`record is ${r.kind}`);
  return r.state;
};

describe("ticking Lockstep's comment", () => {
  it("counsel's tick is recorded with who and when; the author's tick of their item completes the sign-off", async () => {
    const body = await open();
    expect(body).toContain("- [ ] <!-- item:personal-data/lawful-basis -->");
    expect(stateOf(body).checklists).toEqual({});

    // alice is counsel (config users): her tick counts.
    const first = reevaluate(tick(body, "lawful-basis"));
    await app.probot.receive(edited(body, tick(body, "lawful-basis"), "alice"));
    const afterAlice = first.edits[0]!.body;
    expect(afterAlice).toMatch(/- \[x\] <!-- item:personal-data\/lawful-basis --> .* — signed off by @alice on \d{4}-\d\d-\d\d/);
    expect(stateOf(afterAlice).checklists["personal-data"]!.items["lawful-basis"]).toMatchObject({ by: "alice", via: "tick" });
    expect(first.checks[0]).toMatchObject({ conclusion: "action_required" });
    expect(first.checks[0]!.output.summary).toContain("`personal-data/retention`: ⏳ waiting for author");

    // The PR author ticks the author item: every item is signed off, the check turns success.
    const second = reevaluate(tick(afterAlice, "retention"));
    await app.probot.receive(edited(afterAlice, tick(afterAlice, "retention"), AUTHOR));
    expect(second.checks[0]).toMatchObject({ conclusion: "success" });
    expect(second.checks[0]!.output.summary).toContain("`personal-data/lawful-basis`: ✅ @alice");
  });

  it("reverts a tick by someone without the right, and says who tried what and why", async () => {
    const body = await open();
    const { edits, checks } = reevaluate(tick(body, "lawful-basis"));
    // mallory is in no team (404) and not counsel.
    gh.scope().get(`/orgs/Codertocat/teams/legal/memberships/mallory`).reply(404, { message: "Not Found" });
    await app.probot.receive(edited(body, tick(body, "lawful-basis"), "mallory"));
    expect(edits[0]!.body).toContain("- [ ] <!-- item:personal-data/lawful-basis -->");
    expect(edits[0]!.body).toMatch(/@mallory tried to tick it: only counsel \(as configured in \.github\/compliance\.yml\) can sign off counsel items \(`personal-data\/lawful-basis`\); not accepted, so it was reverted\./);
    expect(stateOf(edits[0]!.body).log.at(-1)).toMatchObject({ action: "refused", by: "mallory", item: "lawful-basis" });
    expect(checks[0]).toMatchObject({ conclusion: "action_required" });
  });

  it("the PR author cannot tick counsel items, even as a member of the counsel team", async () => {
    const body = await open();
    const { edits } = reevaluate(tick(body, "lawful-basis"));
    gh.scope().get(`/orgs/Codertocat/teams/legal/memberships/${AUTHOR}`).reply(200, { state: "active", role: "member", url: "x" });
    await app.probot.receive(edited(body, tick(body, "lawful-basis"), AUTHOR));
    expect(edits[0]!.body).toContain("- [ ] <!-- item:personal-data/lawful-basis -->");
    expect(edits[0]!.body).toContain(`@${AUTHOR} tried to tick it: the PR author cannot sign off counsel items of their own pull request`);
  });

  it("an author item can be ticked by someone with write access, not by a reader", async () => {
    const body = await open();
    const writer = reevaluate(tick(body, "retention"));
    gh.scope().get(`${REPO_PATH}/collaborators/wendy/permission`).reply(200, { permission: "write", role_name: "write", user: null });
    await app.probot.receive(edited(body, tick(body, "retention"), "wendy"));
    expect(stateOf(writer.edits[0]!.body).checklists["personal-data"]!.items.retention).toMatchObject({ by: "wendy" });

    const reader = reevaluate(tick(body, "retention"));
    gh.scope().get(`${REPO_PATH}/collaborators/randy/permission`).reply(200, { permission: "read", role_name: "read", user: null });
    await app.probot.receive(edited(body, tick(body, "retention"), "randy"));
    expect(reader.edits[0]!.body).toContain("- [ ] <!-- item:personal-data/retention -->");
  });

  it("ignores a hand-edited record, restores the last valid one and says so in the comment and the check", async () => {
    const body = await open();
    const signed = reevaluate(tick(body, "lawful-basis"));
    await app.probot.receive(edited(body, tick(body, "lawful-basis"), "alice"));
    const good = signed.edits[0]!.body;
    // A writer pastes a record from another PR's comment (or edits it by hand) while ticking a box.
    const forgedRecord = good.replace(/<!-- lockstep:state v1 ([A-Za-z0-9_-]+)\./, (_m, p: string) => `<!-- lockstep:state v1 ${p.slice(0, -4)}AAAA.`);
    const after = tick(forgedRecord, "retention");
    const { edits, checks } = reevaluate(after);
    await app.probot.receive(edited(good, after, AUTHOR));
    const restored = stateOf(edits[0]!.body);
    expect(restored.checklists["personal-data"]!.items["lawful-basis"]).toMatchObject({ by: "alice" });
    expect(restored.checklists["personal-data"]!.items.retention).toMatchObject({ by: AUTHOR });
    expect(restored.log.some((e) => e.action === "restored")).toBe(true);
    expect(edits[0]!.body).toContain("A sign-off record that failed verification was ignored");
    expect(checks[0]!.output.summary).toMatch(/Ignored a sign-off record that failed verification \(the sign-off record's signature does not match .*\); the last valid record was restored\./);
  });

  it("a tick made on the comment of an older push (racing a new push) is refused, not applied to the new code", async () => {
    const body = await open(); // its record says HEAD_SHA
    const NEW = "3".repeat(40);
    const edits: { body: string }[] = [];
    gh.pull(pullRequest((pr) => Object.assign(pr, { number: PR_NUMBER, updated_at: "2030-01-01T00:00:00Z", head: { ...pr.head, sha: NEW }, html_url: `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}` })));
    gh.config(SIGNOFF_CONFIG);
    // The org config read by the first event is cached (5 minutes): not read again.
    gh.files([MIGRATION, PHONE]);
    gh.comments([ownComment(1000, tick(body, "lawful-basis"))]);
    gh.scope()
      .patch(`${REPO_PATH}/issues/comments/1000`, capture(edits)).reply(200, ownComment(1000, "x"))
      .get(`${REPO_PATH}/commits/${NEW}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`).reply(201, { id: 3 });
    await app.probot.receive(edited(body, tick(body, "lawful-basis"), "alice"));
    expect(edits[0]!.body).toContain("- [ ] <!-- item:personal-data/lawful-basis -->");
    expect(edits[0]!.body).toContain("@alice tried to tick it: the comment showed ec26c3e, but 3333333 was pushed meanwhile; tick again on the current version");
  });

  it("a record replayed from another pull request does not verify", async () => {
    const body = await open();
    expect(readRecord(body, KEY, REPO_ID, PR_NUMBER + 1).kind).toBe("invalid");
    expect(readRecord(body, KEY, REPO_ID + 1, PR_NUMBER).kind).toBe("invalid");
  });
});

describe("reviews", () => {
  it("an approving review by counsel (team member) signs off counsel items; dismissing it withdraws them", async () => {
    const body = await open();
    const approved = reevaluate(body, [MIGRATION], { fetchPull: false });
    gh.scope().get(`/orgs/Codertocat/teams/legal/memberships/lee`).reply(200, { state: "active", role: "member", url: "x" });
    await app.probot.receive(reviewed("submitted", "lee", "approved"));
    const afterApproval = approved.edits[0]!.body;
    expect(afterApproval).toMatch(/- \[x\] <!-- item:personal-data\/lawful-basis --> .* — signed off by @lee on .* \(approving review\)/);
    expect(afterApproval).toContain("- [ ] <!-- item:personal-data/retention -->");

    const dismissed = reevaluate(afterApproval, [MIGRATION], { fetchPull: false });
    await app.probot.receive(reviewed("dismissed", "lee", "dismissed"));
    expect(dismissed.edits[0]!.body).toContain("- [ ] <!-- item:personal-data/lawful-basis -->");
    expect(dismissed.edits[0]!.body).toContain("dismissed an approving review");
    expect(dismissed.checks[0]).toMatchObject({ conclusion: "action_required" });
  });

  it("the author's own approval signs off nothing", async () => {
    const body = await open();
    reevaluate(body, [MIGRATION], { fetchPull: false });
    gh.scope().get(`/orgs/Codertocat/teams/legal/memberships/${AUTHOR}`).optionally().reply(200, { state: "active", role: "member", url: "x" });
    await app.probot.receive(reviewed("submitted", AUTHOR, "approved"));
    // Nothing changed, so the comment is not even edited.
    expect(app.calls()).not.toContain(`PATCH ${REPO_PATH}/issues/comments/1000`);
  });
});

describe("sign-off holds for what was reviewed", () => {
  async function fullySigned(): Promise<string> {
    const body = await open();
    const a = reevaluate(tick(body, "lawful-basis"));
    await app.probot.receive(edited(body, tick(body, "lawful-basis"), "alice"));
    const b = reevaluate(tick(a.edits[0]!.body, "retention"));
    await app.probot.receive(edited(a.edits[0]!.body, tick(a.edits[0]!.body, "retention"), AUTHOR));
    expect(b.checks[0]).toMatchObject({ conclusion: "success" });
    return b.edits[0]!.body;
  }

  const pushed = (sha: string) =>
    payload("pull_request", "synchronize", (p) => {
      p.pull_request.head.sha = sha;
      // A push updates the PR: its events are newer than those about the previous head.
      p.pull_request.updated_at = "2030-01-01T00:00:00Z";
      p.pull_request.user = { ...p.pull_request.user, login: AUTHOR };
    });

  it("a push that adds nothing new keeps the sign-off", async () => {
    const body = await fullySigned();
    const checks: Record<string, any>[] = [];
    gh.config(SIGNOFF_CONFIG);
    // The org config read by the first event is cached (5 minutes): not read again.
    gh.files([MIGRATION, prFile("README.md")]);
    gh.comments([ownComment(1000, body)]);
    gh.scope().post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 2 })
      .patch(`${REPO_PATH}/issues/comments/1000`).optionally().reply(200, ownComment(1000, "x"));
    await app.probot.receive(pushed("1111111111111111111111111111111111111111"));
    expect(checks[0]).toMatchObject({ conclusion: "success", head_sha: "1111111111111111111111111111111111111111" });
  });

  it("a push that makes the checklist fire on something new resets it, and the comment says so", async () => {
    const body = await fullySigned();
    const edits: { body: string }[] = [];
    const checks: Record<string, any>[] = [];
    gh.config(SIGNOFF_CONFIG);
    // The org config read by the first event is cached (5 minutes): not read again.
    gh.files([MIGRATION, PHONE]);
    gh.comments([ownComment(1000, body)]);
    gh.scope()
      .patch(`${REPO_PATH}/issues/comments/1000`, capture(edits)).reply(200, ownComment(1000, "x"))
      .post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 2 });
    await app.probot.receive(pushed("2222222222222222222222222222222222222222"));
    expect(checks[0]).toMatchObject({ conclusion: "action_required" });
    expect(edits[0]!.body).toContain("- [ ] <!-- item:personal-data/lawful-basis -->");
    expect(edits[0]!.body).toMatch(/Sign-off of `personal-data` was reset: new trigger in db\/migrate\/20260102\\_add\\_phone\.rb:1 at `2222222`/);
  });
});

describe("/lockstep waive", () => {
  const command = (body: string, sender: string) =>
    payload("issue_comment", "created", (p) => {
      p.repository = repository();
      Object.assign(p.issue, { number: PR_NUMBER, state: "open", pull_request: { url: "x" }, user: { ...p.issue.user, login: AUTHOR } });
      p.comment.body = body;
      p.sender = { ...p.sender, login: sender, type: "User" };
    });

  it("counsel waives a checklist with a reason: recorded, shown, and the check passes", async () => {
    const body = await open();
    const { edits, checks } = reevaluate(body);
    await app.probot.receive(command("/lockstep waive personal-data Covered by DPIA-2026-14, signed in March", "alice"));
    expect(edits[0]!.body).toContain("> Waived by @alice on");
    expect(edits[0]!.body).toContain("Covered by DPIA-2026-14, signed in March");
    expect(stateOf(edits[0]!.body).checklists["personal-data"]!.waived).toMatchObject({ by: "alice", reason: "Covered by DPIA-2026-14, signed in March" });
    expect(checks[0]).toMatchObject({ conclusion: "success" });
  });

  it("a waiver by someone who is not counsel is refused with a reply that says why", async () => {
    const body = await open();
    const replies: { body: string }[] = [];
    const { checks } = reevaluate(body);
    gh.scope()
      .get(`/orgs/Codertocat/teams/legal/memberships/${AUTHOR}`).reply(404, { message: "Not Found" })
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`, capture(replies)).reply(201, {});
    await app.probot.receive(command("/lockstep waive personal-data We really need to ship this today", AUTHOR));
    expect(replies[0]!.body).toBe(`@${AUTHOR} The waiver of \`personal-data\` was not accepted: the PR author cannot waive counsel checklists of their own pull request.`);
    expect(checks[0]).toMatchObject({ conclusion: "action_required" });
  });
});
