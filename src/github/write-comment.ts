import type { CommentPlan } from "../plan.js";
import { COMMENT_MARKER } from "../render/comment.js";
import { errorMessage, type AppIdentity, type RepoClient } from "./repo-client.js";

/** The fields of an issue comment that tell who wrote it. */
export type CommentAuthorship = {
  body?: string | null;
  user: { login: string; type?: string } | null;
  performed_via_github_app?: { id: number } | null;
};

/**
 * True when a comment is Lockstep's: it carries the marker AND this App wrote it. The marker
 * alone is forgeable (anyone can paste it), so a copy by a person is never taken for ours.
 */
export async function isOwnComment(comment: CommentAuthorship, identity: AppIdentity): Promise<boolean> {
  if (!comment.body?.startsWith(COMMENT_MARKER)) return false;
  const appId = await identity.id();
  if (comment.performed_via_github_app && appId !== undefined) return comment.performed_via_github_app.id === appId;
  if (comment.user?.type !== "Bot") return false;
  const slug = await identity.slug();
  return slug !== undefined && comment.user.login === `${slug}[bot]`;
}

/**
 * Carries out the comment plan: creates Lockstep's one comment or edits it in place (skipping
 * the edit when the body is unchanged); extra copies left by concurrent deliveries are deleted.
 * Best effort: errors are logged and returned as notes for the check run, never thrown.
 */
export async function writeComment(gh: RepoClient, issueNumber: number, plan: CommentPlan, identity: AppIdentity, found?: OwnComment[]): Promise<string[]> {
  if (plan.kind === "none") return [];
  const { octokit } = gh;
  const where = { owner: gh.owner, repo: gh.repo };
  try {
    const ours = found ?? (plan.kind === "update-only" || plan.lookup ? await findOwnComments(gh, issueNumber, identity) : []);
    const [first, ...extras] = ours;
    for (const extra of extras) await octokit.rest.issues.deleteComment({ ...where, comment_id: extra.id });
    if (first) {
      if (first.body !== plan.body) await octokit.rest.issues.updateComment({ ...where, comment_id: first.id, body: plan.body });
    } else if (plan.kind !== "update-only") {
      await octokit.rest.issues.createComment({ ...where, issue_number: issueNumber, body: plan.body });
    }
    return [];
  } catch (error) {
    gh.log.warn({ err: error, issueNumber }, "could not write the Lockstep comment");
    return [`Could not write Lockstep's comment: ${errorMessage(error)}`];
  }
}

export type OwnComment = { id: number; body?: string; html_url: string };

/** Lockstep's comments on a PR (normally one), oldest first. */
export async function findOwnComments(gh: RepoClient, issueNumber: number, identity: AppIdentity): Promise<OwnComment[]> {
  const comments = await gh.octokit.paginate(gh.octokit.rest.issues.listComments, { owner: gh.owner, repo: gh.repo, issue_number: issueNumber, per_page: 100 });
  const ours: OwnComment[] = [];
  for (const c of comments) if (await isOwnComment(c, identity)) ours.push(c);
  return ours.sort((a, b) => a.id - b.id);
}
