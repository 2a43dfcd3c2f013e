import { createRequire } from "node:module";
import { ProbotOctokit } from "probot";

/** The environment knobs of Lockstep's GitHub client (docs/reliability.md). Unset = the default. */
export type OctokitEnv = {
  [name: string]: string | undefined;
  /** Retries of a 5xx answer or a timeout (Octokit's retry plugin). Default 3. */
  LOCKSTEP_RETRIES?: string;
  /** Backoff unit in ms: retries wait (n+1)² units; rate-limit waits count GitHub's seconds in units. Default 1000. */
  LOCKSTEP_RETRY_BASE_MS?: string;
  /** Retries after a primary or secondary rate limit. Default 3. */
  LOCKSTEP_RATE_LIMIT_RETRIES?: string;
  /** A rate limit that asks to wait longer than this (seconds) is not waited for. Default 90. */
  LOCKSTEP_RATE_LIMIT_MAX_WAIT_S?: string;
  /** A request with no complete answer after this many ms fails (and is retried). Default 20000. */
  LOCKSTEP_REQUEST_TIMEOUT_MS?: string;
  /** Minimum spacing of writes, and of notifying writes, per installation (Probot's 1000 and 3000 ms by default). */
  LOCKSTEP_WRITE_MIN_MS?: string;
  LOCKSTEP_NOTIFY_MIN_MS?: string;
};

export type ClientTuning = {
  retries: number;
  baseMs: number;
  rateLimitRetries: number;
  rateLimitMaxWaitS: number;
  timeoutMs: number;
  writeMinMs?: number;
  notifyMinMs?: number;
};

/** Reads the knobs; a value that is not a non-negative number is ignored (the default applies). */
export function clientTuning(env: OctokitEnv): ClientTuning {
  const num = (v: string | undefined, d: number) => (v !== undefined && v.trim() !== "" && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : d);
  const opt = (v: string | undefined) => (v !== undefined && v.trim() !== "" && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : undefined);
  const writeMinMs = opt(env.LOCKSTEP_WRITE_MIN_MS);
  const notifyMinMs = opt(env.LOCKSTEP_NOTIFY_MIN_MS);
  return {
    retries: num(env.LOCKSTEP_RETRIES, 3),
    baseMs: num(env.LOCKSTEP_RETRY_BASE_MS, 1000),
    rateLimitRetries: num(env.LOCKSTEP_RATE_LIMIT_RETRIES, 3),
    rateLimitMaxWaitS: num(env.LOCKSTEP_RATE_LIMIT_MAX_WAIT_S, 90),
    timeoutMs: num(env.LOCKSTEP_REQUEST_TIMEOUT_MS, 20_000) || 20_000,
    ...(writeMinMs !== undefined ? { writeMinMs } : {}),
    ...(notifyMinMs !== undefined ? { notifyMinMs } : {}),
  };
}

type Log = { warn: (obj: object, msg: string) => void };
type RequestOptions = { method: string; url: string };
type ThrottleOptions = {
  enabled?: boolean;
  id?: string;
  connection?: unknown;
  Bottleneck?: BottleneckClass;
  timeout?: number;
  [key: string]: unknown;
};
type ClientOptions = {
  log?: Log;
  throttle?: ThrottleOptions;
  retry?: Record<string, unknown>;
  request?: { fetch?: typeof fetch; [key: string]: unknown };
  [key: string]: unknown;
};
type BottleneckGroup = object;
type BottleneckClass = { Group: new (options: Record<string, unknown>) => BottleneckGroup };

/**
 * Probot's Octokit with retries and throttling configured for Lockstep (plugins configured, not
 * re-written): 5xx answers and timeouts are retried `LOCKSTEP_RETRIES` times with quadratic backoff;
 * primary rate limits (403/429 with `x-ratelimit-remaining: 0`) and secondary ones (403 "secondary
 * rate limit", `retry-after`) are waited out and retried a bounded number of times. Probot's
 * default only warns on a secondary limit. Every request has a timeout. Pass it to Probot's
 * `run(app, { Octokit })` or `new Probot({ Octokit })`. The environment is read when a client is
 * built, after Probot has applied `.env`.
 */
