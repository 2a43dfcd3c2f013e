import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import type { RiskLevel } from "../types.js";

/**
 * Lockstep's Prometheus metrics, one registry per process. Module state on purpose: replicas
 * are separate processes, and the engine can report an evaluation without any plumbing
 * (`observeEvaluation`). Tests read values through `registry`, never reset it.
 */
export const registry = new Registry();

const deliveries = new Counter({
  name: "lockstep_deliveries_total",
  help: "Webhook deliveries handled, by event (name.action) and outcome (success, error).",
  labelNames: ["event", "outcome"] as const,
  registers: [registry],
});

const deliveryDuration = new Histogram({
  name: "lockstep_delivery_duration_seconds",
  help: "Time to handle one webhook delivery, GitHub requests included.",
  labelNames: ["event"] as const,
  // Write throttling makes a delivery with writes take seconds (one write per second per installation).
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

const evaluationDuration = new Histogram({
  name: "lockstep_evaluation_duration_seconds",
  help: "Time the pure engine takes to evaluate one pull request (no I/O).",
  buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [registry],
});

const decisions = new Counter({
  name: "lockstep_decisions_total",
  help: "Pull request evaluations, by the risk they found (none, low, medium, high).",
  labelNames: ["risk"] as const,
  registers: [registry],
});

const githubRequests = new Counter({
  name: "lockstep_github_requests_total",
  help: "HTTP requests to the GitHub API (each retry counted), by method and response status ('error' when no response came).",
  labelNames: ["method", "status"] as const,
  registers: [registry],
});

const githubRetries = new Counter({
  name: "lockstep_github_retries_total",
  help: "GitHub API requests sent again after a failed attempt (server errors, rate limits).",
  registers: [registry],
});

/** How a delivery ended: its handler returned, or threw. */
export type DeliveryOutcome = "success" | "error";

/** Records one handled delivery. */
export function observeDelivery(event: string, outcome: DeliveryOutcome, seconds: number): void {
  deliveries.inc({ event, outcome });
  deliveryDuration.observe({ event }, seconds);
}

/**
 * Records one evaluation: how long `evaluate` took (milliseconds, e.g. from
 * `performance.now()` differences) and the risk it found, which counts as one decision.
 */
export function observeEvaluation(ms: number, risk: RiskLevel): void {
  evaluationDuration.observe(ms / 1000);
  decisions.inc({ risk });
}

/** Records one HTTP attempt against the GitHub API. */
export function observeGitHubRequest(method: string, status: number | "error"): void {
  githubRequests.inc({ method, status: String(status) });
}

/** Records `count` repeated attempts of one GitHub API request. */
export function observeGitHubRetries(count: number): void {
  if (count > 0) githubRetries.inc(count);
}

let processMetrics = false;
/**
 * Adds Node's default process metrics (CPU, memory, event loop lag, GC) to the registry, once.
 * Only a server calls this: the collectors keep timers that a one-shot Action run doesn't need.
 */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}
