import type { Context } from "probot";
import { instrumentOctokit } from "./instrument-octokit.js";
import { observeDelivery } from "./metrics.js";

/** What `observed` needs of a Probot context; every `Context<E>` has it. */
type ObservableContext = Pick<Context, "name" | "log" | "octokit"> & { payload: object };

/**
 * Wraps a webhook handler for operations: its log lines carry the repository and PR number
 * (Probot's event logger already carries the delivery id), its GitHub requests are counted, and
 * the delivery's outcome and duration are recorded and logged. The handler's result and errors pass
 * through unchanged, so Probot still logs and reports a failure.
 */
export function observed<C extends ObservableContext>(handler: (context: C) => Promise<void>): (context: C) => Promise<void> {
  return async (context) => {
    const event = "action" in context.payload && typeof context.payload.action === "string" ? `${context.name}.${context.payload.action}` : context.name;
    // Probot hands one Context to every handler of an event: bind the logger on a view of it.
    const scoped: C = Object.create(context, { log: { value: context.log.child(subject(context.payload)), enumerable: true } });
    instrumentOctokit(context.octokit);
    const started = performance.now();
    let outcome: "success" | "error" = "error";
    try {
      await handler(scoped);
      outcome = "success";
    } finally {
      const ms = performance.now() - started;
      observeDelivery(event, outcome, ms / 1000);
      // One line per delivery; on error Probot logs the error itself, with its stack.
      scoped.log.info({ event, outcome, ms: Math.round(ms) }, "delivery handled");
    }
  };
}

type Json = Record<string, unknown>;

/** `{ repo: "owner/name", pr: 7 }` for the payload, as far as it names them. */
export function subject(payload: object): { repo?: string; pr?: number } {
  const p = payload as Json;
  const repo = (p.repository as Json | undefined)?.full_name;
  const checkRun = p.check_run as { pull_requests?: { number?: unknown }[] } | undefined;
  const pr = (p.pull_request as Json | undefined)?.number ?? ((p.issue as Json | undefined)?.pull_request ? (p.issue as Json).number : undefined) ?? checkRun?.pull_requests?.[0]?.number;
  return { ...(typeof repo === "string" ? { repo } : {}), ...(typeof pr === "number" ? { pr } : {}) };
}
