import type { Context } from "probot";
import { CHECK_NAME, renderMergeGroupCheck } from "../render/check-run.js";
import { handlePullRequest, type Deps } from "./handle-pull-request.js";
import { parseCommand } from "../signoff/commands.js";
import { resolveActor } from "./actor.js";
import { errorMessage } from "./repo-client.js";
import { writeCheckRun } from "./write-check-run.js";
import { isOwnComment } from "./write-comment.js";
import { withDelivery } from "../runtime/process-guards.js";

/**
 * One handler per webhook Lockstep subscribes to (SPEC §3). Each turns its payload into the PR
 * to evaluate, or returns early, before any request, when the event is not for Lockstep. Each
 * runs with its delivery id as context, so a stray error is logged with it (process-guards).
 */
export function createEventHandlers(deps: Deps) {
  return inDeliveries({
    /** opened, reopened, synchronize, ready_for_review. */
    async pullRequest(context: Context<"pull_request.opened" | "pull_request.reopened" | "pull_request.synchronize" | "pull_request.ready_for_review">) {
      const { action, pull_request } = context.payload;
      await handlePullRequest(context, { pull: pull_request, opened: action === "opened", newSha: action === "opened" || action === "synchronize" }, deps);
    },

    /** A change of the base branch (the config is read from there) or of the title (triggers can match it); not of the body. */
    async pullRequestEdited(context: Context<"pull_request.edited">) {
      if (!context.payload.changes.base && !context.payload.changes.title) return;
      await handlePullRequest(context, { pull: context.payload.pull_request }, deps);
    },

    /** `/lockstep recheck` (the author or anyone with write access) and `/lockstep waive <id> <reason>` (the checklist's reviewers). */
    async issueCommentCreated(context: Context<"issue_comment.created">) {
      const { issue, comment, sender } = context.payload;
      if (!issue.pull_request || issue.state !== "open" || context.isBot) return;
      const command = parseCommand(comment.body);
      if (!command) return;
      const where = context.issue();
      const answer = (body: string) =>
        context.octokit.rest.issues.createComment({ ...where, body }).then(
          () => undefined,
          (error: unknown) => context.log.warn({ err: error }, `could not reply: ${errorMessage(error)}`),
        );
      if (command.kind === "invalid") return answer(`@${sender.login} ${command.message}`);
      if (command.kind === "waive")
        return handlePullRequest(context, { pull: issue.number, signoff: { kind: "waive", checklist: command.checklist, reason: command.reason, sender: sender.login } }, deps);
      const gh = { octokit: context.octokit, log: context.log, ...context.repo() };
      const actor = await resolveActor(gh, sender.login, issue.user.login, { roles: {} }, { write: true }, deps.actors);
      if (!actor.isAuthor && !actor.canWrite) return answer(`@${sender.login} \`/lockstep recheck\` is for the pull request's author and people with write access.`);
      await handlePullRequest(context, { pull: issue.number }, deps);
    },

    /** A person edited Lockstep's comment: ticks are applied (or refused) and it is re-rendered. Lockstep's own edits come back too: ignored. */
    async issueCommentEdited(context: Context<"issue_comment.edited">) {
      const { issue, comment, changes, sender } = context.payload;
      if (!issue.pull_request || issue.state !== "open" || context.isBot) return;
      if (!(await isOwnComment(comment, deps.identity))) return;
      const signoff = { kind: "edit" as const, before: changes.body?.from ?? "", after: comment.body, sender: sender.login };
      await handlePullRequest(context, { pull: issue.number, signoff }, deps);
    },

    /** An approving review by a reviewer role signs off that role's items; dismissing it withdraws them. */
    async review(context: Context<"pull_request_review.submitted" | "pull_request_review.dismissed">) {
      const { action, review, pull_request } = context.payload;
      const signoff = review.user
        ? { kind: "review" as const, action, state: review.state, reviewer: review.user.login, reviewId: review.id }
        : undefined;
      await handlePullRequest(context, { pull: pull_request, ...(signoff ? { signoff } : {}) }, deps);
    },

    async checkRunRerequested(context: Context<"check_run.rerequested">) {
      const run = context.payload.check_run;
      if (run.name !== CHECK_NAME || !(await isOurs(run.app?.id))) return;
      // Fork PRs are missing from `pull_requests`; Lockstep puts the PR number in external_id.
      const number = run.pull_requests[0]?.number ?? Number.parseInt(run.external_id ?? "", 10);
      if (!Number.isInteger(number)) return;
      await handlePullRequest(context, { pull: number, checkRun: { id: run.id, headSha: run.head_sha, annotations: run.output?.annotations_count ?? 0 } }, deps);
    },

    async checkSuiteRerequested(context: Context<"check_suite.rerequested">) {
      const suite = context.payload.check_suite;
      if (!(await isOurs(suite.app?.id))) return;
      let numbers = suite.pull_requests.map((p) => p.number);
      if (numbers.length === 0) {
        const { data } = await context.octokit.rest.repos.listPullRequestsAssociatedWithCommit(context.repo({ commit_sha: suite.head_sha }));
        numbers = data.filter((p) => p.state === "open" && p.head.sha === suite.head_sha).map((p) => p.number);
      }
      for (const number of numbers) await handlePullRequest(context, { pull: number }, deps);
    },

    /** A required `Lockstep` check must never stall a merge queue: its PRs were judged already. */
    async mergeGroup(context: Context<"merge_group.checks_requested">) {
      const { owner, repo } = context.repo();
      const gh = { octokit: context.octokit, log: context.log, owner, repo };
      await writeCheckRun(gh, { headSha: context.payload.merge_group.head_sha, conclusion: "success", output: renderMergeGroupCheck(), lookup: false });
    },
  });

  async function isOurs(appId: number | null | undefined): Promise<boolean> {
    const ours = await deps.identity.id();
    return ours === undefined || appId === ours;
  }
}

type Handler<C> = (context: C) => Promise<unknown>;

type DeliveryContext = { id: string; name: string; log: { error: (obj: object, msg: string) => void } };

/** Runs each handler in its delivery's context; a failure is logged with the delivery id, then propagates (the delivery fails). */
function inDeliveries<H extends Record<string, Handler<never>>>(handlers: H): H {
  const wrapped: Record<string, Handler<DeliveryContext>> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, Handler<DeliveryContext>][])
    wrapped[name] = (context) =>
      withDelivery(context.id, () =>
        handler(context).catch((error: unknown) => {
          context.log.error({ err: error, event: context.name, delivery: context.id }, `handling delivery ${context.id} (${context.name}) failed`);
          throw error;
        }),
      );
  return wrapped as unknown as H;
}
