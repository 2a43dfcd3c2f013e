import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActionError, runAction, type ActionEnv } from "../../src/action.js";
import { COMMENT_MARKER } from "../../src/render/comment.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { API, capture, CONFIG, gh, prFile, REPO_PATH } from "../helpers/github-nock.js";
import { validateRequest } from "../helpers/openapi.js";
import { HEAD_SHA, payload, PR_NUMBER } from "../helpers/payloads.js";

const ROOT = resolve(import.meta.dirname, "../..");
const TOKEN = "ghs_action_token_do_not_print";
const MIGRATION = prFile("db/migrate/20260101_add_dob.rb", ["add_column :users, :date_of_birth, :date"]);
/** How `GITHUB_TOKEN` comments look: the GitHub Actions app's bot. */
const ACTIONS_COMMENT = (id: number, body: string) => ({
  id,
  body,
  html_url: `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}#issuecomment-${id}`,
  user: { login: "github-actions[bot]", type: "Bot", id: 41898282 },
  performed_via_github_app: { id: 15368, slug: "github-actions" },
});

let dir: string;
let requests: string[];
let violations: string[];

/** The step's environment, as the Actions runner sets it, with the event payload written to a file. */
function actionEnv(event: string, body: object, extra: Record<string, string> = {}): ActionEnv {
  const path = join(dir, "event.json");
  writeFileSync(path, JSON.stringify(body));
  return { GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: path, "INPUT_GITHUB-TOKEN": TOKEN, GITHUB_API_URL: API, GITHUB_RUN_ID: "4242", LOG_LEVEL: "fatal", ...extra };
}

/** Runs the Action in-process against nock: retry and throttling off, every request checked against GitHub's OpenAPI. */
function run(env: ActionEnv) {
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? "GET").toUpperCase();
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    requests.push(`${method} ${new URL(url).pathname}`);
    violations.push(...validateRequest(method, url, body));
    return globalThis.fetch(input, init);
  };
  return runAction(env, {
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
    request: { fetch },
  });
}

/** A `pull_request` payload as Actions writes it: no `installation` (the token is the auth). */
function prEvent(action: string) {
  const p = payload("pull_request", action).payload as Record<string, unknown>;
  delete p.installation;
  return p;
}

/** nock for api.github.com, insisting on the Action's token. */
const api = () => nock(API, { reqheaders: { authorization: `token ${TOKEN}` } });

beforeEach(() => {
  nock.disableNetConnect();
  dir = mkdtempSync(join(tmpdir(), "lockstep-action-"));
  requests = [];
  violations = [];
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  rmSync(dir, { recursive: true, force: true });
  expect(violations).toEqual([]);
  expect(pending).toEqual([]);
});

