/**
 * Per-event benchmark: the GitHub API calls Lockstep makes for each event type and PR size,
 * against the minimum its outputs need, measured on the in-memory fake GitHub with the Probot
 * app loaded in-process. Also: are writes issued concurrently, is the check run written first,
 * and (with Probot's default write throttling on) how long until the check run appears.
 * Run: npm run bench -- events
 */
import { Probot, ProbotOctokit } from "probot";
import app from "../src/index.js";
import { startFakeGitHub, type FakeGitHub, type FakeRequest } from "../test/helpers/fake-github.js";
import { CONFIG } from "../test/helpers/config-fixture.js";
import { privateKey } from "../test/helpers/keys.js";
import { payload, repository, type Delivery } from "../test/helpers/payloads.js";
import { collapse, routeName } from "./calls.js";
import { addedFile, adjustPull, BASE, FULL_NAME, pullRequestDelivery, sha, type PullFacts } from "./fixtures.js";

/** One event as the benchmark delivers it, with the calls its outputs truly need. */
type Scenario = {
  name: string;
  /** The calls Lockstep's outputs need for this event, after the token and config are cached. */
  minimum: string[];
  /** The issue's target for event calls (after the token and config are cached), if any. */
  target?: number;
  delivery: (github: FakeGitHub) => Delivery;
};

export type EventResult = {
  name: string;
  token: number;
  config: number;
  event: string[];
  minimum: string[];
  target?: number;
  meets?: boolean;
  /** Most writes in flight at once (1 = strictly one after another). */
  writeConcurrency: number;
  /** Most reads in flight at once. */
  readConcurrency: number;
  checkRunFirst: boolean | undefined;
  /** From delivery to the first check-run write, and to the last response (ms). */
  msToCheckRun?: number;
  msTotal: number;
};

const NEUTRAL = (n: number, from = 0) => Array.from({ length: n }, (_, i) => addedFile(`src/module-${from + i}.ts`, ["export const answer = 42;"]));
const LOW = addedFile("docs/privacy/retention.md", ["Personal data is kept for 30 days."]);
const HIGH = addedFile("db/migrate/20260101_add_dob.rb", ["add_column :users, :date_of_birth, :date"]);
const MEDIUM = addedFile("app/serializers/user_serializer.rb", ["attributes :email"]);
const BROKEN_CONFIG = "counsel:\n  users: alice\ncomment_at: urgent\n";

/** PR numbers in the fake: one per PR the scenarios create. */
const PR = { none: 101, low10: 102, low100: 103, low1000: 104, high: 105, draft: 106, invalid: 107, huge: 108 } as const;

function opened(github: FakeGitHub, number: number, files: Record<string, unknown>[], facts: Partial<PullFacts> & { base?: string } = {}): Delivery {
  const pr = github.addPull(FULL_NAME, { number, base: facts.base ?? BASE, headSha: sha(number), draft: facts.draft ?? false, files });
  const d = pullRequestDelivery("opened", { number, sha: pr.headSha, changedFiles: facts.changedFiles ?? files.length, draft: pr.draft }, `opened-${number}`);
  if (facts.base) (d.payload as any).pull_request.base.ref = facts.base;
  return d;
}

/** The PR's current state in the fake, as a webhook payload for it would carry it. */
function current(github: FakeGitHub, number: number): PullFacts {
  const pr = github.pull(FULL_NAME, number);
  return { number, sha: pr.headSha, changedFiles: pr.files.length, draft: pr.draft, labels: pr.labels, requestedUsers: pr.requestedUsers, requestedTeams: pr.requestedTeams };
}