export function lockstepOctokit(env: OctokitEnv = process.env): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: ClientOptions) => configure(options, clientTuning(env)));
}

/** The options transform behind `lockstepOctokit` (exported for tests). Idempotent. */
export function configure(options: ClientOptions, tuning: ClientTuning): ClientOptions {
  const log = options.log;
  const rateLimited = (kind: string) => (retryAfter: number, request: RequestOptions, _octokit: unknown, retryCount: number) => {
    const retry = retryCount < tuning.rateLimitRetries && retryAfter <= tuning.rateLimitMaxWaitS;
    log?.warn({ method: request.method, url: request.url, retryAfter, retryCount, retry }, `GitHub ${kind} rate limit: ${retry ? `retrying after ${retryAfter} s` : "giving up"}`);
    return retry;
  };
  const throttle = options.throttle;
  return {
    ...options,
    retry: { ...options.retry, retries: tuning.retries, retryAfterBaseValue: tuning.baseMs },
    throttle:
      throttle?.enabled === false
        ? throttle
        : {
            ...throttle,
            retryAfterBaseValue: tuning.baseMs,
            onRateLimit: rateLimited("primary"),
            onSecondaryRateLimit: rateLimited("secondary"),
            ...writeGroups(throttle, tuning),
          },
    request: { ...options.request, fetch: withTimeout(options.request?.fetch ?? globalThis.fetch, tuning.timeoutMs) },
  };
}

const TIMED = Symbol("lockstep.timeout");
type TimedFetch = typeof fetch & { [TIMED]?: true };

/**
 * A fetch that gives up when the whole answer (headers and body) has not arrived in `ms`. It fails
 * with a plain Error, which Octokit turns into a 500 RequestError that the retry plugin retries
 * (an AbortError would not be retried).
 */
export function withTimeout(inner: typeof fetch, ms: number): typeof fetch {
  if ((inner as TimedFetch)[TIMED]) return inner;
  const timed: TimedFetch = async (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    try {
      const res = await inner(input, { ...init, signal });
      const empty = [101, 204, 205, 304].includes(res.status);
      const body = empty ? null : await res.arrayBuffer();
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (error) {
      if (controller.signal.aborted) throw new Error(`GitHub did not answer within ${ms} ms`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  timed[TIMED] = true;
  return timed;
}

// Throttling groups are per process and per id (like the plugin's own), created once.
const groups = new Map<string, BottleneckGroup>();

/** Replacement write/notification groups when their spacing is configured (e.g. to keep a soak fast). */
function writeGroups(throttle: ThrottleOptions | undefined, tuning: ClientTuning): Record<string, BottleneckGroup> {
  const out: Record<string, BottleneckGroup> = {};
  if (tuning.writeMinMs === undefined && tuning.notifyMinMs === undefined) return out;
  const Bottleneck = throttle?.Bottleneck ?? bundledBottleneck();
  const common = { timeout: throttle?.timeout ?? 120_000, ...(throttle?.connection ? { connection: throttle.connection } : {}) };
  const group = (id: string, minTime: number) => {
    const key = `${id}:${minTime}:${throttle?.connection ? "cluster" : "local"}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = new Bottleneck.Group({ id: `lockstep-${id}`, maxConcurrent: 1, minTime, ...common })));
    return g;
  };
  if (tuning.writeMinMs !== undefined) out.write = group("write", tuning.writeMinMs);
  if (tuning.notifyMinMs !== undefined) out.notifications = group("notifications", tuning.notifyMinMs);
  return out;
}

/** The Bottleneck that Probot's throttling uses, resolved from probot's own dependencies. */
function bundledBottleneck(): BottleneckClass {
  return createRequire(import.meta.resolve("probot"))("bottleneck/light.js") as BottleneckClass;
}
