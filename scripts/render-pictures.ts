// Draws docs/images/comment.png and docs/images/check.png: what a pull request author sees when
// Lockstep reviews a realistic high-risk change. Everything real except the pull request: the
// engine, the built-in checklists and the App's renderers; then GitHub-like HTML, screenshotted
// by headless Chromium (Debian: `apt-get install -y chromium`).
//
// Usage: npm run pictures [-- --checklists DIR] [-- --html-only]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadRepoConfig } from "../src/cli/load-repo-config.js";
import { loadBuiltinChecklists } from "../src/core/builtin.js";
import { resolveChecklists } from "../src/core/config.js";
import { evaluate } from "../src/core/evaluate.js";
import { formatProblem, hasErrors } from "../src/core/format.js";
import { renderEvaluationCheck, type CheckConclusion } from "../src/render/check-run.js";
import { renderComment } from "../src/render/comment.js";
import type { SignoffState } from "../src/signoff/record.js";
import type { ChangedFile, Checklist } from "../src/types.js";
import { checkPage, commentPage } from "./pictures/github-page.js";

const ROOT = resolve(import.meta.dirname, "..");

/** The repository's `.github/compliance.yml` in the picture. */
const CONFIG = `counsel:
  users: [maria-counsel]
  teams: [acme/legal]
`;

/** The pull request in the picture: contact fields on users, a new analytics SDK, a log line with an email. */
export const SAMPLE_FILES: ChangedFile[] = [
  {
    filename: "db/migrate/20261120093000_add_contact_fields_to_users.rb",
    status: "added",
    patch: [
      "@@ -0,0 +1,6 @@",
      "+class AddContactFieldsToUsers < ActiveRecord::Migration[7.1]",
      "+  def change",
      "+    add_column :users, :date_of_birth, :date",
      "+    add_column :users, :phone_number, :string",
      "+  end",
      "+end",
    ].join("\n"),
  },
  {
    filename: "web/package.json",
    status: "modified",
    patch: ['@@ -12,6 +12,7 @@', '   "dependencies": {', '+    "@segment/analytics-next": "^1.70.0",', '     "react": "^18.3.1",'].join("\n"),
  },
  {
    filename: "app/services/signup_service.rb",
    status: "modified",
    patch: ["@@ -18,6 +18,7 @@ def call", "     user = User.create!(params)", '+    Rails.logger.info("signup completed for #{user.email}")', "     deliver_welcome(user)"].join("\n"),
  },
  { filename: "app/views/signup/new.html.erb", status: "modified", patch: "@@ -4,3 +4,3 @@\n-<h1>Join us</h1>\n+<h1>Create your account</h1>" },
];

const PR = { owner: "acme", repo: "shop", number: 128, htmlUrl: "https://github.com/acme/shop/pull/128" };
const HEAD_SHA = "9f3c2e1d4b5a69788776655443322110ffeeddcc";

export type Pictures = { commentMarkdown: string; commentHtml: string; checkHtml: string; risk: string; fired: string[] };

/**
 * Evaluates the sample pull request with `checklists` (the built-in library by default) and
 * renders Lockstep's comment and check run as GitHub-like HTML pages. The first author-owned
 * item is shown ticked, so the picture shows who signed what. Pure apart from reading checklists.
 */