const SCENARIOS: Scenario[] = [
  {
    name: "new PR, nothing fires, 10 files",
    minimum: ["GET pulls/files", "POST check-runs"],
    delivery: (g) => opened(g, PR.none, NEUTRAL(10)),
  },
  {
    name: "new low-risk PR, 10 files",
    minimum: ["GET pulls/files", "POST issues/comments", "POST check-runs"],
    target: 3,
    delivery: (g) => opened(g, PR.low10, [...NEUTRAL(9), LOW]),
  },
  {
    name: "new low-risk PR, 100 files",
    minimum: ["GET pulls/files", "POST issues/comments", "POST check-runs"],
    target: 3,
    delivery: (g) => opened(g, PR.low100, [...NEUTRAL(99), LOW]),
  },
  {
    name: "new low-risk PR, 1,000 files",
    minimum: ["GET pulls/files ×10", "POST issues/comments", "POST check-runs"],
    delivery: (g) => opened(g, PR.low1000, [...NEUTRAL(999), LOW]),
  },
  {
    name: "new high-risk PR, 10 files",
    minimum: ["GET pulls/files", "POST issues/comments", "POST pulls/requested_reviewers", "POST issues/labels", "POST check-runs"],
    target: 7,
    delivery: (g) => opened(g, PR.high, [...NEUTRAL(9), HIGH]),
  },
  {
    name: "synchronize, comment exists (high, +1 file)",
    minimum: ["GET pulls/files", "GET issues/comments", "PATCH issues/comments", "POST check-runs", "GET pulls/reviews if someone is still to be requested"],
    delivery: (g) => {
      const pr = g.pull(FULL_NAME, PR.high);
      pr.headSha = sha(0x105_2);
      pr.files = [...pr.files, MEDIUM];
      return pullRequestDelivery("synchronize", current(g, PR.high), "synchronize-105");
    },
  },
  {
    name: "new draft PR, high risk (no reviewers yet)",
    minimum: ["GET pulls/files", "POST issues/comments", "POST issues/labels", "POST check-runs"],
    delivery: (g) => opened(g, PR.draft, [...NEUTRAL(9), HIGH], { draft: true }),
  },
  {
    name: "ready_for_review (same sha)",
    minimum: ["GET pulls/files", "GET pulls/reviews", "POST pulls/requested_reviewers", "PATCH check-runs (id known in-process; +GET commits/check-runs otherwise)", "GET issues/comments + PATCH issues/comments if the comment shows draft state"],
    delivery: (g) => {
      g.pull(FULL_NAME, PR.draft).draft = false;
      return pullRequestDelivery("ready_for_review", current(g, PR.draft), "ready-106");
    },
  },
  {
    name: "review submitted (counsel approves)",
    minimum: ["GET pulls/files", "GET issues/comments", "PATCH check-runs (id known in-process; +GET commits/check-runs otherwise)", "PATCH issues/comments if the sign-off changes it"],
    delivery: (g) => {
      g.pull(FULL_NAME, PR.high).reviews.push({ user: "alice", state: "APPROVED" });
      const d = payload("pull_request_review", "submitted", (p) => {
        adjustPull(p.pull_request, current(g, PR.high));
        delete p.pull_request.changed_files; // review payloads carry no changed_files
        p.review.user.login = "alice";
        p.review.state = "approved";
      });
      return { ...d, id: "review-105" };
    },
  },
  {
    name: "/lockstep recheck",
    minimum: ["GET pulls/{n}", "GET pulls/files", "GET issues/comments", "PATCH check-runs (id known in-process; +GET commits/check-runs otherwise)", "PATCH issues/comments if changed"],
    delivery: () => {
      const d = payload("issue_comment", "created", (p) => {
        p.repository = repository();
        Object.assign(p.issue, { number: PR.high, state: "open", pull_request: { url: `https://api.github.com/repos/${FULL_NAME}/pulls/${PR.high}` } });
        p.comment.body = "/lockstep recheck";
        p.sender.type = "User";
      });
      return { ...d, id: "recheck-105" };
    },
  },
  {
    name: "merge_group.checks_requested",
    minimum: ["POST check-runs"],
    delivery: () => ({ ...payload("merge_group", "checks_requested", (p) => (p.repository = repository())), id: "merge-group" }),
  },
  {
    name: "invalid config (new PR, 10 files)",
    minimum: ["POST check-runs"],
    delivery: (g) => {
      g.setFile(FULL_NAME, "broken", ".github/compliance.yml", BROKEN_CONFIG);
      return opened(g, PR.invalid, NEUTRAL(10), { base: "broken" });
    },
  },
  {
    name: "> 3,000 files (3,001 changed)",
    minimum: ["POST check-runs (payload's changed_files > 3,000 already says it cannot be evaluated in full)"],
    delivery: (g) => opened(g, PR.huge, NEUTRAL(3000), { changedFiles: 3001 }),
  },
];

const isToken = (r: FakeRequest) => r.path.includes("/access_tokens");
/** Config reads: `.github/compliance.yml` and listed checklist files at a branch (not at a head sha). */
const isConfig = (r: FakeRequest) => r.method === "GET" && r.path.includes("/contents/") && !/[?&]ref=[0-9a-f]{40}\b/.test(r.path);
const isWrite = (r: FakeRequest) => r.method !== "GET" && !isToken(r);