describe("the Action entry (in-process)", () => {
  it("pull_request_target opened, high risk: comment and action_required check, written with the token", async () => {
    const comments: Record<string, any>[] = [];
    const checks: Record<string, any>[] = [];
    gh.config(CONFIG, "master", api());
    gh.orgConfig(null, api());
    gh.files([MIGRATION], api());
    api()
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`, capture(comments)).reply(201, ACTIONS_COMMENT(1000, "x"))
      .post(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`).reply(201, {})
      .post(`${REPO_PATH}/labels`).times(2).reply(201, {})
      .post(`${REPO_PATH}/issues/${PR_NUMBER}/labels`).reply(200, [])
      .post(`${REPO_PATH}/check-runs`, capture(checks)).reply(201, { id: 1 });

    await run(actionEnv("pull_request_target", prEvent("opened")));

    expect(requests).not.toContainEqual(expect.stringContaining("/access_tokens"));
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comments[0]!.body).toContain("## Lockstep: 🔴 high risk");
    expect(comments[0]!.body).toContain("<!-- item:personal-data/lawful-basis -->");
    expect(checks[0]).toMatchObject({ name: "Lockstep", head_sha: HEAD_SHA, status: "completed", conclusion: "action_required" });
    expect(checks[0]!.output.annotations).toContainEqual(expect.objectContaining({ path: "db/migrate/20260101_add_dob.rb", start_line: 1, annotation_level: "failure" }));
  });

  it("synchronize: finds its own github-actions[bot] comment and edits it in place", async () => {
    const edits: Record<string, any>[] = [];
    gh.config(CONFIG, "master", api());
    gh.orgConfig(null, api());
    gh.files([MIGRATION], api());
    gh.comments([{ ...ACTIONS_COMMENT(1000, `${COMMENT_MARKER}\nold`) }], api());
    gh.reviews([], api());
    gh.requested(["alice"], ["legal"], api());
    api()
      .patch(`${REPO_PATH}/issues/comments/1000`, capture(edits)).reply(200, ACTIONS_COMMENT(1000, "x"))
      .post(`${REPO_PATH}/check-runs`).reply(201, { id: 2 });

    await run(
      actionEnv(
        "pull_request",
        Object.assign(prEvent("synchronize"), {
          pull_request: { ...(prEvent("synchronize").pull_request as object), labels: [{ name: "compliance: high" }, { name: "compliance: personal-data" }] },
        }),
      ),
    );

    expect(requests).not.toContain(`POST ${REPO_PATH}/issues/${PR_NUMBER}/comments`);
    expect(edits[0]!.body).toContain("db/migrate/20260101_add_dob.rb");
  });

  it("fails with the API's message and without the token when the check cannot be written", async () => {
    gh.config(CONFIG, "master", api());
    gh.orgConfig(null, api());
    gh.files([prFile("README.md")], api());
    api().post(`${REPO_PATH}/check-runs`).reply(403, { message: "Resource not accessible by integration" });

    const failure = run(actionEnv("pull_request", prEvent("opened")));

    await expect(failure).rejects.toThrow(ActionError);
    await expect(failure).rejects.toThrow(/^Lockstep failed on pull_request: .*Resource not accessible by integration/);
    await expect(failure).rejects.not.toThrow(TOKEN);
  });

  it("an event Lockstep does not handle is a successful no-op", async () => {
    await run(actionEnv("push", { ref: "refs/heads/main" }));
    expect(requests).toEqual([]);
  });

  it.each([
    ["no token", { "INPUT_GITHUB-TOKEN": "", GITHUB_TOKEN: "" }, /no GitHub token: pass `github-token`/],
    ["no event name", { GITHUB_EVENT_NAME: "" }, /GITHUB_EVENT_NAME is not set/],
    ["no payload file", { GITHUB_EVENT_PATH: "/nonexistent/event.json" }, /cannot read the event payload at \/nonexistent\/event.json/],
  ])("says what is missing: %s", async (_, change, message) => {
    await expect(run({ ...actionEnv("pull_request", {}), ...change })).rejects.toThrow(message);
  });

  it("rejects a payload that is not JSON", async () => {
    const env = actionEnv("pull_request", {});
    writeFileSync(env.GITHUB_EVENT_PATH!, "{ not json");
    await expect(run(env)).rejects.toThrow(/is not valid JSON/);
  });
});

