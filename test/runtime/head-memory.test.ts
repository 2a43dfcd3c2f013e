import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localHeads, redisHeads, type HeadMemory } from "../../src/runtime/head-memory.js";
import { skipRedis, startRedis } from "../helpers/redis-server.js";

function behaves(name: string, make: () => HeadMemory) {
  describe(name, () => {
    it("remembers the newest head per PR; an older event never replaces it", async () => {
      const m = make();
      expect(await m.observe("pr-1", { sha: "a", at: 10 })).toBeUndefined();
      expect(await m.observe("pr-1", { sha: "b", at: 20 })).toEqual({ sha: "a", at: 10 });
      expect(await m.observe("pr-1", { sha: "a", at: 10 })).toEqual({ sha: "b", at: 20 });
      expect(await m.observe("pr-1", { sha: "c", at: 0 })).toEqual({ sha: "b", at: 20 });
      expect(await m.observe("pr-1", { sha: "b", at: 20 })).toEqual({ sha: "b", at: 20 });
      expect(await m.observe("pr-2", { sha: "x", at: 1 })).toBeUndefined();
    });
  });
}

behaves("localHeads", () => localHeads());

describe.skipIf(skipRedis)("redisHeads (real redis-server)", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const clients: Redis[] = [];
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await Promise.all(clients.map((c) => c.quit())); await redis.stop(); });

  it("is shared by replicas (separate connections)", async () => {
    const [a, b] = [new Redis(redis.url), new Redis(redis.url)];
    clients.push(a, b);
    expect(await redisHeads(a).observe("pr-7", { sha: "new", at: 20 })).toBeUndefined();
    expect(await redisHeads(b).observe("pr-7", { sha: "old", at: 10 })).toEqual({ sha: "new", at: 20 });
    expect(await b.ttl("lockstep:head:pr-7")).toBeGreaterThan(0);
  });

  it("behaves like the local memory", async () => {
    const c = new Redis(redis.url);
    clients.push(c);
    const m = redisHeads(c, { prefix: "t:" });
    expect(await m.observe("pr-1", { sha: "a", at: 10 })).toBeUndefined();
    expect(await m.observe("pr-1", { sha: "b", at: 20 })).toEqual({ sha: "a", at: 10 });
    expect(await m.observe("pr-1", { sha: "a", at: 10 })).toEqual({ sha: "b", at: 20 });
  });
});