/** Most intervals overlapping at one instant. */
function maxOverlap(rs: FakeRequest[]): number {
  const edges = rs.flatMap((r) => [[r.start, 1], [r.end ?? r.start, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}

function probotFor(github: FakeGitHub, throttled: boolean): Probot {
  return new Probot({
    appId: 123,
    privateKey: privateKey(),
    baseUrl: `${github.url}/api/v3`,
    logLevel: "fatal",
    ...(throttled ? {} : { Octokit: ProbotOctokit.defaults((o: object) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })) }),
  });
}

async function measure(probot: Probot, github: FakeGitHub, scenario: Scenario): Promise<EventResult> {
  const delivery = scenario.delivery(github);
  const from = github.requests.length;
  const t0 = performance.now();
  await probot.receive(delivery);
  const t1 = performance.now();
  const rs = github.requests.slice(from);
  const event = rs.filter((r) => !isToken(r) && !isConfig(r));
  const writes = event.filter(isWrite);
  const firstCheck = writes.find((r) => r.path.includes("/check-runs"));
  const count = event.length;
  return {
    name: scenario.name,
    token: rs.filter(isToken).length,
    config: rs.filter(isConfig).length,
    event: collapse(event.map(routeName)),
    minimum: scenario.minimum,
    ...(scenario.target !== undefined ? { target: scenario.target, meets: count <= scenario.target } : {}),
    writeConcurrency: maxOverlap(writes),
    readConcurrency: maxOverlap(event.filter((r) => r.method === "GET")),
    checkRunFirst: writes.length ? writes[0] === firstCheck : undefined,
    ...(firstCheck ? { msToCheckRun: firstCheck.start - t0 } : {}),
    msTotal: t1 - t0,
  };
}

/** Calls in a list, `×k` counted k times; entries with " if " only count towards the upper bound. */
function callCount(calls: string[], conditional = false): number {
  return calls.filter((c) => conditional || !c.includes(" if ")).reduce((n, c) => n + Number(/×(\d+)/.exec(c)?.[1] ?? 1) * (c.includes(" + ") ? 2 : 1), 0);
}

function minimumRange(minimum: string[]): string {
  const lo = callCount(minimum);
  const hi = callCount(minimum, true);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

const eventCount = (event: string[]) => callCount(event);

/** Every answer of the fake GitHub takes this long: a round trip to api.github.com is slower still. */
export const LATENCY_MS = 20;

export async function runEventsBenchmark(log: (line: string) => void = console.log): Promise<{ results: EventResult[]; throttled: EventResult[]; violations: string[] }> {
  const github = await startFakeGitHub({ gate: () => new Promise((r) => setTimeout(r, LATENCY_MS)) });
  try {
    github.setFile(FULL_NAME, BASE, ".github/compliance.yml", CONFIG);
    github.state.collaborators = new Set(["alice", "legal"]);

    const probot = probotFor(github, false);
    await probot.load(app);
    const results: EventResult[] = [];
    for (const s of SCENARIOS) results.push(await measure(probot, github, s));

    // The same two new PRs with Probot's defaults: writes are throttled per installation
    // (1 s apart, 3 s for notifying POSTs such as comments and reviewer requests).
    const slow = probotFor(github, true);
    await slow.load(app);
    const throttled: EventResult[] = [];
    for (const s of [SCENARIOS[1]!, SCENARIOS[4]!]) {
      const number = 200 + throttled.length;
      throttled.push(await measure(slow, github, { ...s, delivery: (g) => opened(g, number, (g.pull(FULL_NAME, s === SCENARIOS[1] ? PR.low10 : PR.high).files as Record<string, unknown>[]).slice(0, 10)) }));
    }

    log(`events: GitHub API calls per event, in-process Probot against the fake GitHub (throttling off, ${LATENCY_MS} ms per answer; ${github.violations.length} OpenAPI violations)`);
    log(`  "event" counts calls after the token and config are cached; token = installation token exchange, config = .github/compliance.yml reads (repo at base ref + org .github)`);
    log(`  ${"event".padEnd(44)} token config event minimum target      writes∥ reads∥ check 1st  ms→check  ms`);
    for (const r of results) {
      const ev = eventCount(r.event);
      const tgt = r.target === undefined ? "—" : `≤${r.target} ${r.meets ? "met" : "MISSED"}`;
      log(
        `  ${r.name.padEnd(44)} ${String(r.token).padStart(5)} ${String(r.config).padStart(6)} ${String(ev).padStart(5)} ${minimumRange(r.minimum).padStart(7)} ${tgt.padEnd(11)} ${String(r.writeConcurrency).padStart(7)} ${String(r.readConcurrency).padStart(6)} ${(r.checkRunFirst === undefined ? "—" : r.checkRunFirst ? "yes" : "no").padStart(9)} ${(r.msToCheckRun?.toFixed(0) ?? "—").padStart(9)} ${r.msTotal.toFixed(0).padStart(4)}`,
      );
    }
    log("  (the first event also pays the token exchange and one-time warm-up; writes∥/reads∥ = most writes/reads in flight at once in the fake)");
    log("  calls made vs the minimum the outputs need:");
    for (const r of results) {
      log(`    ${r.name}`);
      log(`      made:    ${r.event.join(", ") || "(none)"}`);
      log(`      minimum: ${r.minimum.join(", ")}`);
    }
    log("  with Probot's default throttling (writes ≥ 1 s apart, notifying POSTs ≥ 3 s apart, per installation):");
    for (const r of throttled) log(`    ${r.name.padEnd(44)} check run after ${(r.msToCheckRun! / 1000).toFixed(1)} s, done after ${(r.msTotal / 1000).toFixed(1)} s (${eventCount(r.event)} event calls, ${r.writeConcurrency} write(s) in flight at most)`);
    return { results, throttled, violations: [...github.violations] };
  } finally {
    await github.close();
  }
}
