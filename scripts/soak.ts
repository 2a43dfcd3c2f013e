/**
 * Soak test (`npm run soak`): thousands of signed deliveries, with concurrency, over HTTP to one or
 * two real App processes (`node lib/server.js`, sharing a redis-server when one is installed),
 * against the local fake GitHub injecting faults; then every PR's final comment, check run,
 * reviewers and labels are checked against what the engine says they should be.
 * Loopback only, bounded in count and time; stops by itself. Settings (environment):
 *   SOAK_PRS (200), SOAK_DELIVERIES (2000), SOAK_CONCURRENCY (20), SOAK_REPLICAS (2),
 *   SOAK_FAULT_RATE (0.05), SOAK_SEED (1), SOAK_TIMEOUT_S (900).
 * Exits 1 when any final state is wrong or missing. Run `npm run build` first (`npm run soak` does).
 */
import { randomUUID } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { loadBuiltinChecklists } from "../src/core/builtin.js";
import { mergeConfig, parseConfig, resolveChecklists } from "../src/core/config.js";
import { evaluate } from "../src/core/evaluate.js";
import { plan, type Plan } from "../src/plan.js";
import { COMMENT_MARKER } from "../src/render/comment.js";
import { readRecord, stateKey } from "../src/signoff/record.js";
import type { ChangedFile } from "../src/types.js";
import { startAppServer, type AppServer } from "../test/helpers/app-server.js";
import { startFakeGitHub, type FakeGitHub } from "../test/helpers/fake-github.js";
import { privateKey } from "../test/helpers/keys.js";
import { payload } from "../test/helpers/payloads.js";
import { hasRedis, startRedis } from "../test/helpers/redis-server.js";
import { mulberry32 } from "../test/helpers/rng.js";

const num = (name: string, d: number) => (process.env[name] ? Number(process.env[name]) : d);
const PRS = num("SOAK_PRS", 200);
const DELIVERIES = num("SOAK_DELIVERIES", 2000);
const CONCURRENCY = num("SOAK_CONCURRENCY", 20);
const REPLICAS = num("SOAK_REPLICAS", 2);
const FAULT_RATE = num("SOAK_FAULT_RATE", 0.05);
const SEED = num("SOAK_SEED", 1);
const TIMEOUT_S = num("SOAK_TIMEOUT_S", 900);
const REPOS = 10;
const SECRET = `soak-${randomUUID()}`;
const OWNER = "acme";
const CONFIG = `
counsel: { users: [alice], teams: [acme/legal] }
checklists:
  custom:
    - id: personal-data
      title: Personal data
      summary: The change collects or exposes personal data.
      triggers:
        - { paths: ["db/migrate/**"], added_lines: ["(?i)date_of_birth|phone_number"], risk: high }
        - { paths: ["app/serializers/**"], risk: medium }
        - { paths: ["docs/privacy/**"], risk: low }
      items:
        - { id: lawful-basis, text: The lawful basis is recorded., owner: counsel }
        - { id: retention, text: The retention period is documented., owner: author }
`;

const file = (filename: string, added: string[]): Record<string, unknown> => ({
  filename,
  status: "modified",
  additions: added.length,
  deletions: 0,
  changes: added.length,
  patch: `@@ -1,0 +1,${added.length} @@\n${added.map((l) => `+${l}`).join("\n")}`,
});
/** The kinds of PR the soak spreads over: each fires differently. */
const KINDS: Record<string, Record<string, unknown>[]> = {
  high: [file("db/migrate/20260101_add_dob.rb", ["add_column :users, :date_of_birth, :date"]), file("README.md", ["hello"])],
  medium: [file("app/serializers/user_serializer.rb", ["attributes :id"])],
  low: [file("docs/privacy/notes.md", ["we keep little"])],
  none: [file("src/math.ts", ["export const add = (a: number, b: number) => a + b;"])],
};

type Pr = { repo: string; installation: number; number: number; kind: string; shas: string[]; times: string[] };
type Delivery = { event: string; id: string; body: object; pr: Pr };

function repoPayload(p: Record<string, any>, pr: Pr): void {
  p.installation = { id: pr.installation, node_id: "x" };
  p.repository = { ...p.repository, id: 5000 + pr.installation, name: pr.repo.split("/")[1], full_name: pr.repo, owner: { ...p.repository.owner, login: OWNER } };
}

function prEvent(action: string, pr: Pr, version: number): object {
  const p = structuredClone(payload("pull_request", "opened").payload) as Record<string, any>;
  p.action = action;
  repoPayload(p, pr);
  Object.assign(p.pull_request, {
    number: pr.number,
    html_url: `https://github.com/${pr.repo}/pull/${pr.number}`,
    changed_files: KINDS[pr.kind]!.length,
    updated_at: pr.times[version],
    user: { ...p.pull_request.user, login: "dev" },
  });
  p.number = pr.number;
  p.pull_request.head.sha = pr.shas[version];
  p.pull_request.base.ref = "main";
  return p;
}

