import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** What the work learns about how it got the lock. */
export type LockInfo = {
  /** Other work on the same key ran or was queued first (in this process or on another replica). */
  contended: boolean;
};

/** Runs work for one key (a pull request) one piece at a time. */
export type KeyedLock = {
  run<T>(key: string, fn: (info: LockInfo) => Promise<T>): Promise<T>;
};

/**
 * In-process serialisation: each key has a queue (a promise chain); different keys run in
 * parallel. Keys are dropped when their queue drains, so memory stays bounded by the work in flight.
 */
export function localLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, fn: (info: LockInfo) => Promise<T>): Promise<T> {
      const queued = tails.get(key);
      const info: LockInfo = { contended: queued !== undefined };
      const go = () => fn(info);
      const result = (queued ?? Promise.resolve()).then(go, go);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}

// Deletes the lock only when it still holds our token (another replica may own it after expiry).
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

export type RedisLockOptions = {
  /** Lock lifetime; renewed while the work runs, so a crashed replica frees it after this. */
  ttlMs?: number;
  /** How long to wait for the lock before giving up with an error (the delivery then fails loudly). */
  waitMs?: number;
  prefix?: string;
};

/**
 * Serialisation across replicas through Redis (SET NX PX with a token, renewed while held,
 * released by compare-and-delete), on top of the in-process queue so one replica never
 * competes with itself.
 */
export function redisLock(redis: Redis, options: RedisLockOptions = {}): KeyedLock {
  const { ttlMs = 30_000, waitMs = 120_000, prefix = "lockstep:lock:" } = options;
  const local = localLock();
  return {
    run<T>(key: string, fn: (info: LockInfo) => Promise<T>): Promise<T> {
      return local.run(key, async (info) => {
        const name = prefix + key;
        const token = randomUUID();
        const deadline = Date.now() + waitMs;
        let delay = 20;
        let contended = info.contended;
        while ((await redis.set(name, token, "PX", ttlMs, "NX")) !== "OK") {
          contended = true;
          if (Date.now() > deadline) throw new Error(`timed out after ${waitMs} ms waiting for the lock on ${key}`);
          await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
          delay = Math.min(delay * 2, 500);
        }
        const renew = setInterval(() => void redis.eval(EXTEND, 1, name, token, String(ttlMs)).catch(() => undefined), ttlMs / 3);
        try {
          return await fn({ contended });
        } finally {
          clearInterval(renew);
          await redis.eval(RELEASE, 1, name, token).catch(() => undefined);
        }
      });
    },
  };
}
