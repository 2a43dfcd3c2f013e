import type { ApplicationFunction } from "probot";
import { loadBuiltinChecklists } from "./core/builtin.js";
import { formatProblem, hasErrors } from "./core/format.js";
import { createEventHandlers } from "./github/event-handlers.js";
import { createDeps } from "./runtime/deps.js";
import { installProcessGuards } from "./runtime/process-guards.js";

/** Lockstep, the Probot App: subscribes to the events of SPEC §3 and nothing else. */
const lockstep: ApplicationFunction = (app) => {
  const builtin = loadBuiltinChecklists();
  if (hasErrors(builtin.problems)) throw new Error(`built-in checklists are invalid:\n${builtin.problems.map(formatProblem).join("\n")}`);
  installProcessGuards(app.log);
  const on = createEventHandlers(createDeps(app, builtin.checklists, process.env));

  app.on(["pull_request.opened", "pull_request.reopened", "pull_request.synchronize", "pull_request.ready_for_review"], on.pullRequest);
  app.on("pull_request.edited", on.pullRequestEdited);
  app.on("issue_comment.created", on.issueCommentCreated);
  app.on("issue_comment.edited", on.issueCommentEdited);
  app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], on.review);
  app.on("check_run.rerequested", on.checkRunRerequested);
  app.on("check_suite.rerequested", on.checkSuiteRerequested);
  app.on("merge_group.checks_requested", on.mergeGroup);
};

export default lockstep;
