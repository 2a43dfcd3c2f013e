import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { validateRequest } from "./openapi.js";
import { mulberry32 } from "./rng.js";

/**
 * An in-memory GitHub REST API on 127.0.0.1, enough for Lockstep: token exchange, contents,
 * pulls (files with Link pagination, reviews, requested reviewers), issue comments, labels and
 * check runs. Point Probot at it with GHE_HOST=<host> GHE_PROTOCOL=http. Every request is
 * recorded and validated against GitHub's OpenAPI description. Reusable for soak tests and
 * benchmarks: state is plain data, seeded with `addPull` / `setFile`.
 */
export type FakePull = {
  number: number;
  title?: string;
  state: "open" | "closed";
  draft: boolean;
  author: string;
  base: string;
  headSha: string;
  /** ISO time of the last change (a push moves it forward); `GET /pulls/{n}` returns it. */
  updatedAt: string;
  /** Entries as `GET /pulls/{n}/files` returns them (filename, status, patch…). */
  files: Record<string, unknown>[];
  labels: string[];
  requestedUsers: string[];
  requestedTeams: string[];
  reviews: { user: string; state: string }[];
};
export type FakeComment = { id: number; issue: string; body: string; user: { login: string; type: string; id: number }; performed_via_github_app: { id: number; slug: string } | null };
export type FakeCheckRun = { id: number; repo: string; name: string; head_sha: string; status: string; conclusion?: string; external_id?: string; details_url?: string; output?: Record<string, unknown>; annotations: unknown[] };

export type FakeState = {
  app: { id: number; slug: string };
  /** `owner/repo@ref:path` → text; `ref` is the default branch when a request names none. */
  files: Map<string, string>;
  defaultBranch: string;
  pulls: Map<string, FakePull>;
  comments: FakeComment[];
  checkRuns: FakeCheckRun[];
  labels: Map<string, { name: string; color: string; description?: string }>;
  /** Logins and team slugs that may be asked for a review; others get GitHub's 422. */
  collaborators: Set<string>;
  /** Team slug → active members (`GET /orgs/{org}/teams/{slug}/memberships/{user}`). */
  teamMembers: Map<string, Set<string>>;
  /** Login → repository permission (`GET /repos/{o}/{r}/collaborators/{user}/permission`); "read" otherwise. */
  permissions: Map<string, string>;
};

/** A request as the fake saw it. Times are `performance.now()` in the fake's process. */
export type FakeRequest = {
  method: string;
  path: string;
  body: unknown;
  /** The `x-github-delivery` header: Probot sets it on every request made for an event. */
  delivery?: string;
  /** When the request arrived, and when its response was sent (ms). */
  start: number;
  end?: number;
};

export type FakeGitHubOptions = {
  appId?: number;
  slug?: string;
  pageSize?: number;
  /** Validate requests against GitHub's OpenAPI description (default true; benchmarks turn it off). */
  validate?: boolean;
  /** Awaited before a request is answered: lets a benchmark hold deliveries in flight. */
  gate?: (request: FakeRequest) => Promise<void> | void;
  /** Faults to inject (see FaultOptions); `setFaults` changes them later. */
  faults?: FaultOptions;
};

/**
 * What a faulty GitHub answers instead of the real response: 500/502, no answer (the connection
 * is held, then dropped), a secondary rate limit (403 with `retry-after`), a primary one (403 or
 * 429 with `x-ratelimit-remaining: 0` and a reset a second away), or a plain 403 (no access; not by default).
 */
