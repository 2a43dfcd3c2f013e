import type { ApplicationFunction, Context } from "probot";

/** One request Lockstep made for a delivery, as the fake GitHub recorded it. */
export type ScriptedRequest = { method: string; path: string; body: unknown; start: number; end?: number };

/** Lockstep's requests for one delivery: the PR number they name, and the requests in order. */
export type Script = { number: number; requests: ScriptedRequest[] };

/**
 * The floor for the server benchmark: a bare Probot app that makes the same API calls as
 * Lockstep did for a PR of the same size (same paths, same bodies, same order; requests that
 * overlapped are issued together) and nothing else: no config parsing, no evaluation, no
 * rendering. `scriptFor` picks the script by the number of changed files. Errors (the org
 * config's 404, a label that exists) are ignored, as Lockstep ignores them.
 */
export function bareApp(scriptFor: (changedFiles: number) => Script | undefined): ApplicationFunction {
  return (app) => {
    app.on("pull_request.opened", async (context) => {
      const { number, changed_files } = context.payload.pull_request;
      const script = scriptFor(changed_files);
      if (!script) throw new Error(`no script for a PR of ${changed_files} files`);
      for (const group of concurrentGroups(script.requests)) await Promise.all(group.map((r) => replay(context, r, script.number, number)));
    });
  };
}

async function replay(context: Context, r: ScriptedRequest, from: number, to: number): Promise<void> {
  const url = r.path.replace(/^\/api\/v3/, "").replace(new RegExp(`/(pulls|issues)/${from}(?=[/?]|$)`), `/$1/${to}`);
  const raw = url.includes("/contents/") ? { headers: { accept: "application/vnd.github.v3.raw" } } : {};
  await context.octokit.request({ method: r.method as "GET", url, ...raw, ...(r.body !== undefined ? { data: r.body } : {}) }).catch(() => undefined);
}

/** Requests in order, grouped where they overlapped in time (issued concurrently). */
export function concurrentGroups(requests: ScriptedRequest[]): ScriptedRequest[][] {
  const groups: ScriptedRequest[][] = [];
  let until = -Infinity;
  for (const r of requests) {
    if (groups.length && r.start < until) groups.at(-1)!.push(r);
    else groups.push([r]);
    until = Math.max(groups.at(-1)!.length > 1 ? until : -Infinity, r.end ?? r.start);
  }
  return groups;
}
