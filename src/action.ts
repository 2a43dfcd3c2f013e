import { readFileSync } from "node:fs";
import { lockstepOctokit } from "./runtime/octokit.js";
import { Probot, type ApplicationFunction, type Options } from "probot";
import type { AppIdentity } from "./github/repo-client.js";
import type { LockstepOptions } from "./index.js";

/** The environment a GitHub Actions step sees (`process.env` in production). */
export type ActionEnv = Readonly<Record<string, string | undefined>>;

/** For tests: a different Octokit class or `fetch`, as `new Probot` takes them. */
export type ActionOverrides = Pick<Options, "Octokit" | "request" | "log">;

/** The GitHub Actions app: what `GITHUB_TOKEN` writes with (`github-actions[bot]`). */
const GITHUB_ACTIONS_APP = { id: 15368, slug: "github-actions" };

/** An error whose message is for the person reading the workflow log. */
export class ActionError extends Error {}

/**
 * Runs Lockstep once, as a GitHub Action step, on the event that started the workflow:
 * reads `GITHUB_EVENT_NAME` (`pull_request_target` counts as `pull_request`),
 * `GITHUB_EVENT_PATH`, the token (input `github-token`, else `GITHUB_TOKEN`), `GITHUB_API_URL`
 * and `GITHUB_RUN_ID`, then hands the event to the same App the server runs.
 * Resolves when Lockstep is done; rejects with an `ActionError` that says what went wrong
 * (never containing the token). Events Lockstep does not handle are a successful no-op.
 */
export async function runAction(env: ActionEnv = process.env, overrides: ActionOverrides = {}): Promise<void> {
  const token = input(env, "github-token") ?? env.GITHUB_TOKEN;
  if (!token) throw new ActionError("no GitHub token: pass `github-token` to the Lockstep step (it defaults to `${{ github.token }}`), or set GITHUB_TOKEN");
  const eventName = env.GITHUB_EVENT_NAME;
  if (!eventName) throw new ActionError("GITHUB_EVENT_NAME is not set: run Lockstep as a step of a GitHub Actions workflow");
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  // Sign-off records are signed with this key; the App derives it from its webhook secret.
  const stateKey = input(env, "state-key");
  if (stateKey) process.env.LOCKSTEP_STATE_KEY ??= stateKey;

  const probot = new Probot({
    githubToken: token,
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
    logLevel: logLevel(env.LOG_LEVEL),
    // The same retries and throttling as the server (secondary rate limits included).
    Octokit: lockstepOctokit(env),
    ...overrides,
  });
  await probot.load((await loadApp())({ identity: tokenIdentity(input(env, "app-slug")) }));
  // Actions calls the fork-safe variant `pull_request_target`; the payload is a pull_request one.
  const name = eventName === "pull_request_target" ? "pull_request" : eventName;
  try {
    await probot.receive({ id: env.GITHUB_RUN_ID ?? `action-${Date.now()}`, name, payload } as Parameters<Probot["receive"]>[0]);
  } catch (error) {
    throw new ActionError(`Lockstep failed on ${eventName}: ${redact(describe(error), token)}`);
  }
}

/**
 * The command-line entry of the bundled `dist/action.js` (see scripts/build-action.mjs): runs
 * the Action and sets the exit code, printing a failure as a workflow error annotation.
 */
export async function main(env: ActionEnv = process.env): Promise<void> {
  try {
    await runAction(env);
  } catch (error) {
    const message = error instanceof ActionError ? error.message : `Lockstep crashed: ${describe(error)}`;
    const token = input(env, "github-token") ?? env.GITHUB_TOKEN;
    process.stdout.write(`::error title=Lockstep::${escapeCommand(token ? redact(message, token) : message)}\n`);
    process.exitCode = 1;
  }
}

/** Actions passes the input `github-token` as `INPUT_GITHUB-TOKEN` (upper case, dashes kept). */
function input(env: ActionEnv, name: string): string | undefined {
  const value = env[`INPUT_${name.toUpperCase()}`]?.trim();
  return value ? value : undefined;
}

function readPayload(path: string | undefined): object {
  if (!path) throw new ActionError("GITHUB_EVENT_PATH is not set: run Lockstep as a step of a GitHub Actions workflow");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ActionError(`cannot read the event payload at ${path}: ${describe(error)}`);
  }
  try {
    const payload: unknown = JSON.parse(text);
    if (typeof payload !== "object" || payload === null) throw new Error("not a JSON object");
    return payload;
  } catch (error) {
    throw new ActionError(`the event payload at ${path} is not valid JSON: ${describe(error)}`);
  }
}

/**
 * The App is imported lazily so that a missing native `re2` (a runner that is not Linux x64,
 * or a Node other than 20) fails with a sentence rather than a loader stack trace.
 */
async function loadApp(): Promise<(options: LockstepOptions) => ApplicationFunction> {
  try {
    return (await import("./index.js")).createLockstep;
  } catch (error) {
    throw new ActionError(
      `cannot load Lockstep (${describe(error)}). The Action ships the native re2 module built for Linux x64 and Node 20: ` +
        `run it on an ubuntu runner (runs-on: ubuntu-latest), or run the CLI after \`npm ci\` on other platforms.`,
    );
  }
}

/**
 * Whose comments and check runs are Lockstep's when it runs on a token: the GitHub Actions app
 * for `GITHUB_TOKEN`, or the App named by the `app-slug` input (an App installation token).
 */
function tokenIdentity(slug: string | undefined): AppIdentity {
  if (!slug || slug === GITHUB_ACTIONS_APP.slug) return { id: async () => GITHUB_ACTIONS_APP.id, slug: async () => GITHUB_ACTIONS_APP.slug };
  return { id: async () => undefined, slug: async () => slug };
}

function logLevel(value: string | undefined): Options["logLevel"] {
  const levels = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
  return levels.find((l) => l === value) ?? "info";
}

/** Messages of an error and of the errors it aggregates (Probot rejects with an AggregateError). */
function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(describe).join("; ");
  return error instanceof Error ? error.message : String(error);
}

function redact(text: string, token: string): string {
  return text.split(token).join("***");
}

/** Workflow commands end at a newline; these escapes keep a multi-line message in one annotation. */
function escapeCommand(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
