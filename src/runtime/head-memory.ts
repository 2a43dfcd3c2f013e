import type { Redis } from "ioredis";

/** A head commit of a pull request as an event saw it, ordered by the PR's `updated_at` (ms). */
export type HeadSeen = { sha: string; at: number };

/**
 * Remembers, per pull request, the newest head Lockstep has worked on, so that an event that
 * finished late (an older push delivered after a newer one) can tell it is stale, and so that a
 * PR seen before (by this replica or, through Redis, another) is known not to be new. Called
 * under the per-PR lock, so read-then-write needs no atomicity of its own.
 */
export type HeadMemory = {
  /**
   * Returns the newest head recorded before (undefined for a PR never seen) and records `seen`
   * unless the recorded one is newer. An unknown time (`at` = 0) never replaces a known one.
   */
  observe(key: string, seen: HeadSeen): Promise<HeadSeen | undefined>;
};

function newer(seen: HeadSeen, previous: HeadSeen | undefined): boolean {
  return previous === undefined || seen.at > previous.at || (seen.at === previous.at && seen.sha === previous.sha);
}

/** In-process memory, bounded: the least recently seen PRs go first. */
export function localHeads(max = 20_000): HeadMemory {
  const heads = new Map<string, HeadSeen>();
  return {
    async observe(key, seen) {
      const previous = heads.get(key);
      heads.delete(key);
      heads.set(key, newer(seen, previous) ? seen : previous!);
      if (heads.size > max) heads.delete(heads.keys().next().value!);
      return previous;
    },
  };
}

export type RedisHeadsOptions = { prefix?: string; ttlSeconds?: number };

/** Memory shared by replicas through Redis (one key per PR, kept `ttlSeconds` after its last event). */
export function redisHeads(redis: Redis, options: RedisHeadsOptions = {}): HeadMemory {
  const { prefix = "lockstep:head:", ttlSeconds = 30 * 24 * 3600 } = options;
  return {
    async observe(key, seen) {
      const name = prefix + key;
      const previous = parse(await redis.get(name));
      const keep = newer(seen, previous) ? seen : previous!;
      await redis.set(name, `${keep.at} ${keep.sha}`, "EX", ttlSeconds);
      return previous;
    },
  };
}

function parse(value: string | null): HeadSeen | undefined {
  if (!value) return undefined;
  const [at, sha] = value.split(" ");
  const ms = Number(at);
  return sha && Number.isFinite(ms) ? { sha, at: ms } : undefined;
}