export type FaultKind = "500" | "502" | "timeout" | "secondary" | "primary" | "429" | "403";
export type FaultOptions = {
  /** Probability (0..1) that a request gets a fault. */
  rate?: number;
  kinds?: FaultKind[];
  /** Faults for the next eligible requests, in order (`null` lets one through); used before `rate`. */
  schedule?: (FaultKind | null)[];
  /** Seed of the fault dice (deterministic runs). */
  seed?: number;
  /** Faults at most this many times for the same request (delivery, method, URL, body): GitHub recovers. Default 2. */
  maxPerRequest?: number;
  /** How long a `timeout` holds the connection before dropping it (ms). Default 1500. */
  holdMs?: number;
  /** Which requests may fault; by default all but the token exchange and `GET /app`. */
  eligible?: (method: string, path: string) => boolean;
};
/** `retried`: faults followed by the same request again (same delivery, method, URL and body). */
export type FaultStats = { injected: Record<FaultKind, number>; total: number; retried: number };

export type FakeGitHub = {
  host: string;
  url: string;
  state: FakeState;
  requests: FakeRequest[];
  /** OpenAPI mismatches and requests this fake does not know. */
  violations: string[];
  setFile(repo: string, ref: string, path: string, text: string): void;
  addPull(repo: string, pull: Partial<FakePull> & { number: number; files: Record<string, unknown>[] }): FakePull;
  pull(repo: string, number: number): FakePull;
  /** The installation token the fake hands out (distinctive, for leak searches). */
  token: string;
  /** Replaces the fault injection (undefined: none). */
  setFaults(faults: FaultOptions | undefined): void;
  faults: FaultStats;
  close(): Promise<void>;
};

