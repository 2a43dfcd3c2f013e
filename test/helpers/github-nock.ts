import nock from "nock";
import { APP_ID, INSTALLATION_ID } from "./test-app.js";
import { OWNER, PR_NUMBER, REPO } from "./payloads.js";

export const API = "https://api.github.com";
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
export const CONFIG_URL = `${REPO_PATH}/contents/.github%2Fcompliance.yml`;
export const ORG_CONFIG_URL = `/repos/${OWNER}/.github/contents/.github%2Fcompliance.yml`;

import { CONFIG } from "./config-fixture.js";

export { CONFIG };

/** A file entry as `GET /pulls/{n}/files` returns it, adding `added` lines from line 1. */
export function prFile(filename: string, added: string[] = ["x"], extra: Record<string, unknown> = {}) {
  return {
    sha: "bbcd538c8e72b8c175046e27cc8f907076331401",
    filename,
    status: "modified",
    additions: added.length,
    deletions: 0,
    changes: added.length,
    blob_url: `https://github.com/${OWNER}/${REPO}/blob/x/${filename}`,
    raw_url: `https://github.com/${OWNER}/${REPO}/raw/x/${filename}`,
    contents_url: `${API}${REPO_PATH}/contents/${filename}`,
    patch: `@@ -0,0 +1,${added.length} @@\n${added.map((l) => `+${l}`).join("\n")}`,
    ...extra,
  };
}

/** Lockstep's comment as `GET /issues/{n}/comments` returns it. */
export function ownComment(id: number, body: string) {
  return {
    id,
    body,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#issuecomment-${id}`,
    user: { login: "lockstep[bot]", type: "Bot", id: 99 },
    performed_via_github_app: { id: APP_ID, slug: "lockstep" },
  };
}

/** Interceptors for the requests most events make; each returns the scope for chaining. */
export const gh = {
  scope: () => nock(API),
  token: (s = nock(API)) => s.post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" }),
  config: (text: string | null = CONFIG, ref = "master", s = nock(API)) =>
    text === null ? s.get(CONFIG_URL).query({ ref }).reply(404, { message: "Not Found" }) : s.get(CONFIG_URL).query({ ref }).reply(200, text),
  orgConfig: (text: string | null = null, s = nock(API)) =>
    text === null ? s.get(ORG_CONFIG_URL).reply(404, { message: "Not Found" }) : s.get(ORG_CONFIG_URL).reply(200, text),
  files: (files: unknown[], s = nock(API)) => s.get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`).query({ per_page: 100 }).reply(200, files),
  comments: (comments: unknown[], s = nock(API)) => s.get(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).query({ per_page: 100 }).reply(200, comments),
  reviews: (reviews: unknown[] = [], s = nock(API)) => s.get(`${REPO_PATH}/pulls/${PR_NUMBER}/reviews`).query({ per_page: 100 }).reply(200, reviews),
  requested: (users: string[] = [], teams: string[] = [], s = nock(API)) =>
    s.get(`${REPO_PATH}/pulls/${PR_NUMBER}/requested_reviewers`).reply(200, { users: users.map((login) => ({ login })), teams: teams.map((slug) => ({ slug })) }),
  pull: (pr: unknown, s = nock(API)) => s.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pr as nock.Body),
};

/** Captures the JSON body of a matched request into `into`, for assertions after the event. */
export function capture<T = Record<string, unknown>>(into: T[]) {
  return (body: T) => {
    into.push(body);
    return true;
  };
}
