import type { RepoConfig } from "../types.js";
import type { Actor } from "../signoff/state.js";
import { TtlCache } from "../runtime/ttl-cache.js";
import { hasStatus, type RepoClient } from "./repo-client.js";

const WRITE = new Set(["admin", "maintain", "write"]);

export type ActorCache = { membership: TtlCache<boolean>; permission: TtlCache<string> };
/** Team membership and permissions change rarely, but must not be trusted for long: one minute. */
export function actorCache(): ActorCache {
  return { membership: new TtlCache(60_000, 5_000), permission: new TtlCache(60_000, 5_000) };
}

/**
 * Who `login` is for the sign-off rules, looking up only what `need` asks: write access (the
 * collaborator permission API) and membership of the given roles (config users, then team
 * membership through the API). Lookups are cached briefly. A failed lookup counts as "no".
 */
export async function resolveActor(
  gh: RepoClient,
  login: string,
  author: string,
  config: Pick<RepoConfig, "roles">,
  need: { write?: boolean; roles?: string[] },
  cache: ActorCache,
): Promise<Actor> {
  const isAuthor = login.toLowerCase() === author.toLowerCase();
  const roles: string[] = [];
  for (const role of need.roles ?? []) if (await inRole(gh, login, config.roles[role], cache)) roles.push(role);
  // The author needs no write access for what `write` unlocks (author items, recheck): skip the lookup.
  const canWrite = need.write && !isAuthor ? await hasWrite(gh, login, cache) : false;
  return { login, isAuthor, canWrite, roles };
}

async function inRole(gh: RepoClient, login: string, group: RepoConfig["roles"][string] | undefined, cache: ActorCache): Promise<boolean> {
  if (!group) return false;
  if (group.users.some((u) => u.toLowerCase() === login.toLowerCase())) return true;
  for (const team of group.teams) {
    const key = `${gh.owner}/${team}/${login}`.toLowerCase();
    let member = cache.membership.get(key);
    if (member === undefined) {
      try {
        const { data } = await gh.octokit.rest.teams.getMembershipForUserInOrg({ org: gh.owner, team_slug: team, username: login });
        member = data.state === "active";
      } catch (error) {
        if (!hasStatus(error, 404)) gh.log.warn({ err: error, team, login }, "could not check team membership; treating as not a member");
        member = false;
      }
      cache.membership.set(key, member);
    }
    if (member) return true;
  }
  return false;
}

async function hasWrite(gh: RepoClient, login: string, cache: ActorCache): Promise<boolean> {
  const key = `${gh.owner}/${gh.repo}/${login}`.toLowerCase();
  let permission = cache.permission.get(key);
  if (permission === undefined) {
    try {
      const { data } = await gh.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: gh.owner, repo: gh.repo, username: login });
      permission = data.role_name ?? data.permission;
    } catch (error) {
      if (!hasStatus(error, 404)) gh.log.warn({ err: error, login }, "could not read the collaborator permission; treating as read-only");
      permission = "none";
    }
    cache.permission.set(key, permission);
  }
  return WRITE.has(permission);
}