const PAGE = /^(\d+)$/;

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const state: FakeState = {
    app: { id: options.appId ?? 123, slug: options.slug ?? "lockstep" },
    files: new Map(),
    defaultBranch: "main",
    pulls: new Map(),
    comments: [],
    checkRuns: [],
    labels: new Map(),
    collaborators: new Set(),
    teamMembers: new Map(),
    permissions: new Map(),
  };
  const requests: FakeGitHub["requests"] = [];
  const violations: string[] = [];
  let nextId = 1000;
  let base = "";
  const token = `ghs_${randomBytes(18).toString("hex")}`;
  let faults = options.faults;
  let dice = mulberry32(faults?.seed ?? 1);
  let schedule = [...(faults?.schedule ?? [])];
  const faultStats: FaultStats = { injected: { "500": 0, "502": 0, timeout: 0, secondary: 0, primary: 0, "429": 0, "403": 0 }, total: 0, retried: 0 };
  const faulted = new Map<string, number>();
  // Faulted requests not asked again yet: the next identical request is their retry.
  const awaiting = new Set<string>();

  const server = createServer((req, res) => {
    const start = performance.now();
    void handle(req, res, start).catch((error: unknown) => {
      violations.push(`fake GitHub crashed on ${req.method} ${req.url}: ${String(error)}`);
      send(res, 500, { message: String(error) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, start: number): Promise<void> {
    const raw = await readBody(req);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", base);
    const delivery = req.headers["x-github-delivery"];
    const recorded: FakeRequest = { method, path: url.pathname + url.search, body, start, ...(typeof delivery === "string" ? { delivery } : {}) };
    requests.push(recorded);
    res.once("finish", () => (recorded.end = performance.now()));
    if (options.validate !== false) violations.push(...validateRequest(method, url.href, body));
    if (options.gate) await options.gate(recorded);
    const path = url.pathname.replace(/^\/api\/v3/, "");
    if (injectFault(req, res, method, path, url, raw)) return;
    const route = (pattern: string) => match(method, path, pattern);
    const q = url.searchParams;
    let m: Record<string, string> | undefined;

    if ((m = route("POST /app/installations/:id/access_tokens"))) return send(res, 201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {} });
    if (route("GET /app")) return send(res, 200, { id: state.app.id, slug: state.app.slug, name: state.app.slug });

    if ((m = route("GET /repos/:owner/:repo/contents/:path"))) {
      const text = state.files.get(`${m.owner}/${m.repo}@${q.get("ref") ?? state.defaultBranch}:${m.path}`);
      if (text === undefined) return send(res, 404, { message: "Not Found" });
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      return void res.end(text);
    }
    if ((m = route("GET /repos/:owner/:repo/pulls/:n"))) return send(res, 200, pullJson(m, getPull(m)));
    if ((m = route("GET /repos/:owner/:repo/pulls/:n/files"))) return page(res, url, getPull(m).files);
    if ((m = route("GET /repos/:owner/:repo/pulls/:n/reviews"))) return page(res, url, getPull(m).reviews.map((r, i) => ({ id: i + 1, user: { login: r.user }, state: r.state })));
    if ((m = route("GET /repos/:owner/:repo/pulls/:n/requested_reviewers"))) {
      const pr = getPull(m);
      return send(res, 200, { users: pr.requestedUsers.map((login) => ({ login, type: "User" })), teams: pr.requestedTeams.map((slug) => ({ slug, name: slug })) });
    }
    if ((m = route("POST /repos/:owner/:repo/pulls/:n/requested_reviewers"))) {
      const pr = getPull(m);
      const b = body as { reviewers?: string[]; team_reviewers?: string[] };
      const who = [...(b.reviewers ?? []), ...(b.team_reviewers ?? [])];
      if (who.some((w) => !state.collaborators.has(w)))
        return send(res, 422, { message: `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${m.owner}/${m.repo} repository.` });
      pr.requestedUsers.push(...(b.reviewers ?? []).filter((u) => !pr.requestedUsers.includes(u)));
      pr.requestedTeams.push(...(b.team_reviewers ?? []).filter((t) => !pr.requestedTeams.includes(t)));
      return send(res, 201, pullJson(m, pr));
    }
    if ((m = route("GET /repos/:owner/:repo/issues/:n/comments"))) return page(res, url, state.comments.filter((c) => c.issue === issueKey(m!)).map((c) => commentJson(m!, c)));
    if ((m = route("POST /repos/:owner/:repo/issues/:n/comments"))) {
      const c: FakeComment = { id: nextId++, issue: issueKey(m), body: (body as { body: string }).body, user: { login: `${state.app.slug}[bot]`, type: "Bot", id: 9 }, performed_via_github_app: { ...state.app } };
      state.comments.push(c);
      return send(res, 201, commentJson(m, c));
    }
    if ((m = route("PATCH /repos/:owner/:repo/issues/comments/:id"))) {
      const c = state.comments.find((x) => x.id === Number(m!.id));
      if (!c) return send(res, 404, { message: "Not Found" });
      c.body = (body as { body: string }).body;
      return send(res, 200, commentJson(m, c));
    }
    if ((m = route("DELETE /repos/:owner/:repo/issues/comments/:id"))) {
      state.comments = state.comments.filter((x) => x.id !== Number(m!.id));
      return send(res, 204);
    }
    if ((m = route("POST /repos/:owner/:repo/labels"))) {
      const l = body as { name: string; color: string; description?: string };
      const key = `${m.owner}/${m.repo}:${l.name.toLowerCase()}`;
      if (state.labels.has(key)) return send(res, 422, { message: "Validation Failed", errors: [{ resource: "Label", code: "already_exists", field: "name" }] });
      state.labels.set(key, l);
      return send(res, 201, { id: nextId++, ...l, default: false });
    }
    if ((m = route("POST /repos/:owner/:repo/issues/:n/labels"))) {
      const pr = getPull(m);
      for (const name of (body as { labels: string[] }).labels) if (!pr.labels.includes(name)) pr.labels.push(name);
      return send(res, 200, pr.labels.map((name) => ({ name })));
    }
    if ((m = route("DELETE /repos/:owner/:repo/issues/:n/labels/:name"))) {
      const pr = getPull(m);
      if (!pr.labels.includes(m.name!)) return send(res, 404, { message: "Label does not exist" });
      pr.labels = pr.labels.filter((l) => l !== m!.name);
      return send(res, 200, pr.labels.map((name) => ({ name })));
    }
    if ((m = route("POST /repos/:owner/:repo/check-runs"))) {
      const b = body as Omit<FakeCheckRun, "id" | "repo" | "annotations"> & { output?: { annotations?: unknown[] } };
      const run: FakeCheckRun = { ...b, id: nextId++, repo: `${m.owner}/${m.repo}`, annotations: [...(b.output?.annotations ?? [])] };
      state.checkRuns.push(run);
      return send(res, 201, checkRunJson(run));
    }
    if ((m = route("PATCH /repos/:owner/:repo/check-runs/:id"))) {
      const run = state.checkRuns.find((r) => r.id === Number(m!.id));
      if (!run) return send(res, 404, { message: "Not Found" });
      const b = body as Partial<FakeCheckRun> & { output?: { annotations?: unknown[] } };
      // GitHub appends annotations on every update.
      Object.assign(run, b, { annotations: [...run.annotations, ...(b.output?.annotations ?? [])] });
      return send(res, 200, checkRunJson(run));
    }
    if ((m = route("GET /repos/:owner/:repo/commits/:sha/check-runs"))) {
      const runs = state.checkRuns.filter((r) => r.repo === `${m!.owner}/${m!.repo}` && r.head_sha === m!.sha && (!q.get("check_name") || r.name === q.get("check_name")));
      return send(res, 200, { total_count: runs.length, check_runs: runs.map(checkRunJson) });
    }
    if ((m = route("GET /orgs/:org/teams/:team/memberships/:user"))) {
      if (!state.teamMembers.get(m.team!)?.has(m.user!)) return send(res, 404, { message: "Not Found" });
      return send(res, 200, { url: url.href, role: "member", state: "active" });
    }
    if ((m = route("GET /repos/:owner/:repo/collaborators/:user/permission"))) {
      const permission = state.permissions.get(m.user!) ?? "read";
      return send(res, 200, { permission, role_name: permission, user: null });
    }
    if ((m = route("GET /repos/:owner/:repo/commits/:sha/pulls")))
      return send(res, 200, [...state.pulls.entries()].filter(([k, p]) => k.startsWith(`${m!.owner}/${m!.repo}#`) && p.headSha === m!.sha).map(([, p]) => pullJson(m!, p)));

    violations.push(`fake GitHub does not implement ${method} ${path}`);
    send(res, 404, { message: "Not Found" });
  }

  /** Answers with a fault when the dice (or the schedule) say so; counts retries of faulted requests. */
  function injectFault(req: IncomingMessage, res: ServerResponse, method: string, path: string, url: URL, raw: string): boolean {
    const key = `${String(req.headers["x-github-delivery"] ?? "")} ${method} ${url.pathname}${url.search} ${raw}`;
    const before = faulted.get(key);
    if (awaiting.delete(key)) faultStats.retried++;
    if (!faults) return false;
    const eligible = faults.eligible ?? ((m: string, p: string) => !(m === "POST" && p.endsWith("/access_tokens")) && p !== "/app");
    if (!eligible(method, path) || (before ?? 0) >= (faults.maxPerRequest ?? 2)) return false;
    const kinds = faults.kinds ?? ["500", "502", "timeout", "secondary", "primary", "429"];
    const kind = schedule.length ? schedule.shift() : dice() < (faults.rate ?? 0) ? kinds[Math.floor(dice() * kinds.length)] : undefined;
    if (!kind) return false;
    faulted.set(key, (before ?? 0) + 1);
    awaiting.add(key);
    faultStats.injected[kind]++;
    faultStats.total++;
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    const limited = { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-used": "5000", "x-ratelimit-reset": reset };
    switch (kind) {
      case "500":
        send(res, 500, { message: "Server Error" });
        break;
      case "502":
        send(res, 502, { message: "Server Error" });
        break;
      case "timeout": {
        const timer = setTimeout(() => res.socket?.destroy(), faults.holdMs ?? 1500);
        res.on("close", () => clearTimeout(timer));
        break;
      }
      case "secondary":
        send(res, 403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }, { "retry-after": "1" });
        break;
      case "primary":
        send(res, 403, { message: "API rate limit exceeded for installation ID 2.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }, limited);
        break;
      case "429":
        send(res, 429, { message: "API rate limit exceeded for installation ID 2." }, limited);
        break;
      case "403":
        send(res, 403, { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" });
        break;
    }
    return true;
  }

  function getPull(m: Record<string, string>): FakePull {
    const pr = state.pulls.get(issueKey(m));
    if (!pr) throw new Error(`no pull ${issueKey(m)}`);
    return pr;
  }

  function page(res: ServerResponse, url: URL, items: unknown[]): void {
    const per = Math.min(Number(url.searchParams.get("per_page") ?? 30), options.pageSize ?? 100);
    const n = Number(PAGE.exec(url.searchParams.get("page") ?? "1")?.[1] ?? 1);
    const headers: Record<string, string> = {};
    if (n * per < items.length) {
      const next = new URL(url.href);
      next.searchParams.set("page", String(n + 1));
      headers.link = `<${next.href}>; rel="next"`;
    }
    send(res, 200, items.slice((n - 1) * per, n * per), headers);
  }

  function pullJson(m: Record<string, string>, pr: FakePull) {
    const html = `https://github.com/${m.owner}/${m.repo}/pull/${pr.number}`;
    return {
      number: pr.number,
      state: pr.state,
      draft: pr.draft,
      title: pr.title ?? `PR ${pr.number}`,
      html_url: html,
      updated_at: pr.updatedAt,
      user: { login: pr.author, type: "User" },
      head: { sha: pr.headSha, ref: "feature", repo: { id: 1, name: m.repo, full_name: `${m.owner}/${m.repo}` } },
      base: { ref: pr.base, sha: "0".repeat(40), repo: { id: 1, name: m.repo, full_name: `${m.owner}/${m.repo}` } },
      changed_files: pr.files.length,
      labels: pr.labels.map((name) => ({ name })),
      requested_reviewers: pr.requestedUsers.map((login) => ({ login, type: "User" })),
      requested_teams: pr.requestedTeams.map((slug) => ({ slug, name: slug })),
    };
  }

  function checkRunJson(run: FakeCheckRun) {
    return { ...run, output: { ...run.output, annotations_count: run.annotations.length }, app: { id: state.app.id }, pull_requests: [] };
  }

  function commentJson(m: Record<string, string>, c: FakeComment) {
    const [, number] = c.issue.split("#");
    return { ...c, html_url: `https://github.com/${m.owner}/${m.repo}/pull/${number}#issuecomment-${c.id}` };
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  return {
    host: `127.0.0.1:${port}`,
    url: base,
    state,
    requests,
    violations,
    setFile: (repo, ref, path, text) => void state.files.set(`${repo}@${ref}:${path}`, text),
    addPull(repo, pull) {
      const pr: FakePull = { state: "open", draft: false, author: "dev", base: state.defaultBranch, headSha: "a".repeat(40), updatedAt: "2026-01-01T00:00:00Z", labels: [], requestedUsers: [], requestedTeams: [], reviews: [], ...pull };
      state.pulls.set(`${repo}#${pr.number}`, pr);
      return pr;
    },
    pull(repo, number) {
      const pr = state.pulls.get(`${repo}#${number}`);
      if (!pr) throw new Error(`no pull ${repo}#${number}`);
      return pr;
    },
    token,
    faults: faultStats,
    setFaults(next) {
      faults = next;
      dice = mulberry32(next?.seed ?? 1);
      schedule = [...(next?.schedule ?? [])];
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function issueKey(m: Record<string, string>): string {
  return `${m.owner}/${m.repo}#${m.n}`;
}


function match(method: string, path: string, pattern: string): Record<string, string> | undefined {
  const [want, template = ""] = pattern.split(" ");
  if (method !== want) return undefined;
  const names: string[] = [];
  const re = new RegExp(`^${template.replace(/:(\w+)/g, (_, name: string) => (names.push(name), "([^/]+)"))}$`);
  const found = re.exec(path);
  if (!found) return undefined;
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1]!)]));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    return void res.end();
  }
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}
