import type { Plan } from "../plan.js";
import { TtlCache } from "../runtime/ttl-cache.js";
import { errorMessage, hasStatus, type RepoClient } from "./repo-client.js";

/** Labels known to exist, per repository: `owner/repo:name` (kept 10 minutes, bounded). */
export function knownLabels(): TtlCache<true> {
  return new TtlCache<true>(10 * 60_000, 5_000);
}

/**
 * Adds and removes Lockstep's labels on a PR. A label about to be added is created first with
 * its colour (a 422 means it exists already), unless this process saw it exist recently.
 * Best effort: errors are logged and returned as notes.
 */
export async function syncLabels(gh: RepoClient, issueNumber: number, labels: Plan["labels"], known: TtlCache<true> = knownLabels()): Promise<string[]> {
  const where = { owner: gh.owner, repo: gh.repo };
  const notes: string[] = [];
  const fail = (what: string, error: unknown) => {
    gh.log.warn({ err: error, issueNumber }, what);
    notes.push(`${what}: ${errorMessage(error)}`);
  };
  for (const label of labels.add) {
    const key = `${gh.owner}/${gh.repo}:${label.name}`.toLowerCase();
    if (known.get(key)) continue;
    try {
      await gh.octokit.rest.issues.createLabel({ ...where, ...label });
      known.set(key, true);
    } catch (error) {
      if (hasStatus(error, 422)) known.set(key, true);
      else fail(`Could not create the label "${label.name}"`, error);
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
