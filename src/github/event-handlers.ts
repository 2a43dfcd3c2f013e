import type { Context } from "probot";
import { CHECK_NAME, renderMergeGroupCheck } from "../render/check-run.js";
import { handlePullRequest, type Deps } from "./handle-pull-request.js";
import { writeCheckRun } from "./write-check-run.js";
import { isOwnComment } from "./write-comment.js";

/** `/lockstep recheck` on a line of its own. */
const RECHECK = /^\s*\/lockstep\s+recheck\s*$/im;

/**
 * One handler per webhook Lockstep subscribes to (SPEC §3). Each turns its payload into the PR
 * to evaluate, or returns early, before any request, when the event is not for Lockstep.
 */
export function createEventHandlers(deps: Deps) {
  return {
    /** opened, reopened, synchronize, ready_for_review. */
    async pullRequest(context: Context<"pull_request.opened" | "pull_request.reopened" | "pull_request.synchronize" | "pull_request.ready_for_review">) {
      const { action, pull_request } = context.payload;
      await handlePullRequest(context, { pull: pull_request, opened: action === "opened", newSha: action === "opened" || action === "synchronize" }, deps);
    },

    /** Only a change of the base branch matters: the config is read from there. */
    async pullRequestEdited(context: Context<"pull_request.edited">) {
      if (!context.payload.changes.base) return;
      await handlePullRequest(context, { pull: context.payload.pull_request }, deps);
    },

    async issueCommentCreated(context: Context<"issue_comment.created">) {
      const { issue, comment } = context.payload;
      if (!issue.pull_request || issue.state !== "open" || context.isBot || !RECHECK.test(comment.body)) return;
      await handlePullRequest(context, { pull: issue.number }, deps);
    },

    /** A person edited Lockstep's comment: re-render it. Lockstep's own edits come back too: ignored. */
    async issueCommentEdited(context: Context<"issue_comment.edited">) {
      const { issue, comment } = context.payload;
      if (!issue.pull_request || issue.state !== "open" || context.isBot) return;
      if (!(await isOwnComment(comment, deps.identity))) return;
      await handlePullRequest(context, { pull: issue.number }, deps);
    },

    async review(context: Context<"pull_request_review.submitted" | "pull_request_review.dismissed">) {
      await handlePullRequest(context, { pull: context.payload.pull_request }, deps);
    },

    async checkRunRerequested(context: Context<"check_run.rerequested">) {
      const run = context.payload.check_run;
      if (run.name !== CHECK_NAME || !(await isOurs(run.app?.id))) return;
      // Fork PRs are missing from `pull_requests`; Lockstep puts the PR number in external_id.
      const number = run.pull_requests[0]?.number ?? Number.parseInt(run.external_id ?? "", 10);
      if (!Number.isInteger(number)) return;
      await handlePullRequest(context, { pull: number, checkRun: { id: run.id, headSha: run.head_sha } }, deps);
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
  };

  async function isOurs(appId: number | null | undefined): Promise<boolean> {
    const ours = await deps.identity.id();
    return ours === undefined || appId === ours;
  }
}
