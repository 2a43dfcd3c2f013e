/**
 * Markdown → HTML for the subset Lockstep's renderers emit, rendered the way GitHub does in
 * comments: ATX headings, paragraphs (a single newline is a line break), `-` lists with task
 * checkboxes, pipe tables, `>` blockquotes, `**bold**`, `*emphasis*`, inline code, links,
 * backslash escapes, HTML comments (hidden) and the few HTML tags GitHub allows that the
 * renderers use (`details`, `summary`, `sub`, `br`). Any other `<` is shown as text.
 * Not a general Markdown implementation: it only has to draw the pictures in docs/images.
 */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/<!--[\s\S]*?-->\s?/g, "").split("\n");
  return renderBlocks(lines);
}

const BLOCK_TAG = /^\s*<\/?(details|summary)\b[^>]*>/i;

function renderBlocks(lines: string[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (BLOCK_TAG.test(line)) {
      // <details>, <summary>…</summary>, </details> lines pass through; text inside a summary is inline.
      out.push(line.trim().replace(/^(<summary>)(.*)(<\/summary>)$/i, (_, open: string, text: string, close: string) => `${open}${inline(text)}${close}`));
      i++;
      continue;
    }
    if (line.startsWith(">")) {
      const quoted: string[] = [];
      while (i < lines.length && lines[i]!.startsWith(">")) quoted.push(lines[i++]!.replace(/^> ?/, ""));
      out.push(`<blockquote>${renderBlocks(quoted)}</blockquote>`);
      continue;
    }
    if (/^\s*- /.test(line)) {
      const items: string[] = [];
      while (i < lines.length && /^\s*- /.test(lines[i]!)) items.push(lines[i++]!);
      out.push(list(items));
      continue;
    }
    if (line.startsWith("|") && /^\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1] ?? "")) {
      const header = cells(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.startsWith("|")) rows.push(cells(lines[i++]!));
      const head = `<thead><tr>${header.map((c) => `<th>${inline(c)}</th>`).join("")}</tr></thead>`;
      const body = `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join("")}</tr>`).join("")}</tbody>`;
      out.push(`<table>${head}${body}</table>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "" && !startsBlock(lines, i)) paragraph.push(lines[i++]!);
    out.push(`<p>${paragraph.map(inline).join("<br>\n")}</p>`);
  }
  return out.join("\n");
}

function startsBlock(lines: string[], i: number): boolean {
  const line = lines[i]!;
  return /^#{1,6}\s/.test(line) || BLOCK_TAG.test(line) || line.startsWith(">") || /^\s*- /.test(line) || (line.startsWith("|") && /^\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1] ?? ""));
}

/** A `-` list; an item indented further than the list's first belongs to a list nested in the item before it. */
function list(lines: string[]): string {
  const indent = (line: string) => /^\s*/.exec(line)![0].length;
  const depth = indent(lines[0]!);
  const items: { text: string; children: string[] }[] = [];
  for (const line of lines) {
    if (indent(line) > depth && items.length > 0) items.at(-1)!.children.push(line);
    else items.push({ text: line.replace(/^\s*- /, ""), children: [] });
  }
  const task = items.some((item) => /^\[[ xX]\] /.test(item.text));
  const html = items.map((item) => listItem(item.text).replace(/<\/li>$/, `${item.children.length ? list(item.children) : ""}</li>`));
  return `<ul${task ? ' class="tasks"' : ""}>${html.join("")}</ul>`;
}

function listItem(item: string): string {
  const task = /^\[([ xX])\] (.*)$/.exec(item);
  if (!task) return `<li>${inline(item)}</li>`;
  const checked = task[1] !== " " ? " checked" : "";
  return `<li class="task"><input type="checkbox" disabled${checked}> ${inline(task[2]!)}</li>`;
}

/** Splits a table row on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, "|"));
}

const ALLOWED_INLINE_TAG = /^<\/?(sub|sup|br|b|i|em|strong|kbd)\s*\/?>/i;

/** Inline Markdown: code spans first (their content is literal), then escapes, HTML, links and emphasis. */
function inline(text: string): string {
  const held: string[] = [];
  const hold = (html: string) => `\u0000${held.push(html) - 1}\u0000`;
  let s = text.replace(/(`+)(.+?)\1(?!`)/g, (_, __, content: string) => hold(`<code>${escapeHtml(content.replace(/^ (.*) $/, "$1"))}</code>`));
  s = s.replace(/\\([\\`*_{}[\]()<>#+\-.!|~])/g, (_, c: string) => hold(escapeHtml(c)));
  s = s.replace(/<[^>]*>/g, (tag) => (ALLOWED_INLINE_TAG.test(tag) ? hold(tag) : tag));
  s = escapeHtml(s);
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => `<a href="${url.replace(/"/g, "&quot;")}">${label}</a>`);
  s = s.replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>").replace(/(^|[^*\w])\*(?!\s)(.+?)\*(?!\w)/g, "$1<em>$2</em>");
  return s.replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)]!).replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)]!);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
