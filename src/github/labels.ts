import type { Plan } from "../plan.js";
import { errorMessage, hasStatus, type RepoClient } from "./repo-client.js";

/**
 * Adds and removes Lockstep's labels on a PR. A label about to be added is created first with
 * its colour (a 422 means it exists already). Best effort: errors are logged and returned as notes.
 */
export async function syncLabels(gh: RepoClient, issueNumber: number, labels: Plan["labels"]): Promise<string[]> {
  const where = { owner: gh.owner, repo: gh.repo };
  const notes: string[] = [];
  const fail = (what: string, error: unknown) => {
    gh.log.warn({ err: error, issueNumber }, what);
    notes.push(`${what}: ${errorMessage(error)}`);
  };
  for (const label of labels.add) {
    try {
      await gh.octokit.rest.issues.createLabel({ ...where, ...label });
    } catch (error) {
      if (!hasStatus(error, 422)) fail(`Could not create the label "${label.name}"`, error);
    }
  }
  if (labels.add.length > 0) {
    try {
      await gh.octokit.rest.issues.addLabels({ ...where, issue_number: issueNumber, labels: labels.add.map((l) => l.name) });
    } catch (error) {
      fail("Could not add labels", error);
    }
  }
  for (const name of labels.remove) {
    try {
      await gh.octokit.rest.issues.removeLabel({ ...where, issue_number: issueNumber, name });
    } catch (error) {
      if (!hasStatus(error, 404)) fail(`Could not remove the label "${name}"`, error);
    }
  }
  return notes;
}
