import { parseArgs } from "node:util";
import { auditRows, AUDIT_COLUMNS } from "../audit/audit-rows.js";
import { collectAudit, type AuditResult } from "../audit/collect-audit.js";
import { toCsv } from "../audit/to-csv.js";
import { stateKey } from "../signoff/record.js";
import type { CliIo } from "./cli-io.js";
import { githubClient, githubError } from "./github-client.js";
import { usageError } from "./usage-error.js";
import { version } from "./version.js";

export const AUDIT_HELP = `Usage: lockstep audit --repo OWNER/NAME [--since DATE] [--format csv|json]
                     [--state all|open|closed]

Exports the sign-off evidence of every pull request Lockstep judged: risk, fired
checklists, who signed off which item when (tick, approving review or waiver),
and the audit log (resets, refused ticks, dismissed reviews...). Each record is
verified against its HMAC signature; a record that fails is reported as
"invalid: <reason>" and its content is left out, as it cannot be trusted.

Options:
  --repo OWNER/NAME   the repository (required)
  --since DATE        only pull requests updated at or after DATE
                      (YYYY-MM-DD, UTC, or an ISO 8601 date-time)
  --state STATE       all (default), open or closed (closed includes merged)
  --format FORMAT     csv (default, RFC 4180) or json (see docs/cli.md)
  -h, --help          show this help

Environment:
  GITHUB_TOKEN        token that can read the repository's pull requests and issues
  LOCKSTEP_STATE_KEY  the App's record key; else derived from WEBHOOK_SECRET, as
                      the App does. Use the same values as the App's deployment.
  GITHUB_API_URL      API base URL; else https://GHE_HOST/api/v3 with GHE_HOST
                      (and GHE_PROTOCOL) for GitHub Enterprise Server

Exit status: 0 no record is invalid (missing ones included), 1 some record is
invalid, 2 bad usage, no token or key, or a GitHub API error.
`;

const FORMATS = ["csv", "json"] as const;
const STATES = ["all", "open", "closed"] as const;
const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** `lockstep audit`: resolves to 0 (all valid), 1 (some record invalid), or throws a CliError (2). */
export async function runAudit(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      repo: { type: "string" },
      since: { type: "string" },
      format: { type: "string", default: "csv" },
      state: { type: "string", default: "all" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(AUDIT_HELP);
    return 0;
  }
  const repo = REPO.exec(values.repo ?? "");
  if (!repo) throw usageError("audit", values.repo === undefined ? "--repo OWNER/NAME is required" : `--repo must be OWNER/NAME, not "${values.repo}"`);
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw usageError("audit", `--format must be csv or json, not "${values.format}"`);
  const state = values.state as (typeof STATES)[number];
  if (!STATES.includes(state)) throw usageError("audit", `--state must be all, open or closed, not "${values.state}"`);
  const since = values.since === undefined ? undefined : parseSince(values.since);
  // Without the App's key every record would look forged: say what is missing instead.
  if (!io.env.LOCKSTEP_STATE_KEY && !io.env.WEBHOOK_SECRET)
    throw usageError("audit", "set LOCKSTEP_STATE_KEY (or WEBHOOK_SECRET) to the App's value, so that the records can be verified");

  const { octokit, baseUrl, token } = githubClient(io.env, "audit");
  let result: AuditResult;
  try {
    result = await collectAudit(octokit, { owner: repo[1]!, repo: repo[2]!, since, state, key: stateKey(io.env) });
  } catch (error) {
    throw githubError(error, { command: "audit", baseUrl, token, what: `repository ${values.repo}` });
  }

  const counts = { valid: 0, invalid: 0, missing: 0 };
  for (const pull of result.pulls) counts[pull.verified] += 1;
  if (format === "json") {
    const document = {
      version: 1,
      lockstep_version: version(),
      repository: result.repository,
      generated_at: new Date().toISOString(),
      filters: { since: since?.toISOString() ?? null, state },
      summary: { listed: result.listed, judged: result.pulls.length, ...counts },
      pulls: result.pulls,
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    io.stdout.write(toCsv(AUDIT_COLUMNS, auditRows(result.pulls)));
  }

  for (const note of result.notes) io.stderr.write(`lockstep audit: ${note}\n`);
  for (const pull of result.pulls) {
    if (pull.verified === "invalid") io.stderr.write(`lockstep audit: #${pull.number}: invalid record: ${pull.invalid_reason}; its sign-offs are not trusted (${pull.comment_url})\n`);
  }
  const scope = `${result.listed} pull request${result.listed === 1 ? "" : "s"}${since ? ` updated since ${since.toISOString()}` : ""}`;
  io.stderr.write(
    `lockstep audit: ${result.repository.full_name}: ${scope}, ${result.pulls.length} judged by Lockstep: ${counts.valid} valid, ${counts.invalid} invalid, ${counts.missing} without a record\n`,
  );
  return counts.invalid > 0 ? 1 : 0;
}

/** A calendar date means midnight UTC; anything but ISO 8601 is refused rather than guessed. */
function parseSince(text: string): Date {
  const time = DATE.test(text) ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text) : Number.NaN;
  if (Number.isNaN(time)) throw usageError("audit", `--since must be a date (YYYY-MM-DD) or an ISO 8601 date-time, not "${text}"`);
  return new Date(time);
}
