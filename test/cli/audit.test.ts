import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyState, encodeRecord, stateKey, type SignoffState } from "../../src/signoff/record.js";
import { runCli } from "./run-cli.js";

const API = "https://ghe.example.test/api/v3";
const TOKEN = "ghp_TopSecretToken123";
const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: API, LOCKSTEP_STATE_KEY: "audit-test-key" };
const key = stateKey(env);
const REPO_ID = 4242;
const MARKER = "<!-- lockstep:comment -->";

/** A realistic record: fired checklists, a tick, a counsel approval, a waiver and log events. */
function signedState(pr: number, repo = REPO_ID): SignoffState {
  return {
    ...emptyState(repo, pr),
    sha: "abc123",
    risk: "high",
    fired: { "personal-data-fields": "high", "auth-flows": "medium" },
    checklists: {
      "personal-data-fields": {
        items: {
          purpose: { by: "dev", at: "2026-11-02T10:00:00Z", via: "tick" },
          "lawful-basis": { by: "counsel-ann", at: "2026-11-03T09:00:00Z", via: "review", review: 77 },
        },
        reviewed: ["fp1"],
      },
      "auth-flows": { items: {}, waived: { by: "counsel-ann", at: "2026-11-03T09:05:00Z", via: "waive", reason: "no change, to what is collected" }, reviewed: [] },
    },
    log: [
      { at: "2026-11-02T10:00:00Z", by: "dev", action: "tick", checklist: "personal-data-fields", item: "purpose" },
      { at: "2026-11-02T11:00:00Z", by: "mallory", action: "refused", checklist: "personal-data-fields", item: "lawful-basis", reason: "only counsel can sign off counsel items" },
      { at: "2026-11-03T09:00:00Z", by: "counsel-ann", action: "approve", checklist: "personal-data-fields", sha: "abc123" },
    ],
  };
}

const bot = { login: "lockstep[bot]", type: "Bot" };
const human = { login: "mallory", type: "User" };
const comment = (id: number, body: string, user = bot) => ({ id, body, user, html_url: `https://ghe.example.test/acme/shop/pull/x#issuecomment-${id}` });
const lockstepComment = (id: number, state: SignoffState) => comment(id, `${MARKER}\n## Lockstep: high risk\n${encodeRecord(state, key)}`);

function pull(number: number, over: Record<string, unknown> = {}) {
  return {
    number,
    title: `PR ${number}`,
    user: { login: "dev" },
    html_url: `https://ghe.example.test/acme/shop/pull/${number}`,
    state: "open",
    merged_at: null,
    closed_at: null,
    updated_at: "2026-11-20T00:00:00Z",
    head: { sha: `head${number}` },
    ...over,
  };
}

const LIST = { state: "all", sort: "updated", direction: "desc", per_page: "100" };

function github() {
  return nock(API).get("/repos/acme/shop").reply(200, { id: REPO_ID, full_name: "acme/shop" });
}
function comments(scope: nock.Scope, number: number, body: unknown[]) {
  return scope.get(`/repos/acme/shop/issues/${number}/comments`).query({ per_page: "100" }).reply(200, body);
}
const audit = (...args: string[]) => runCli(["audit", "--repo", "acme/shop", ...args], { cwd: "/", env });

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

function parseCsv(text: string): string[][] {
  // Enough of RFC 4180 for the tests: quoted fields with doubled quotes, CRLF rows.
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += ch;
  }
  return rows;
}
const byColumn = (rows: string[][]) => rows.slice(1).map((r) => Object.fromEntries(rows[0]!.map((c, i) => [c, r[i]!])));

