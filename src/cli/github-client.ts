import { Octokit } from "@octokit/rest";
import { CliError } from "./cli-error.js";
import { version } from "./version.js";

/**
 * An Octokit for the CLI, authenticated with `GITHUB_TOKEN`. The API is `GITHUB_API_URL` when set
 * (as in GitHub Actions), else GitHub Enterprise's `GHE_PROTOCOL://GHE_HOST/api/v3` (as Probot
 * reads it), else api.github.com. Throws a CliError (exit 2) when there is no token.
 */
export function githubClient(env: Record<string, string | undefined>, command: string): { octokit: Octokit; baseUrl: string; token: string } {
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) throw new CliError(`${command}: GITHUB_TOKEN is not set; export a token that can read the repository's pull requests and issues`);
  const baseUrl = (env.GITHUB_API_URL || (env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}/api/v3` : "https://api.github.com")).replace(/\/+$/, "");
  const quiet = () => undefined;
  const octokit = new Octokit({
    auth: token,
    baseUrl,
    userAgent: `lockstep-cli/${version()}`,
    // Octokit's own warnings (deprecations) are not for the user of a CLI; errors are reported by githubError.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  return { octokit, baseUrl, token };
}

/**
 * Turns an Octokit or network error into a CliError (exit 2) a user can act on. The token is never
 * part of the message: Octokit redacts it, and any stray copy is masked here as well.
 */
export function githubError(error: unknown, context: { command: string; baseUrl: string; token: string; what: string }): CliError {
  const e = error as { status?: number; message?: string; response?: { headers?: Record<string, string | undefined> }; request?: { method?: string; url?: string } };
  const mask = (text: string) => (context.token ? text.replaceAll(context.token, "***") : text);
  // Octokit reports a failed fetch (DNS, TLS, refused connection) as a status 500 with no response.
  if (typeof e.status !== "number" || e.response === undefined) {
    return new CliError(mask(`${context.command}: cannot reach the GitHub API at ${context.baseUrl}: ${e.message ?? String(error)}`));
  }
  const headers = e.response?.headers ?? {};
  const where = e.request?.method && e.request.url ? ` (${e.request.method} ${e.request.url.replace(/\?.*$/, "")})` : "";
  let hint: string;
  if (e.status === 401) hint = "GitHub rejected GITHUB_TOKEN (bad or expired credentials)";
  else if ((e.status === 403 || e.status === 429) && (headers["x-ratelimit-remaining"] === "0" || headers["retry-after"] !== undefined)) {
    const reset = Number(headers["x-ratelimit-reset"]);
    const when = headers["retry-after"] ? `in ${headers["retry-after"]} seconds` : Number.isFinite(reset) ? `after ${new Date(reset * 1000).toISOString()}` : "later";
    hint = `GitHub's rate limit is exhausted; try again ${when}`;
  } else if (e.status === 404 || e.status === 403) hint = `${context.what} was not found, or GITHUB_TOKEN cannot read it (${e.status})`;
  else hint = `GitHub answered ${e.status}: ${e.message ?? ""}`.trim();
  return new CliError(mask(`${context.command}: ${hint}${where}`));
}
