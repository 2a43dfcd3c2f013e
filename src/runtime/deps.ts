import { Redis } from "ioredis";
import type { Probot } from "probot";
import { actorCache } from "../github/actor.js";
import { appIdentity } from "../github/app-identity.js";
import { checkRunMemo } from "../github/check-run-memo.js";
import { knownLabels } from "../github/labels.js";
import { configCaches } from "../github/load-config.js";
import type { Deps } from "../github/handle-pull-request.js";
import { stateKey } from "../signoff/record.js";
import type { Checklist } from "../types.js";
import { localHeads, redisHeads } from "./head-memory.js";
import { localLock, redisLock } from "./lock.js";

export type DepsEnv = {
  REDIS_URL?: string;
  LOCKSTEP_STATE_KEY?: string;
  WEBHOOK_SECRET?: string;
  /** How long a delivery waits for another replica's work on the same PR (ms). Default 120000. */
  LOCKSTEP_LOCK_WAIT_MS?: string;
};

// One Redis client per process and URL, created on first use and shared by every Probot instance.
const clients = new Map<string, Redis>();

/** The process's Redis client for Lockstep's locks and memory (Probot's throttling has its own). */
export function redisClient(url: string, log: Probot["log"]): Redis {
  let client = clients.get(url);
  if (!client) {
    client = new Redis(url, { maxRetriesPerRequest: 3, enableOfflineQueue: true });
    // Without a listener ioredis reports connection errors as unhandled; they surface as failed deliveries instead.
    client.on("error", (error: Error) => log.error({ err: error }, "Redis connection error"));
    clients.set(url, client);
  }
  return client;
}

/**
 * Lockstep's collaborators for one process: in-process lock and memory by default; with
 * `REDIS_URL`, a lock and a head memory shared by every replica (and Probot's throttling shares
 * the same Redis through its own client). `overrides` replace single collaborators (the Action's identity).
 */
export function createDeps(app: Probot, builtins: Checklist[], env: DepsEnv = process.env, overrides: Partial<Deps> = {}): Deps {
  const waitMs = Number(env.LOCKSTEP_LOCK_WAIT_MS);
  const shared = env.REDIS_URL ? redisClient(env.REDIS_URL, app.log) : undefined;
  return {
    builtins,
    identity: appIdentity(app),
    lock: shared ? redisLock(shared, Number.isFinite(waitMs) && waitMs > 0 ? { waitMs } : {}) : localLock(),
    heads: shared ? redisHeads(shared) : localHeads(),
    checkRuns: checkRunMemo(),
    stateKey: stateKey(env),
    actors: actorCache(),
    labels: knownLabels(),
    configs: configCaches(),
    ...overrides,
  };
}
