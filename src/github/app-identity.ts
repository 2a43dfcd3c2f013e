import type { Probot } from "probot";
import type { AppIdentity } from "./repo-client.js";

/**
 * Lockstep's identity, resolved lazily and at most once per process: the App id comes from the
 * App's own JWT auth (no request); the slug costs one `GET /app`, made only when a comment with
 * Lockstep's marker lacks `performed_via_github_app`. Both are `undefined` under token auth.
 */
export function appIdentity(app: Probot): AppIdentity {
  let id: Promise<number | undefined> | undefined;
  let slug: Promise<string | undefined> | undefined;
  return {
    id: () =>
      (id ??= (async () => {
        const auth: unknown = await (await app.auth()).auth({ type: "app" });
        return typeof auth === "object" && auth !== null && "appId" in auth && typeof auth.appId === "number" ? auth.appId : undefined;
      })().catch(() => undefined)),
    slug: () =>
      (slug ??= (async () => {
        const { data } = await (await app.auth()).rest.apps.getAuthenticated();
        return data?.slug;
      })().catch(() => undefined)),
  };
}