function recheck(pr: Pr): object {
  const p = structuredClone(payload("issue_comment", "created").payload) as Record<string, any>;
  const base = structuredClone(payload("pull_request", "opened").payload) as Record<string, any>;
  p.repository = base.repository;
  repoPayload(p, pr);
  Object.assign(p.issue, { number: pr.number, state: "open", pull_request: { url: "x" }, user: { ...p.issue.user, login: "dev" } });
  p.comment.body = "/lockstep recheck";
  p.sender = { ...p.sender, login: "dev", type: "User" };
  return p;
}

/** Ten deliveries per PR (on average): opened, one synchronize per push, redeliveries, duplicates, rechecks, ready_for_review. */
function plan10(pr: Pr, count: number, dice: () => number): Delivery[] {
  const out: Delivery[] = [{ event: "pull_request", id: randomUUID(), body: prEvent("opened", pr, 0), pr }];
  for (let v = 1; v < pr.shas.length; v++) out.push({ event: "pull_request", id: randomUUID(), body: prEvent("synchronize", pr, v), pr });
  const last = pr.shas.length - 1;
  while (out.length < count) {
    const r = dice();
    if (r < 0.35) out.push({ ...out[Math.floor(dice() * out.length)]! }); // a redelivery: same id, same body
    else if (r < 0.6) out.push({ event: "pull_request", id: randomUUID(), body: prEvent("synchronize", pr, Math.floor(dice() * pr.shas.length)), pr });
    else if (r < 0.85) out.push({ event: "issue_comment", id: randomUUID(), body: recheck(pr), pr });
    else out.push({ event: "pull_request", id: randomUUID(), body: prEvent("ready_for_review", pr, last), pr });
  }
  return out;
}

