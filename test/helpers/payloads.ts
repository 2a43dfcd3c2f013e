import { createRequire } from "node:module";
import type { Probot } from "probot";
import { INSTALLATION_ID } from "./test-app.js";

type Example = { name: string; examples: Record<string, unknown>[] };
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as Example[];

export type Delivery = Parameters<Probot["receive"]>[0];
// Fixtures are edited freely, like the JSON they are.
type Json = Record<string, any>;

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const PR_NUMBER = 7;
export const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

/**
 * A real payload from `@octokit/webhooks-examples` (the first example of `event` with `action`),
 * deep-copied and adjusted to Lockstep's test repo: our installation, PR #7, one head sha.
 */
export function payload(event: string, action: string, adjust: (p: Json) => void = () => {}): Delivery {
  const found = examples.find((e) => e.name === event)?.examples.find((x) => x.action === action);
  if (!found) throw new Error(`no ${event}.${action} example in @octokit/webhooks-examples`);
  const p = structuredClone(found) as Json;
  p.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  const pr = p.pull_request as Json | undefined;
  if (pr) {
    pr.number = PR_NUMBER;
    p.number = PR_NUMBER;
    pr.html_url = `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}`;
    pr.head.sha = HEAD_SHA;
    pr.state = "open";
    pr.draft = false;
    pr.labels = [];
    pr.requested_reviewers = [];
    pr.requested_teams = [];
    if ("changed_files" in pr) pr.changed_files = 1;
  }
  adjust(p);
  return { id: `delivery-${event}-${action}`, name: event, payload: p } as Delivery;
}

/** The PR object as `GET /pulls/{n}` returns it, built from the `pull_request.opened` example. */
export function pullRequest(adjust: (pr: Json) => void = () => {}): Json {
  const pr = (payload("pull_request", "opened").payload as Json).pull_request as Json;
  adjust(pr);
  return pr;
}

/** The test repository as webhook payloads carry it (for examples recorded on other repos). */
export function repository(): Json {
  return (payload("pull_request", "opened").payload as Json).repository as Json;
}
