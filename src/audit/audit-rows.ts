import type { AuditedPull } from "./audit-pull.js";

/** The CSV columns of `lockstep audit` (docs/cli.md); PR columns repeat on every row, for filtering. */
export const AUDIT_COLUMNS = [
  "repo",
  "pr",
  "title",
  "author",
  "state",
  "head_sha",
  "verified",
  "risk",
  "checklists",
  "row",
  "checklist",
  "item",
  "by",
  "at",
  "via",
  "action",
  "sha",
  "reason",
] as const;

type Row = Record<(typeof AUDIT_COLUMNS)[number], string | number | null>;

/**
 * Flattens audited PRs into rows: per PR one `pr` row (fired checklists as `id:risk; …`), then one
 * `signoff` row per sign-off and one `event` row per audit log event. An invalid or missing record
 * yields the `pr` row only: its content is not trusted.
 */
export function auditRows(pulls: readonly AuditedPull[]): (string | number | null)[][] {
  const rows: Row[] = [];
  for (const pull of pulls) {
    const r = pull.record;
    const pr = {
      repo: pull.repo,
      pr: pull.number,
      title: pull.title,
      author: pull.author,
      state: pull.state,
      head_sha: pull.head_sha,
      verified: pull.verified === "invalid" ? `invalid: ${pull.invalid_reason}` : pull.verified,
      risk: r?.risk ?? null,
      checklists: r ? r.checklists.map((c) => `${c.id}:${c.risk}`).join("; ") : null,
    };
    const empty = { checklist: null, item: null, by: null, at: null, via: null, action: null, sha: null, reason: null };
    rows.push({ ...pr, row: "pr", ...empty, sha: r?.sha ?? null });
    for (const s of r?.signoffs ?? []) rows.push({ ...pr, row: "signoff", ...empty, checklist: s.checklist, item: s.item, by: s.by, at: s.at, via: s.via, reason: s.reason });
    for (const e of r?.events ?? [])
      rows.push({ ...pr, row: "event", ...empty, checklist: e.checklist ?? null, item: e.item ?? null, by: e.by, at: e.at, action: e.action, sha: e.sha ?? null, reason: e.reason ?? null });
  }
  return rows.map((row) => AUDIT_COLUMNS.map((column) => row[column]));
}