describe("the bundled dist/action.js", () => {
  let built: string;
  beforeAll(() => {
    built = mkdtempSync(join(tmpdir(), "lockstep-dist-"));
    execFileSync(process.execPath, [join(ROOT, "scripts/build-action.mjs"), join(built, "dist")], { cwd: ROOT, stdio: "pipe" });
  }, 60_000);
  afterAll(() => rmSync(built, { recursive: true, force: true }));

  it("is up to date with the sources (run `npm run build:action` and commit dist/)", () => {
    const js = (d: string) => readdirSync(d).filter((f) => f.endsWith(".js")).sort();
    expect(js(join(ROOT, "dist")), "dist/ is stale: run `npm run build:action` and commit it").toEqual(js(join(built, "dist")));
    for (const file of js(built + "/dist")) expect(readFileSync(join(ROOT, "dist", file), "utf8") === readFileSync(join(built, "dist", file), "utf8"), `dist/${file} is stale: run \`npm run build:action\``).toBe(true);
  });

  it("runs as `node dist/action.js` from a checkout without node_modules, against a fake GitHub", async () => {
    // What the runner has: the action's repository at a ref (dist/, checklists/, schemas/), no install.
    const checkout = join(built, "checkout");
    for (const d of ["dist", "checklists", "schemas"]) cpSync(join(ROOT, d), join(checkout, d), { recursive: true });
    const github = await startFakeGitHub();
    try {
      github.setFile("acme/shop", "main", ".github/compliance.yml", CONFIG);
      github.addPull("acme/shop", { number: 7, author: "dev", headSha: "1".repeat(40), files: [MIGRATION] });
      const event = prEvent("opened") as Record<string, any>;
      event.repository = { ...event.repository, name: "shop", full_name: "acme/shop", owner: { ...event.repository.owner, login: "acme" } };
      Object.assign(event.pull_request, { number: 7, html_url: "https://github.com/acme/shop/pull/7", changed_files: 1 });
      event.pull_request.head.sha = "1".repeat(40);
      event.pull_request.base.ref = "main";
      const eventPath = join(built, "event.json");
      writeFileSync(eventPath, JSON.stringify(event));

      const result = await new Promise<{ code: number | null; output: string }>((done) => {
        const child = spawn(process.execPath, [join(checkout, "dist/action.js")], {
          cwd: built,
          env: { PATH: process.env.PATH ?? "", GITHUB_EVENT_NAME: "pull_request_target", GITHUB_EVENT_PATH: eventPath, "INPUT_GITHUB-TOKEN": TOKEN, GITHUB_API_URL: github.url, GITHUB_RUN_ID: "99" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr.on("data", (d: Buffer) => (output += d.toString()));
        child.on("exit", (code) => done({ code, output }));
      });

      expect(result.code, result.output).toBe(0);
      expect(result.output).not.toContain(TOKEN);
      expect(github.violations).toEqual([]);
      expect(github.requests.map((r) => r.path)).not.toContainEqual(expect.stringContaining("access_tokens"));
      expect(github.state.comments).toHaveLength(1);
      expect(github.state.comments[0]!.body).toContain("<!-- item:personal-data/lawful-basis -->");
      expect(github.state.checkRuns.map((r) => [r.name, r.head_sha, r.conclusion])).toEqual([["Lockstep", "1".repeat(40), "action_required"]]);
    } finally {
      await github.close();
    }
  }, 90_000);

  it("says what the runner lacks when the native re2 cannot be loaded", () => {
    const checkout = join(built, "no-re2");
    for (const d of ["dist", "checklists", "schemas"]) cpSync(join(ROOT, d), join(checkout, d), { recursive: true });
    rmSync(join(checkout, "dist/node_modules"), { recursive: true });
    const event = join(built, "opened.json");
    writeFileSync(event, JSON.stringify(prEvent("opened")));
    const result = runNode(join(checkout, "dist/action.js"), { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event, GITHUB_TOKEN: TOKEN });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error title=Lockstep::cannot load Lockstep \(Cannot find package 're2'.*\)\. The Action ships the native re2 module built for Linux x64 and Node 20: run it on an ubuntu runner/);
  });

  it("fails the step with an error annotation, exit code 1", () => {
    const out = runNode(join(ROOT, "dist/action.js"), { GITHUB_EVENT_NAME: "pull_request" });
    expect(out).toEqual({ status: 1, stdout: "::error title=Lockstep::no GitHub token: pass `github-token` to the Lockstep step (it defaults to `${{ github.token }}`), or set GITHUB_TOKEN\n" });
  });
});

/** Runs a script with only PATH and `env`; its exit status and standard output. */
function runNode(script: string, env: Record<string, string>): { status: number; stdout: string } {
  try {
    const stdout = execFileSync(process.execPath, [script], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: "pipe" }).toString();
    return { status: 0, stdout };
  } catch (error) {
    const e = error as { status: number; stdout: Buffer };
    return { status: e.status, stdout: e.stdout.toString() };
  }
}
