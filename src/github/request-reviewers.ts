import { errorMessage, hasStatus, type RepoClient } from "./repo-client.js";

/**
 * Requests reviews from users and teams (team slugs without the org). Best effort: a 422 (a user
 * who is not a collaborator, a team without access) is logged and returned as a note for the
 * check. A failed request adds nobody, so on 422 users and teams are retried separately.
 */
export async function requestReviewers(gh: RepoClient, pullNumber: number, who: { users: string[]; teams: string[] }): Promise<string[]> {
  if (who.users.length === 0 && who.teams.length === 0) return [];
  const attempt = async (users: string[], teams: string[]): Promise<unknown> => {
    try {
      await gh.octokit.rest.pulls.requestReviewers({ owner: gh.owner, repo: gh.repo, pull_number: pullNumber, reviewers: users, team_reviewers: teams });
      return undefined;
    } catch (error) {
      return error;
    }
  };
  const error = await attempt(who.users, who.teams);
  if (!error) return [];
  const failures: { names: string[]; error: unknown }[] = [];
  if (hasStatus(error, 422) && who.users.length > 0 && who.teams.length > 0) {
    const usersError = await attempt(who.users, []);
    if (usersError) failures.push({ names: who.users, error: usersError });
    const teamsError = await attempt([], who.teams);
    if (teamsError) failures.push({ names: who.teams.map((t) => `team ${t}`), error: teamsError });
  } else {
    failures.push({ names: [...who.users, ...who.teams.map((t) => `team ${t}`)], error });
  }
  return failures.map(({ names, error }) => {
    gh.log.warn({ err: error, pullNumber, reviewers: names }, "could not request reviewers");
    return `Could not request a review from ${names.join(", ")}: ${errorMessage(error)}. Check that they are collaborators with access to the repository (teams also need the App's Members: read permission).`;
  });
}
