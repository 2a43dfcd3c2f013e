import { describe, expect, it } from "vitest";
import { markdownToHtml } from "../../scripts/pictures/markdown-to-html.js";
import { renderPictures } from "../../scripts/render-pictures.js";

describe("markdownToHtml (the renderers' subset, as GitHub shows it)", () => {
  it.each([
    ["## Lockstep: 🔴 high risk", "<h2>Lockstep: 🔴 high risk</h2>"],
    ["Checked `9f3c2e1`: **blocks** and *why*", "<p>Checked <code>9f3c2e1</code>: <strong>blocks</strong> and <em>why</em></p>"],
    ["one\ntwo", "<p>one<br>\ntwo</p>"],
    ["[`db/x.rb:3`](https://github.com/a/b/pull/1/files#diff-1R3): matches", '<p><a href="https://github.com/a/b/pull/1/files#diff-1R3"><code>db/x.rb:3</code></a>: matches</p>'],
    ["- [x] <!-- item:a/b --> Done (author)\n- [ ] <!-- item:a/c --> To do (counsel)", '<ul class="tasks"><li class="task"><input type="checkbox" disabled checked> Done (author)</li><li class="task"><input type="checkbox" disabled> To do (counsel)</li></ul>'],
    ["| A | B |\n|---|---|\n| `x\\|y` | 2 |", "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td><code>x|y</code></td><td>2</td></tr></tbody></table>"],
    ["> ⚠️ note", "<blockquote><p>⚠️ note</p></blockquote>"],
    ["- **a trigger**: why\n  - `a.rb:3`\n  - `b.rb`\n- **another**", "<ul><li><strong>a trigger</strong>: why<ul><li><code>a.rb:3</code></li><li><code>b.rb</code></li></ul></li><li><strong>another</strong></li></ul>"],
    ["<details>\n<summary>Triggered by **2** changes</summary>\n\n- a\n\n</details>", "<details>\n<summary>Triggered by <strong>2</strong> changes</summary>\n<ul><li>a</li></ul>\n</details>"],
    ["<sub>Lockstep matched 4 files</sub>", "<p><sub>Lockstep matched 4 files</sub></p>"],
    ["filter\\_parameters \\<b\\> `<script>` <script>alert(1)</script>", "<p>filter_parameters &lt;b&gt; <code>&lt;script&gt;</code> &lt;script&gt;alert(1)&lt;/script&gt;</p>"],
  ])("%j", (markdown, html) => {
    expect(markdownToHtml(markdown)).toBe(html);
  });
});

describe("render-pictures", () => {
  it("renders the sample high-risk pull request with the built-in checklists and the App's renderers", async () => {
    const pictures = await renderPictures();

    expect(pictures.risk).toBe("high");
    expect(pictures.fired).toEqual(expect.arrayContaining(["personal-data-fields", "logging-personal-data"]));
    expect(pictures.commentHtml).toContain("<h2>Lockstep: 🔴 high risk</h2>");
    expect(pictures.commentHtml).toMatch(/<li class="task"><input type="checkbox" disabled checked> .*signed off by @sam-dev/);
    expect(pictures.commentHtml).toContain("<code>add_column :users, :date_of_birth, :date</code>");
    // Places are nested under the trigger that matched them.
    expect(pictures.commentHtml).toMatch(/<li><strong>[^<]+<\/strong> \(high\): [^\n]*<ul>\s*<li><a href/);
    expect(pictures.checkHtml).toContain('<span class="status">Action required</span>');
    expect(pictures.checkHtml).toContain("<table>");
    expect(pictures.checkHtml).toContain("db/migrate/20261120093000_add_contact_fields_to_users.rb#L3");
    // Every bit of Markdown became HTML: no bold markers, no hidden ids, no raw item markers left.
    for (const html of [pictures.commentHtml, pictures.checkHtml]) {
      // (Code spans keep their text: a glob such as `**/*.rb` is not Markdown.)
      expect(html.replace(/<code>[^<]*<\/code>/g, "")).not.toMatch(/\*\*|<!--|\[ \]|\[x\]/);
    }
  });
});
