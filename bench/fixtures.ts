import { OWNER, payload, REPO, type Delivery } from "../test/helpers/payloads.js";
import type { ChangedFile } from "../src/types.js";

export { OWNER, REPO };
export const FULL_NAME = `${OWNER}/${REPO}`;
/** The base branch of every benchmark PR (the webhook examples' repository uses `master`). */
export const BASE = "master";

/** A changed file as `GET /pulls/{n}/files` returns it. */
export function apiFile(f: ChangedFile): Record<string, unknown> {
  return {
    sha: "bbcd538c8e72b8c175046e27cc8f907076331401",
    filename: f.filename,
    status: f.status,
    additions: f.additions ?? 0,
    deletions: f.deletions ?? 0,
    changes: (f.additions ?? 0) + (f.deletions ?? 0),
    blob_url: `https://github.com/${FULL_NAME}/blob/x/${f.filename}`,
    raw_url: `https://github.com/${FULL_NAME}/raw/x/${f.filename}`,
    contents_url: `https://api.github.com/repos/${FULL_NAME}/contents/${f.filename}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
  };
}

/** A file that adds `lines` from line 1, as GitHub lists it. */
export function addedFile(filename: string, lines: string[] = ["x"]): Record<string, unknown> {
  return apiFile({ filename, status: "modified", additions: lines.length, deletions: 0, patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}` });
}

export type PullFacts = { number: number; sha: string; changedFiles: number; draft?: boolean; labels?: string[]; requestedUsers?: string[]; requestedTeams?: string[] };

/** A real `pull_request.<action>` payload (webhooks-examples) adjusted to one benchmark PR. */
export function pullRequestDelivery(action: string, pr: PullFacts, id: string): Delivery {
  const d = payload("pull_request", action === "ready_for_review" ? "ready_for_review" : action === "synchronize" ? "synchronize" : "opened", (p) => {
    p.action = action;
    adjustPull(p.pull_request, pr);
    p.number = pr.number;
  });
  return { ...d, id };
}

/** Sets the fields Lockstep reads on a payload's `pull_request`. */
export function adjustPull(pull: Record<string, any>, pr: PullFacts): void {
  pull.number = pr.number;
  pull.html_url = `https://github.com/${FULL_NAME}/pull/${pr.number}`;
  pull.head.sha = pr.sha;
  pull.base.ref = BASE;
  pull.draft = pr.draft ?? false;
  pull.changed_files = pr.changedFiles;
  pull.labels = (pr.labels ?? []).map((name) => ({ name }));
  pull.requested_reviewers = (pr.requestedUsers ?? []).map((login) => ({ login, type: "User" }));
  pull.requested_teams = (pr.requestedTeams ?? []).map((slug) => ({ slug, name: slug }));
}

/** A 40-hex head sha derived from a number. */
export function sha(n: number): string {
  return n.toString(16).padStart(40, "0");
}
