import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localLock, redisLock, type KeyedLock } from "../../src/runtime/lock.js";
import { skipRedis, startRedis } from "../helpers/redis-server.js";

const tick = () => new Promise((r) => setTimeout(r, 2));

/** Runs `n` overlapping tasks per key through the locks and records the peak concurrency per key. */
async function hammer(locks: KeyedLock[], keys: string[], n: number) {
  const active = new Map<string, number>();
  const peak = new Map<string, number>();
  const order: string[] = [];
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      keys.map((key) =>
        locks[i % locks.length]!.run(key, async () => {
          active.set(key, (active.get(key) ?? 0) + 1);
          peak.set(key, Math.max(peak.get(key) ?? 0, active.get(key)!));
          await tick();
          order.push(`${key}:${i}`);
          active.set(key, active.get(key)! - 1);
        }),
      ),
    ).flat(),
  );
  return { peak, order };
}

describe("localLock", () => {
  it("runs work for one key one at a time, in arrival order", async () => {
    const { peak, order } = await hammer([localLock()], ["pr-1"], 20);
    expect(peak.get("pr-1")).toBe(1);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => `pr-1:${i}`));
  });

  it("runs different keys in parallel", async () => {
    const lock = localLock();
    let overlap = false;
    let running = 0;
    await Promise.all(["a", "b"].map((k) => lock.run(k, async () => { running++; await tick(); overlap ||= running === 2; running--; })));
    expect(overlap).toBe(true);
  });

  it("keeps going after a failed task, and passes the failure to its caller", async () => {
    const lock = localLock();
    const failed = lock.run("k", async () => { throw new Error("boom"); });
    const next = lock.run("k", async () => "ok");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ok");
  });
});

describe.skipIf(skipRedis)("redisLock (real redis-server)", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const clients: Redis[] = [];
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await Promise.all(clients.map((c) => c.quit())); await redis.stop(); });
  const client = () => { const c = new Redis(redis.url); clients.push(c); return c; };

  it("serialises one key across two replicas (separate connections), other keys in parallel", async () => {
    const replicas = [redisLock(client()), redisLock(client())];
    const { peak } = await hammer(replicas, ["pr-1", "pr-2"], 20);
    expect(peak.get("pr-1")).toBe(1);
    expect(peak.get("pr-2")).toBe(1);
  });

  it("frees the lock of a replica that died holding it after the ttl", async () => {
    const c = client();
    await c.set("lockstep:lock:pr-9", "dead-replica", "PX", 300);
    const started = Date.now();
    await redisLock(client(), { ttlMs: 300 }).run("pr-9", async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("gives up with an error when the lock is not free in time", async () => {
    await client().set("lockstep:lock:pr-10", "busy", "PX", 10_000);
    await expect(redisLock(client(), { waitMs: 200 }).run("pr-10", async () => undefined)).rejects.toThrow(/timed out after 200 ms waiting for the lock on pr-10/);
  });
});

describe("contention", () => {
  it("tells the work whether other work on the key came first", async () => {
    const lock = localLock();
    const seen: boolean[] = [];
    await Promise.all([0, 1, 2].map(() => lock.run("k", async ({ contended }) => void seen.push(contended))));
    await lock.run("k", async ({ contended }) => void seen.push(contended));
    expect(seen).toEqual([false, true, true, false]);
  });
});
