import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { clientTuning, configure, withTimeout } from "../../src/runtime/octokit.js";

describe("clientTuning", () => {
  it("has bounded defaults, and ignores values that are not non-negative numbers", () => {
    expect(clientTuning({})).toEqual({ retries: 3, baseMs: 1000, rateLimitRetries: 3, rateLimitMaxWaitS: 90, timeoutMs: 20_000 });
    expect(clientTuning({ LOCKSTEP_RETRIES: "-1", LOCKSTEP_RETRY_BASE_MS: "abc", LOCKSTEP_WRITE_MIN_MS: "0" })).toMatchObject({ retries: 3, baseMs: 1000, writeMinMs: 0 });
  });
});

describe("configure", () => {
  const tuning = clientTuning({ LOCKSTEP_RETRY_BASE_MS: "5" });
  it("retries secondary and primary rate limits a bounded number of times, never for long waits", () => {
    const options = configure({ throttle: { enabled: true, id: "2" } }, tuning);
    const t = options.throttle as Record<string, (...a: unknown[]) => boolean>;
    const req = { method: "POST", url: "/x" };
    expect(t.onSecondaryRateLimit!(1, req, {}, 0)).toBe(true);
    expect(t.onSecondaryRateLimit!(1, req, {}, 3)).toBe(false);
    expect(t.onRateLimit!(2, req, {}, 2)).toBe(true);
    expect(t.onRateLimit!(3600, req, {}, 0)).toBe(false);
    expect(options.retry).toEqual({ retries: 3, retryAfterBaseValue: 5 });
    expect(options.throttle).toMatchObject({ id: "2", retryAfterBaseValue: 5 });
  });

  it("leaves disabled throttling disabled, and wraps fetch once however often it is applied", () => {
    const once = configure({ throttle: { enabled: false } }, tuning);
    expect(once.throttle).toEqual({ enabled: false });
    const twice = configure(once, tuning);
    expect(twice.request!.fetch).toBe(once.request!.fetch);
  });
});

describe("withTimeout", () => {
  it("fails with a plain error (retried by Octokit) when the answer does not come in time", async () => {
    const server = createServer((_req, res) => setTimeout(() => res.end("late"), 500));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const error = await withTimeout(fetch, 50)(url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe("Error");
      expect((error as Error).message).toBe("GitHub did not answer within 50 ms");
      expect(await (await withTimeout(fetch, 2000)(url)).text()).toBe("late");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
