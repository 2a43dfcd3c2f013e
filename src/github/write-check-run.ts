import { CHECK_NAME, type CheckConclusion, type CheckOutput } from "../render/check-run.js";
import type { KnownRun } from "./check-run-memo.js";
import type { RepoClient } from "./repo-client.js";

/** GitHub takes at most 50 annotations per create/update request. */
const ANNOTATIONS_PER_REQUEST = 50;

export type CheckRunWrite = {
  headSha: string;
  conclusion: CheckConclusion;
  output: CheckOutput;
  detailsUrl?: string;
  /** The PR number: fork PRs have no `pull_requests` on their check runs. */
  externalId?: string;
  /** Lockstep's own earlier run for this sha, when known (the event, e.g. `check_run.rerequested`, or this process's memo). */
  known?: KnownRun;
  /** Look for an earlier run on this sha first (false for a sha that is new, e.g. after a push). */
  lookup: boolean;
  appId?: number;
};

/**
 * Writes the completed `Lockstep` check run on `headSha`: updates Lockstep's earlier run on that
 * sha (known or looked up) or creates one, then sends the remaining annotations 50 at a time.
 * GitHub appends annotations on every update, so a run that already has annotations gets none
 * again (the same sha triggers on the same lines): redeliveries and re-runs don't pile them up.
 * Errors propagate: the check is Lockstep's primary output. Returns the run and its annotations.
 */
export async function writeCheckRun(gh: RepoClient, write: CheckRunWrite): Promise<KnownRun> {
  const { octokit } = gh;
  const existing = write.known ?? (write.lookup ? await findRun(gh, write.headSha, write.appId) : undefined);
  const annotate = existing === undefined || !existing.annotations;
  const annotations = annotate ? write.output.annotations : [];
  const batches = chunk(annotations, ANNOTATIONS_PER_REQUEST);
  const output = (annotations: CheckOutput["annotations"]) => ({
    title: write.output.title,
    summary: write.output.summary,
    ...(write.output.text !== undefined ? { text: write.output.text } : {}),
    ...(annotations.length ? { annotations } : {}),
  });
  const fields = {
    owner: gh.owner,
    repo: gh.repo,
    status: "completed" as const,
    conclusion: write.conclusion,
    completed_at: new Date().toISOString(),
    ...(write.detailsUrl ? { details_url: write.detailsUrl } : {}),
    ...(write.externalId ? { external_id: write.externalId } : {}),
    output: output(batches[0] ?? []),
  };

  const id =
    existing !== undefined
      ? (await octokit.rest.checks.update({ ...fields, check_run_id: existing.id })).data.id
      : (await octokit.rest.checks.create({ ...fields, name: CHECK_NAME, head_sha: write.headSha })).data.id;
  for (const batch of batches.slice(1)) await octokit.rest.checks.update({ owner: gh.owner, repo: gh.repo, check_run_id: id, output: output(batch) });
  return { id, annotations: (existing?.annotations ?? 0) + annotations.length };
}

async function findRun(gh: RepoClient, sha: string, appId: number | undefined): Promise<KnownRun | undefined> {
  const { data } = await gh.octokit.rest.checks.listForRef({
    owner: gh.owner,
    repo: gh.repo,
    ref: sha,
    check_name: CHECK_NAME,
    filter: "latest",
    ...(appId !== undefined ? { app_id: appId } : {}),
  });
  const run = data.check_runs.find((r) => appId === undefined || r.app?.id === appId);
  return run ? { id: run.id, annotations: run.output?.annotations_count ?? 0 } : undefined;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
