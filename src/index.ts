import type { ApplicationFunction } from "probot";
import { loadBuiltinChecklists } from "./core/builtin.js";
import { formatProblem, hasErrors } from "./core/format.js";
import { createEventHandlers } from "./github/event-handlers.js";
import type { AppIdentity } from "./github/repo-client.js";
import { createDeps } from "./runtime/deps.js";
import { collectProcessMetrics } from "./runtime/metrics.js";
import { observed } from "./runtime/observed.js";
import { opsRoutes } from "./runtime/ops-routes.js";
import { installProcessGuards } from "./runtime/process-guards.js";

export type LockstepOptions = {
  /** Who Lockstep is on GitHub; by default the App's own identity. The Action passes the token's bot. */
  identity?: AppIdentity;
};

/**
 * Lockstep, the Probot App: subscribes to the events of SPEC §3 and nothing else. Every handler
 * is `observed` (metrics, repo and PR on its log lines); under a server, `/healthz` and
 * `/metrics` are served too.
 */
export const createLockstep = (lockstepOptions: LockstepOptions = {}): ApplicationFunction => (app, options) => {
  const builtin = loadBuiltinChecklists();
  if (hasErrors(builtin.problems)) throw new Error(`built-in checklists are invalid:\n${builtin.problems.map(formatProblem).join("\n")}`);
  installProcessGuards(app.log);
  const on = createEventHandlers(createDeps(app, builtin.checklists, process.env, lockstepOptions.identity ? { identity: lockstepOptions.identity } : {}));

  app.on(["pull_request.opened", "pull_request.reopened", "pull_request.synchronize", "pull_request.ready_for_review"], observed(on.pullRequest));
  app.on("pull_request.edited", observed(on.pullRequestEdited));
  app.on("issue_comment.created", observed(on.issueCommentCreated));
  app.on("issue_comment.edited", observed(on.issueCommentEdited));
  app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], observed(on.review));
  app.on("check_run.rerequested", observed(on.checkRunRerequested));
  app.on("check_suite.rerequested", observed(on.checkSuiteRerequested));
  app.on("merge_group.checks_requested", observed(on.mergeGroup));

  serveOpsRoutes(options);
};

/** Registers `/healthz` and `/metrics` when there is a server: `probot.load` (tests, the Action) has none and throws. */
function serveOpsRoutes(options: Parameters<ApplicationFunction>[1] | undefined): void {
  if (typeof options?.addHandler !== "function") return;
  try {
    options.addHandler(opsRoutes);
  } catch {
    return;
  }
  collectProcessMetrics();
}

export default createLockstep();