describe("lockstep audit", () => {
  it("exports a verified record as CSV: the PR, one row per sign-off and one per log event", async () => {
    const scope = github().get("/repos/acme/shop/pulls").query(LIST).reply(200, [pull(12, { state: "closed", merged_at: "2026-11-04T00:00:00Z", closed_at: "2026-11-04T00:00:00Z" })]);
    comments(scope, 12, [comment(1, "LGTM", human), lockstepComment(2, signedState(12))]);
    const { code, stdout, stderr } = await audit();
    expect(stderr).toBe("lockstep audit: acme/shop: 1 pull request, 1 judged by Lockstep: 1 valid, 0 invalid, 0 without a record\n");
    expect(code).toBe(0);
    expect(scope.isDone()).toBe(true);
    const rows = parseCsv(stdout);
    expect(rows[0]).toEqual(["repo", "pr", "title", "author", "state", "head_sha", "verified", "risk", "checklists", "row", "checklist", "item", "by", "at", "via", "action", "sha", "reason"]);
    const records = byColumn(rows);
    expect(records.map((r) => [r.row, r.checklist, r.item, r.by, r.via || r.action])).toEqual([
      ["pr", "", "", "", ""],
      ["signoff", "auth-flows", "", "counsel-ann", "waive"],
      ["signoff", "personal-data-fields", "lawful-basis", "counsel-ann", "review"],
      ["signoff", "personal-data-fields", "purpose", "dev", "tick"],
      ["event", "personal-data-fields", "purpose", "dev", "tick"],
      ["event", "personal-data-fields", "lawful-basis", "mallory", "refused"],
      ["event", "personal-data-fields", "", "counsel-ann", "approve"],
    ]);
    expect(records[0]).toMatchObject({ repo: "acme/shop", pr: "12", title: "PR 12", author: "dev", state: "merged", head_sha: "head12", verified: "valid", risk: "high", checklists: "personal-data-fields:high; auth-flows:medium", sha: "abc123" });
    expect(records[1]).toMatchObject({ at: "2026-11-03T09:05:00Z", reason: "no change, to what is collected" });
    expect(records.every((r) => r.verified === "valid" && r.pr === "12")).toBe(true);
    expect(stdout).toContain('"no change, to what is collected"');
  });

  it("reports a forged record and one replayed from another PR as invalid, drops their content, exits 1", async () => {
    const forged = lockstepComment(5, signedState(21));
    const payload = /v1 ([^.]+)\./.exec(forged.body)![1]!;
    const edited = Buffer.from(Buffer.from(payload, "base64url").toString().replaceAll('"counsel-ann"', '"dev"')).toString("base64url");
    forged.body = forged.body.replace(payload, edited);
    const scope = github().get("/repos/acme/shop/pulls").query(LIST).reply(200, [pull(21), pull(22), pull(23)]);
    comments(scope, 21, [forged]);
    comments(scope, 22, [lockstepComment(6, signedState(99))]); // copied from PR 99
    comments(scope, 23, [lockstepComment(7, signedState(23, 1))]); // copied from another repository
    const { code, stdout, stderr } = await audit();
    expect(code).toBe(1);
    const records = byColumn(parseCsv(stdout));
    expect(records.map((r) => [r.pr, r.row, r.risk, r.checklists])).toEqual([
      ["21", "pr", "", ""],
      ["22", "pr", "", ""],
      ["23", "pr", "", ""],
    ]);
    expect(records[0]!.verified).toMatch(/^invalid: the sign-off record's signature does not match/);
    expect(records[1]!.verified).toMatch(/^invalid: /);
    expect(stderr).toMatch(/^lockstep audit: #21: invalid record: .*not trusted/m);
    expect(stderr).toMatch(/^lockstep audit: #22: invalid record: /m);
    expect(stderr).toMatch(/^lockstep audit: #23: invalid record: /m);
    expect(stderr).toContain("3 judged by Lockstep: 0 valid, 3 invalid, 0 without a record");
  });

  it("ignores a person's copy of the marker and takes the bot's comment", async () => {
    const copy = { ...lockstepComment(3, signedState(31)), user: human };
    const scope = github().get("/repos/acme/shop/pulls").query(LIST).reply(200, [pull(31), pull(32), pull(33)]);
    comments(scope, 31, [copy]); // only a human copy: Lockstep never judged it
    comments(scope, 32, [{ ...copy, id: 4, body: `${MARKER}\n<!-- lockstep:state v1 e30.${"0".repeat(64)} -->` }, lockstepComment(9, signedState(32))]);
    comments(scope, 33, [comment(10, `${MARKER}\nNothing fires any more.`)]);
    const { code, stdout, stderr } = await audit("--format", "json");
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { summary: unknown; pulls: { number: number; verified: string; comment_url: string }[] };
    expect(doc.summary).toEqual({ listed: 3, judged: 2, valid: 1, invalid: 0, missing: 1 });
    expect(doc.pulls.map((p) => [p.number, p.verified])).toEqual([
      [32, "valid"],
      [33, "missing"],
    ]);
    expect(doc.pulls[0]!.comment_url).toMatch(/#issuecomment-9$/);
    expect(stderr).toContain("1 valid, 0 invalid, 1 without a record");
  });

  it("prints the documented JSON shape", async () => {
    const scope = github().get("/repos/acme/shop/pulls").query(LIST).reply(200, [pull(12)]);
    comments(scope, 12, [lockstepComment(2, signedState(12))]);
    const { code, stdout } = await audit("--format", "json", "--since", "2026-11-01");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      version: 1,
      lockstep_version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      repository: { full_name: "acme/shop", id: REPO_ID },
      generated_at: expect.any(String),
      filters: { since: "2026-11-01T00:00:00.000Z", state: "all" },
      summary: { listed: 1, judged: 1, valid: 1, invalid: 0, missing: 0 },
      pulls: [
        {
          repo: "acme/shop",
          number: 12,
          title: "PR 12",
          author: "dev",
          url: "https://ghe.example.test/acme/shop/pull/12",
          state: "open",
          head_sha: "head12",
          updated_at: "2026-11-20T00:00:00Z",
          merged_at: null,
          closed_at: null,
          comment_url: expect.stringMatching(/#issuecomment-2$/),
          verified: "valid",
          invalid_reason: null,
          record: {
            sha: "abc123",
            risk: "high",
            checklists: [
              { id: "personal-data-fields", risk: "high" },
              { id: "auth-flows", risk: "medium" },
            ],
            signoffs: [
              { checklist: "auth-flows", item: null, by: "counsel-ann", at: "2026-11-03T09:05:00Z", via: "waive", review: null, reason: "no change, to what is collected" },
              { checklist: "personal-data-fields", item: "lawful-basis", by: "counsel-ann", at: "2026-11-03T09:00:00Z", via: "review", review: 77, reason: null },
              { checklist: "personal-data-fields", item: "purpose", by: "dev", at: "2026-11-02T10:00:00Z", via: "tick", review: null, reason: null },
            ],
            events: signedState(12).log,
          },
        },
      ],
    });
  });

  it("follows pagination of pull requests and comments", async () => {
    const scope = github()
      .get("/repos/acme/shop/pulls")
      .query(LIST)
      .reply(200, [pull(42)], { link: `<${API}/repositories/${REPO_ID}/pulls?state=all&sort=updated&direction=desc&per_page=100&page=2>; rel="next"` })
      .get(`/repositories/${REPO_ID}/pulls`)
      .query({ ...LIST, page: "2" })
      .reply(200, [pull(41)])
      .get("/repos/acme/shop/issues/42/comments")
      .query({ per_page: "100" })
      .reply(200, [comment(1, "first page", human)], { link: `<${API}/repositories/${REPO_ID}/issues/42/comments?per_page=100&page=2>; rel="next"` })
      .get(`/repositories/${REPO_ID}/issues/42/comments`)
      .query({ per_page: "100", page: "2" })
      .reply(200, [lockstepComment(2, signedState(42))]);
    comments(scope, 41, [lockstepComment(3, signedState(41))]);
    const { code, stdout } = await audit("--format", "json");
    expect(code).toBe(0);
    expect(scope.isDone()).toBe(true);
    expect((JSON.parse(stdout) as { pulls: { number: number; verified: string }[] }).pulls.map((p) => [p.number, p.verified])).toEqual([
      [42, "valid"],
      [41, "valid"],
    ]);
  });

  it("--since stops paging at the first pull request updated before DATE", async () => {
    // Page 2 is never requested: nock refuses any request it was not told about.
    const scope = github()
      .get("/repos/acme/shop/pulls")
      .query({ ...LIST, state: "closed" })
      .reply(200, [pull(8, { updated_at: "2026-11-10T12:00:00Z", state: "closed", closed_at: "2026-11-10T12:00:00Z" }), pull(7, { updated_at: "2026-11-09T23:59:59Z" })], {
        link: `<${API}/repositories/${REPO_ID}/pulls?page=2>; rel="next"`,
      });
    comments(scope, 8, [lockstepComment(2, signedState(8))]);
    const { code, stdout, stderr } = await audit("--since", "2026-11-10", "--state", "closed");
    expect(code).toBe(0);
    expect(scope.isDone()).toBe(true);
    expect(byColumn(parseCsv(stdout))[0]).toMatchObject({ pr: "8", state: "closed" });
    expect(stderr).toContain("1 pull request updated since 2026-11-10T00:00:00.000Z, 1 judged");
  });

  it("quotes CSV fields and defuses spreadsheet formulas in titles and reasons", async () => {
    const state = signedState(5);
    state.log = [{ at: "2026-11-02T10:00:00Z", by: "counsel-ann", action: "waive", checklist: "auth-flows", reason: '=HYPERLINK("http://evil","click")' }];
    const scope = github()
      .get("/repos/acme/shop/pulls")
      .query(LIST)
      .reply(200, [pull(5, { title: 'Add "phone", to\nsignup', user: { login: "-dev" } }), pull(6, { title: "@SUM(A1)+cmd" })]);
    comments(scope, 5, [lockstepComment(1, state)]);
    comments(scope, 6, [comment(2, MARKER)]);
    const { stdout } = await audit();
    const lines = stdout.split("\r\n");
    expect(lines[1]).toMatch(/^acme\/shop,5,"Add ""phone"", to\nsignup",'-dev,open,/);
    expect(stdout).toContain(`"'=HYPERLINK(""http://evil"",""click"")"`);
    expect(stdout).toContain(",'@SUM(A1)+cmd,");
    const records = byColumn(parseCsv(stdout));
    expect(records[0]!.title).toBe('Add "phone", to\nsignup');
    expect(records.at(-1)!.verified).toBe("missing");
  });

  it("reads GitHub Enterprise's API from GHE_HOST and GHE_PROTOCOL", async () => {
    const scope = nock("http://ghe.internal")
      .get("/api/v3/repos/acme/shop")
      .reply(200, { id: REPO_ID, full_name: "acme/shop" })
      .get("/api/v3/repos/acme/shop/pulls")
      .query(LIST)
      .reply(200, []);
    const ghe = { GITHUB_TOKEN: TOKEN, GHE_HOST: "ghe.internal", GHE_PROTOCOL: "http", WEBHOOK_SECRET: "s" };
    const { code, stdout } = await runCli(["audit", "--repo", "acme/shop"], { cwd: "/", env: ghe });
    expect(code).toBe(0);
    expect(scope.isDone()).toBe(true);
    expect(stdout).toBe("repo,pr,title,author,state,head_sha,verified,risk,checklists,row,checklist,item,by,at,via,action,sha,reason\r\n");
  });

  it("verifies with the key derived from WEBHOOK_SECRET when LOCKSTEP_STATE_KEY is unset", async () => {
    const secretEnv = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: API, WEBHOOK_SECRET: "hook-secret" };
    const body = `${MARKER}\n${encodeRecord(signedState(3), stateKey(secretEnv))}`;
    const scope = github().get("/repos/acme/shop/pulls").query(LIST).reply(200, [pull(3)]);
    comments(scope, 3, [comment(1, body)]);
    const { code } = await runCli(["audit", "--repo", "acme/shop"], { cwd: "/", env: secretEnv });
    expect(code).toBe(0);
  });

  it.each([
    [401, { message: "Bad credentials" }, {}, "GitHub rejected GITHUB_TOKEN"],
    [404, { message: "Not Found" }, {}, "repository acme/shop was not found, or GITHUB_TOKEN cannot read it (404)"],
    [403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1800000000" }, "GitHub's rate limit is exhausted; try again after 2027-01-15T08:00:00.000Z"],
    [500, { message: "boom" }, {}, "GitHub answered 500: boom"],
  ])("exits 2 on an API error %i without printing the token", async (status, body, headers, message) => {
    nock(API).get("/repos/acme/shop").reply(status, body, headers);
    const { code, stdout, stderr } = await audit();
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`lockstep audit: ${message}`);
    expect(stderr).toContain("(GET ");
    expect(stderr).not.toContain(TOKEN);
  });

  it("exits 2 when GitHub cannot be reached", async () => {
    const { code, stderr } = await runCli(["audit", "--repo", "acme/shop"], { cwd: "/", env: { ...env, GITHUB_API_URL: "https://unreachable.example.test" } });
    expect(code).toBe(2);
    expect(stderr).toContain("lockstep audit: cannot reach the GitHub API at https://unreachable.example.test");
    expect(stderr).not.toContain(TOKEN);
  });

  it.each([
    [["audit"], "--repo OWNER/NAME is required"],
    [["audit", "--repo", "acme"], '--repo must be OWNER/NAME, not "acme"'],
    [["audit", "--repo", "a/b", "--since", "last week"], '--since must be a date (YYYY-MM-DD) or an ISO 8601 date-time, not "last week"'],
    [["audit", "--repo", "a/b", "--since", "2026-13-45"], "--since must be a date"],
    [["audit", "--repo", "a/b", "--format", "xlsx"], '--format must be csv or json, not "xlsx"'],
    [["audit", "--repo", "a/b", "--state", "merged"], '--state must be all, open or closed, not "merged"'],
  ])("exits 2 on bad usage %j", async (argv, message) => {
    const { code, stderr } = await runCli(argv, { cwd: "/", env });
    expect(code).toBe(2);
    expect(stderr).toContain(`lockstep audit: ${message}`);
  });

  it("exits 2 without the App's key: every record would look forged", async () => {
    const { code, stderr } = await runCli(["audit", "--repo", "a/b"], { cwd: "/", env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: API } });
    expect(code).toBe(2);
    expect(stderr).toContain("lockstep audit: set LOCKSTEP_STATE_KEY (or WEBHOOK_SECRET) to the App's value");
  });

  it("exits 2 without a token and says which variable to set", async () => {
    const { code, stderr } = await runCli(["audit", "--repo", "a/b"], { cwd: "/", env: { GITHUB_API_URL: API, WEBHOOK_SECRET: "s" } });
    expect(code).toBe(2);
    expect(stderr).toContain("lockstep audit: GITHUB_TOKEN is not set");
  });
});
