import { run } from "probot";
import lockstep from "./index.js";
import { lockstepOctokit } from "./runtime/octokit.js";

/**
 * `npm start`: Probot's server (`run`, the same as `probot run ./lib/index.js`: environment
 * variables, setup mode without credentials) with Lockstep's GitHub client, which retries 5xx,
 * timeouts and primary and secondary rate limits (docs/reliability.md). `probot run` cannot be
 * given a client class, so it would run Lockstep with Probot's defaults.
 */
await run(lockstep, { Octokit: lockstepOctokit(process.env) });