function expected(pr: Pr, builtins: ReturnType<typeof loadBuiltinChecklists>["checklists"]): Plan {
  const parsed = parseConfig(CONFIG, ".github/compliance.yml");
  const { config } = mergeConfig([parsed.layer!], [...builtins.map((c) => c.id), "personal-data"]);
  const { checklists } = resolveChecklists(config, builtins);
  const evaluation = evaluate(KINDS[pr.kind] as ChangedFile[], config, checklists);
  const state = { owner: OWNER, repo: pr.repo.split("/")[1]!, number: pr.number, htmlUrl: "", headSha: pr.shas.at(-1)!, author: "dev", draft: false, labels: [], requestedUsers: [], requestedTeams: [] };
  return plan({ kind: "evaluated", evaluation, config, checklists, configSources: [], headProblems: [] }, state, { reviewedBy: [], mayHaveComment: true });
}

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = started + TIMEOUT_S * 1000;
  const dice = mulberry32(SEED);
  const github: FakeGitHub = await startFakeGitHub({ faults: { rate: FAULT_RATE, seed: SEED, holdMs: 800 } });
  github.state.collaborators = new Set(["alice", "legal"]);
  const redis = hasRedis ? await startRedis() : undefined;
  const replicas: AppServer[] = [];
  const peak = new Map<number, number>();
  let sampler: NodeJS.Timeout | undefined;
  try {
    const env = {
      APP_ID: "123",
      PRIVATE_KEY: privateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "warn",
      LOCKSTEP_RETRY_BASE_MS: "5",
      LOCKSTEP_WRITE_MIN_MS: "0",
      LOCKSTEP_NOTIFY_MIN_MS: "0",
      LOCKSTEP_REQUEST_TIMEOUT_MS: "400",
      ...(redis ? { REDIS_URL: redis.url } : {}),
    };
    const count = redis ? REPLICAS : 1;
    replicas.push(...(await Promise.all(Array.from({ length: count }, () => startAppServer(env)))));
    sampler = setInterval(() => replicas.forEach((r) => peak.set(r.pid, Math.max(peak.get(r.pid) ?? 0, r.peakRssKb() ?? 0))), 500);

    const prs: Pr[] = [];
    const kinds = Object.keys(KINDS);
    for (let i = 0; i < PRS; i++) {
      const repo = `${OWNER}/repo-${i % REPOS}`;
      const pushes = 1 + Math.floor(dice() * 4);
      const pr: Pr = {
        repo,
        installation: 100 + (i % REPOS),
        number: 1 + Math.floor(i / REPOS),
        kind: kinds[i % kinds.length]!,
        shas: Array.from({ length: pushes }, (_, v) => `${String(i).padStart(4, "0")}${String(v).padStart(2, "0")}`.padEnd(40, "f")),
        times: Array.from({ length: pushes }, (_, v) => new Date(Date.UTC(2026, 2, 1, 10, v)).toISOString()),
      };
      prs.push(pr);
      github.setFile(repo, "main", ".github/compliance.yml", CONFIG);
      // GitHub's PR is at its last push already; deliveries about earlier pushes arrive late, in any order.
      github.addPull(repo, { number: pr.number, author: "dev", base: "main", headSha: pr.shas.at(-1)!, updatedAt: pr.times.at(-1)!, files: KINDS[pr.kind]! });
    }
    const per = Math.floor(DELIVERIES / PRS);
    const deliveries = prs.flatMap((pr, i) => plan10(pr, per + (i < DELIVERIES - per * PRS ? 1 : 0), dice));
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(dice() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }

    console.log(`soak: ${deliveries.length} deliveries, ${PRS} PRs in ${REPOS} repos, concurrency ${CONCURRENCY}, ${count} replica(s)${redis ? " + redis-server" : " (no redis-server: one replica)"}, fault rate ${FAULT_RATE}`);
    const statuses = new Map<number, number>();
    let next = 0;
    let handled = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < deliveries.length && Date.now() < deadline) {
          const i = next++;
          const d = deliveries[i]!;
          const status = await replicas[i % replicas.length]!.deliver(d.event, d.body, { id: d.id }).then((r) => r.status, () => 0);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          handled++;
          if (handled % 500 === 0) console.log(`  ${handled} delivered (${Math.round((Date.now() - started) / 1000)} s)`);
        }
      }),
    );
    // Let handlers that answered 202 (still processing after 9 s), and their retries, finish.
    let seen = -1;
    while (seen !== github.requests.length && Date.now() < deadline) {
      seen = github.requests.length;
      await new Promise((r) => setTimeout(r, 2000));
    }
    clearInterval(sampler);
    replicas.forEach((r) => peak.set(r.pid, Math.max(peak.get(r.pid) ?? 0, r.peakRssKb() ?? 0)));

    // Verify every PR against the engine.
    const builtins = loadBuiltinChecklists().checklists;
    const key = stateKey({ WEBHOOK_SECRET: SECRET });
    const wrong: string[] = [];
    for (const pr of prs) {
      const want = expected(pr, builtins);
      const fake = github.pull(pr.repo, pr.number);
      const where = `${pr.repo}#${pr.number} (${pr.kind})`;
      const runs = github.state.checkRuns.filter((r) => r.repo === pr.repo && r.external_id === String(pr.number));
      for (const sha of pr.shas) if (runs.filter((r) => r.head_sha === sha).length > 1) wrong.push(`${where}: ${runs.filter((r) => r.head_sha === sha).length} check runs on ${sha}`);
      const final = runs.filter((r) => r.head_sha === pr.shas.at(-1));
      if (final.length !== 1) wrong.push(`${where}: ${final.length} check runs on the final head`);
      else if (final[0]!.conclusion !== want.check.conclusion) wrong.push(`${where}: check ${final[0]!.conclusion}, engine says ${want.check.conclusion}`);
      const comments = github.state.comments.filter((c) => c.issue === `${pr.repo}#${pr.number}` && c.body.startsWith(COMMENT_MARKER));
      const wantComment = want.comment.kind === "upsert" ? 1 : 0;
      if (comments.length !== wantComment) wrong.push(`${where}: ${comments.length} comments, expected ${wantComment}`);
      else if (wantComment) {
        const record = readRecord(comments[0]!.body, key, 5000 + pr.installation, pr.number);
        if (record.kind !== "valid" || record.state.sha !== pr.shas.at(-1)) wrong.push(`${where}: the comment is not about the final head (${record.kind === "valid" ? record.state.sha : record.kind})`);
      }
      const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
      if (!same(fake.requestedUsers, want.reviewers.users) || !same(fake.requestedTeams, want.reviewers.teams))
        wrong.push(`${where}: reviewers ${[...fake.requestedUsers, ...fake.requestedTeams]}, engine says ${[...want.reviewers.users, ...want.reviewers.teams]}`);
      if (!same(fake.labels, want.labels.add.map((l) => l.name))) wrong.push(`${where}: labels ${fake.labels}, engine says ${want.labels.add.map((l) => l.name)}`);
    }

    const seconds = (Date.now() - started) / 1000;
    const failed = [...statuses].filter(([s]) => s === 0 || s >= 400).reduce((n, [, c]) => n + c, 0);
    console.log("");
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
    console.log(`deliveries handled: ${handled} of ${deliveries.length} in ${seconds.toFixed(1)} s (HTTP status: ${[...statuses].map(([s, c]) => `${s}×${c}`).join(", ")})`);
    console.log(`failed deliveries: ${failed}`);
    console.log(`GitHub requests: ${github.requests.length}`);
    console.log(`faults injected: ${github.faults.total} (${Object.entries(github.faults.injected).filter(([, c]) => c).map(([k, c]) => `${k}×${c}`).join(", ")})`);
    console.log(`retries (requests repeated after a fault): ${github.faults.retried}`);
    console.log(`OpenAPI violations: ${github.violations.length}`);
    console.log(`wrong or missing final states: ${wrong.length}`);
    for (const w of wrong.slice(0, 20)) console.log(`  - ${w}`);
    console.log(`peak RSS of the server processes: ${[...peak.values()].map((kb) => `${Math.round(kb / 1024)} MiB`).join(", ")}`);
    if (wrong.length > 0 || handled < deliveries.length || github.violations.length > 0) process.exitCode = 1;
  } finally {
    if (sampler) clearInterval(sampler);
    await Promise.all(replicas.map((r) => r.stop()));
    await github.close();
    await redis?.stop();
  }
}

await main();
