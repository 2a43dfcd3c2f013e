import type { ProbotOctokit } from "probot";
import { observeGitHubRequest, observeGitHubRetries } from "./metrics.js";

type Octokit = InstanceType<typeof ProbotOctokit>;
const instrumented = new WeakSet<object>();

/**
 * Counts every HTTP attempt an Octokit makes (`lockstep_github_requests_total`) and the repeated
 * ones (`lockstep_github_retries_total`). Idempotent per instance: Probot may hand the same
 * Octokit to several events (token auth does), and a second wrap would count twice.
 *
 * Why a `fetch` wrapper: the retry and throttling plugins repeat a request *inside* the hook
 * chain, below any hook registered after construction, so only the `fetch` sees each attempt.
 */
export function instrumentOctokit(octokit: Octokit): void {
  if (instrumented.has(octokit)) return;
  instrumented.add(octokit);
  octokit.hook.wrap("request", async (request, options) => {
    const method = options.method;
    const send = options.request?.fetch ?? globalThis.fetch;
    let attempts = 0;
    // A new `request` object: the incoming one may be shared with Octokit's defaults.
    options.request = {
      ...options.request,
      fetch: async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
        attempts += 1;
        try {
          const response: Response = await send(input, init);
          observeGitHubRequest(method, response.status);
          return response;
        } catch (error) {
          observeGitHubRequest(method, "error");
          throw error;
        }
      },
    };
    try {
      return await request(options);
    } finally {
      observeGitHubRetries(attempts - 1);
    }
  });
}
