import { escapeHtml, markdownToHtml } from "./markdown-to-html.js";

/** GitHub's light theme, enough for a comment and a check run page (Primer colours and sizes). */
const CSS = `
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: #ffffff; color: #1f2328; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Apple Color Emoji", "Noto Color Emoji"; }
a { color: #0969da; text-decoration: none; }
.frame { width: 860px; border: 1px solid #d0d7de; border-radius: 6px; overflow: hidden; }
.frame-header { display: flex; align-items: center; gap: 8px; padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d0d7de; color: #59636e; }
.frame-header strong { color: #1f2328; }
.avatar { width: 20px; height: 20px; border-radius: 4px; background: #1f6feb; color: #fff; font-size: 12px; font-weight: 600; display: inline-flex; align-items: center; justify-content: center; }
.label { border: 1px solid #d0d7de; border-radius: 2em; padding: 0 7px; font-size: 12px; font-weight: 500; line-height: 18px; }
.markdown-body { padding: 16px; word-wrap: break-word; }
.markdown-body > :first-child { margin-top: 0; }
.markdown-body > :last-child { margin-bottom: 0; }
.markdown-body h1, .markdown-body h2, .markdown-body h3 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
.markdown-body h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
.markdown-body h3 { font-size: 1.25em; }
.markdown-body p, .markdown-body ul, .markdown-body table, .markdown-body blockquote, .markdown-body details { margin: 0 0 16px; }
.markdown-body ul { padding-left: 2em; }
.markdown-body ul.tasks { list-style: none; padding-left: 0.6em; }
.markdown-body li + li { margin-top: .25em; }
.markdown-body li.task input { margin: 0 .3em .25em -1.4em; vertical-align: middle; }
.markdown-body ul.tasks li.task { padding-left: 1.4em; }
.markdown-body code { padding: .2em .4em; font: 85% ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; background: #818b981f; border-radius: 6px; }
.markdown-body blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
.markdown-body table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body th { font-weight: 600; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body sub { color: #59636e; }
.markdown-body summary { cursor: pointer; }
.check-title { display: flex; align-items: center; gap: 10px; padding: 16px; border-bottom: 1px solid #d0d7de; }
.check-title h1 { margin: 0; font-size: 20px; font-weight: 600; }
.check-title .status { font-weight: 600; }
.icon { width: 20px; height: 20px; border-radius: 50%; display: inline-flex; align-items: center; justify-content: center; color: #fff; font-size: 12px; font-weight: 700; }
.action_required .icon, .failure .icon { background: #cf222e; }
.neutral .icon { background: #59636e; }
.success .icon { background: #1a7f37; }
.section { padding: 0 16px 16px; }
.section h4 { margin: 16px 0 8px; font-size: 14px; }
.annotation { border: 1px solid #d0d7de; border-radius: 6px; margin-bottom: 8px; }
.annotation-head { padding: 6px 12px; background: #f6f8fa; border-bottom: 1px solid #d0d7de; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
.annotation-body { padding: 8px 12px; white-space: pre-wrap; }
.annotation .level { font-weight: 600; }
.level.failure { color: #cf222e; } .level.warning { color: #9a6700; } .level.notice { color: #0969da; }
`;

function page(title: string, body: string): string {
  // The script records the page's height, so the screenshot can be cut to fit (render-pictures.ts).
  const measure = "<script>document.documentElement.dataset.height = String(document.documentElement.scrollHeight);</script>";
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>\n<body>\n${body}\n${measure}\n</body></html>\n`;
}

/** A PR timeline comment by Lockstep's bot, as a pull request author sees it. */
export function commentPage(markdown: string, options: { bot: string }): string {
  const header = `<div class="frame-header"><span class="avatar">L</span><strong>${escapeHtml(options.bot)}</strong><span class="label">bot</span><span>commented</span></div>`;
  return page("Lockstep comment", `<div class="frame">${header}<div class="markdown-body">${markdownToHtml(markdown)}</div></div>`);
}

export type CheckPageInput = {
  name: string;
  conclusion: string;
  title: string;
  summary: string;
  text?: string;
  annotations: { path: string; start_line: number; annotation_level: string; title?: string; message: string }[];
};

const CONCLUSION = { action_required: ["!", "Action required"], failure: ["✕", "Failed"], neutral: ["–", "Neutral"], success: ["✓", "Succeeded"] } as const;

/** A check run's page on GitHub: name and conclusion, the output title and summary, annotations, then the details text. */
export function checkPage(check: CheckPageInput, options: { maxAnnotations?: number } = {}): string {
  const [icon, status] = CONCLUSION[check.conclusion as keyof typeof CONCLUSION] ?? ["?", check.conclusion];
  const shown = check.annotations.slice(0, options.maxAnnotations ?? 4);
  const annotations = shown
    .map(
      (a) =>
        `<div class="annotation"><div class="annotation-head"><span class="level ${escapeHtml(a.annotation_level)}">${escapeHtml(capital(a.annotation_level))}</span> · ${escapeHtml(a.path)}#L${a.start_line}${a.title ? ` · ${escapeHtml(a.title)}` : ""}</div><div class="annotation-body">${escapeHtml(a.message)}</div></div>`,
    )
    .join("");
  const more = check.annotations.length > shown.length ? `<p>… and ${check.annotations.length - shown.length} more annotations</p>` : "";
  const body = [
    `<div class="frame ${escapeHtml(check.conclusion)}">`,
    `<div class="check-title"><span class="icon">${icon}</span><h1>${escapeHtml(check.name)}</h1><span class="status">${escapeHtml(status)}</span></div>`,
    `<div class="markdown-body"><h2>${escapeHtml(check.title)}</h2>${markdownToHtml(check.summary)}</div>`,
    shown.length ? `<div class="section"><h4>Annotations</h4>${annotations}${more}</div>` : "",
    check.text ? `<div class="markdown-body">${markdownToHtml(check.text)}</div>` : "",
    `</div>`,
  ].join("\n");
  return page("Lockstep check run", body);
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
