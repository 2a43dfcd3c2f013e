import { Probot, ProbotOctokit, type ApplicationFunction } from "probot";
import app from "../../src/index.js";
import { privateKey } from "./keys.js";
import { validateRequest } from "./openapi.js";

export const APP_ID = 123;
export const INSTALLATION_ID = 2;

/** A request the App made, as GitHub would see it. */
export type RecordedRequest = { method: string; path: string; body: unknown };

export type TestApp = {
  probot: Probot;
  /** Every request, in order (token exchange included). */
  requests: RecordedRequest[];
  /** Deviations from GitHub's OpenAPI description; a test fails unless this stays empty. */
  violations: string[];
  /** `METHOD /path` of every request, query strings dropped: for asserting call counts. */
  calls: () => string[];
  /** The most writes (non-GET requests) that were in flight at once: whether independent writes overlap. */
  writesInFlight: () => number;
};

/**
 * A Probot instance running Lockstep against nock: retry and throttling off (function-form
 * defaults, see probot-facts §0.3), and a `fetch` that records every request and validates it
 * against GitHub's OpenAPI description before nock (or the fake GitHub at `baseUrl`) sees it.
 */
export async function createTestApp(options: { baseUrl?: string; Octokit?: typeof ProbotOctokit; log?: Probot["log"]; app?: ApplicationFunction } = {}): Promise<TestApp> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const writes = { now: 0, most: 0 };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? "GET").toUpperCase();
    const text = typeof init?.body === "string" ? init.body : undefined;
    const body: unknown = text ? JSON.parse(text) : undefined;
    requests.push({ method, path: new URL(url).pathname + new URL(url).search, body });
    violations.push(...validateRequest(method, url, body));
    if (method === "GET") return globalThis.fetch(input, init);
    writes.most = Math.max(writes.most, ++writes.now);
    try {
      return await globalThis.fetch(input, init);
    } finally {
      writes.now--;
    }
  };
  const probot = new Probot({
    appId: APP_ID,
    privateKey: privateKey(),
    logLevel: "fatal",
    ...(options.log ? { log: options.log } : {}),
    Octokit: options.Octokit ?? ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
    request: { fetch },
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  await probot.load(options.app ?? app);
  return { probot, requests, violations, calls: () => requests.map((r) => `${r.method} ${r.path.split("?")[0]}`), writesInFlight: () => writes.most };
}