export async function renderPictures(checklists: Checklist[] = builtins(), files: ChangedFile[] = SAMPLE_FILES): Promise<Pictures> {
  const loaded = await loadRepoConfig(CONFIG, ".github/compliance.yml", async () => undefined, checklists.map((c) => c.id));
  const resolved = resolveChecklists(loaded.config, checklists, loaded.repoChecklists);
  const problems = [...loaded.problems, ...resolved.problems];
  if (hasErrors(problems)) throw new Error(`the sample configuration is invalid:\n${problems.map(formatProblem).join("\n")}`);

  const evaluation = evaluate(files, loaded.config, resolved.checklists);
  const conclusion: CheckConclusion = evaluation.decisions.blocking ? "action_required" : evaluation.checklists.length ? "neutral" : "success";
  const checkRunUrl = `${PR.htmlUrl}/checks?check_run_id=31415926`;
  const signoff = tickedByAuthor(evaluation.checklists);
  const commentMarkdown = renderComment({ pr: PR, headSha: HEAD_SHA, evaluation, checkRunUrl, signoff });
  const check = renderEvaluationCheck({ conclusion, evaluation, config: loaded.config, configSources: ["`.github/compliance.yml` at `main`", "built-in defaults"], headProblems: [], signoff });
  return {
    commentMarkdown,
    commentHtml: commentPage(commentMarkdown, { bot: "lockstep" }),
    // The details text repeats the comment's findings: the picture stops after the annotations.
    checkHtml: checkPage({ name: "Lockstep", conclusion, title: check.title, summary: check.summary, annotations: check.annotations }, { maxAnnotations: 3 }),
    risk: evaluation.risk,
    fired: evaluation.checklists.map((f) => f.id),
  };
}

function builtins(dir?: string): Checklist[] {
  const loaded = loadBuiltinChecklists(dir);
  if (hasErrors(loaded.problems)) throw new Error(`the checklists are invalid:\n${loaded.problems.map(formatProblem).join("\n")}`);
  return loaded.checklists;
}

/** A sign-off record where the PR author ticked the first item they own. */
function tickedByAuthor(fired: { id: string; items: { id: string; owner: string }[] }[]): SignoffState {
  const state: SignoffState = { v: 1, repo: 1, pr: PR.number, checklists: {}, log: [] };
  for (const f of fired) {
    const item = f.items.find((i) => i.owner === "author");
    if (!item) continue;
    state.checklists[f.id] = { items: { [item.id]: { by: "sam-dev", at: "2026-11-20T09:41:00Z", via: "tick" } }, reviewed: [] };
    break;
  }
  return state;
}

/**
 * Screenshots `html` at `width` CSS px into `png` with headless Chromium, at twice the pixel
 * density (sharp on high-resolution screens). A first run lays the page out and reads the height
 * the page records, so the image is exactly as tall as the content.
 */
function screenshot(html: string, png: string, width: number): void {
  const dir = mkdtempSync(join(tmpdir(), "lockstep-pictures-"));
  try {
    const file = join(dir, "page.html");
    writeFileSync(file, html);
    const chromium = (...args: string[]) =>
      execFileSync(process.env.CHROMIUM ?? "/usr/bin/chromium", [...CHROMIUM_FLAGS, `--user-data-dir=${join(dir, "profile")}`, ...args, `file://${file}`], { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 }).toString();
    const dom = chromium(`--window-size=${width},800`, "--dump-dom");
    const height = Number(/data-height="(\d+)"/.exec(dom)?.[1]);
    if (!Number.isFinite(height) || height <= 0) throw new Error("chromium did not lay the page out (no data-height in the DOM dump)");
    chromium("--force-device-scale-factor=2", `--window-size=${width},${height}`, `--screenshot=${png}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { checklists: { type: "string" }, "html-only": { type: "boolean" } } });
  const pictures = await renderPictures(builtins(values.checklists ? resolve(values.checklists) : undefined));
  if (pictures.risk !== "high") throw new Error(`the sample pull request should be high risk with these checklists, got "${pictures.risk}" (fired: ${pictures.fired.join(", ") || "none"})`);
  const out = join(ROOT, "docs/images");
  mkdirSync(out, { recursive: true });
  // The HTML is kept next to the images (git-ignored) for a look in a browser.
  writeFileSync(join(out, "comment.html"), pictures.commentHtml);
  writeFileSync(join(out, "check.html"), pictures.checkHtml);
  if (values["html-only"]) return;
  screenshot(pictures.commentHtml, join(out, "comment.png"), 908);
  screenshot(pictures.checkHtml, join(out, "check.png"), 908);
  console.log(`docs/images/comment.png, docs/images/check.png: ${pictures.risk} risk, fired ${pictures.fired.join(", ")}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
