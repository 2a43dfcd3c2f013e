import { describe, expect, it } from "vitest";
import { groupHits } from "../../src/render/hit-groups.js";
import { renderJson } from "../../src/render/json.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderText } from "../../src/render/text.js";
import type { ChecklistFinding, Evaluation, Hit } from "../../src/types.js";

function finding(overrides: Partial<ChecklistFinding> = {}): ChecklistFinding {
  return {
    id: "personal-data",
    title: "Personal data fields",
    summary: "A schema change adds personal data.",
    references: ["GDPR Art. 5(1)(c) data minimisation"],
    reviewers: "counsel",
    risk: "high",
    items: [
      { id: "purpose", text: "The purpose is documented.", owner: "author" },
      { id: "lawful-basis", text: "A lawful basis applies.", owner: "counsel" },
    ],
    label: "compliance: personal-data",
    triggers: [{ description: "new personal-data column", risk: "high" }, { risk: "medium" }],
    hits: [
      { trigger: 0, file: "db/migrate/001_add_dob.rb", matched_path: "db/migrate/001_add_dob.rb", glob: "db/migrate/**", kind: "added", pattern: "date_of_birth", line: 3, text: "    add_column :users, :date_of_birth, :date", risk: "high" },
      { trigger: 1, file: "app/models/person.rb", matched_path: "app/models/user.rb", glob: "app/models/**", kind: "path", risk: "medium" },
    ],
    ...overrides,
  };
}

function evaluation(checklists: ChecklistFinding[] = [finding()]): Evaluation {
  const fired = checklists.length > 0;
  return {
    risk: fired ? "high" : "none",
    decisions: { comment: fired, requestReview: fired, blocking: fired },
    checklists,
    filesExamined: 2,
    filesExcluded: 0,
    active: ["personal-data"],
  };
}

describe("groupHits", () => {
  const log = (file: string, line: number): Hit => ({ trigger: 0, file, matched_path: file, glob: "**/*.py", kind: "added", pattern: "logger", line, text: `logger.info(user)`, risk: "medium" });
  const title = (file: string): Hit => ({ trigger: 1, file, matched_path: file, glob: "**", kind: "title", pattern: "(?i)gdpr", text: "GDPR export", risk: "high" });
  const twoTriggers = finding({
    triggers: [{ description: "a log call carries a user object", risk: "medium" }, { description: "the title speaks of privacy law", risk: "high" }],
    hits: [log("a.py", 3), title("a.py"), log("a.py", 9), title("b.py"), log("c.py", 1), title("c.py")],
  });

  it("says each trigger and each way it matched once, riskiest trigger first, places in order", () => {
    const { groups, hidden } = groupHits(twoTriggers);
    expect(hidden).toBe(0);
    expect(groups.map((g) => [g.trigger, g.description, g.risk])).toEqual([
      [1, "the title speaks of privacy law", "high"],
      [0, "a log call carries a user object", "medium"],
    ]);
    expect(groups[0]!.reasons).toHaveLength(1);
    expect(groups[0]!.reasons[0]).toMatchObject({ kind: "title", pattern: "(?i)gdpr", title: "GDPR export", glob: "**" });
    expect(groups[0]!.reasons[0]!.hits.map((h) => h.file)).toEqual(["a.py", "b.py", "c.py"]);
    expect(groups[1]!.reasons[0]!.hits.map((h) => `${h.file}:${h.line}`)).toEqual(["a.py:3", "a.py:9", "c.py:1"]);
  });

  it("keeps apart what matched another way (pattern or glob) under the same trigger", () => {
    const other: Hit = { ...log("d.rb", 2), glob: "**/*.rb" };
    const { groups } = groupHits(finding({ triggers: twoTriggers.triggers, hits: [log("a.py", 3), other, log("c.py", 1)] }));
    expect(groups).toHaveLength(1);
    expect(groups[0]!.reasons.map((r) => [r.glob, r.hits.length])).toEqual([["**/*.py", 2], ["**/*.rb", 1]]);
  });

  it("with a cap, shows every trigger before a second place of any, and counts the rest", () => {
    const { groups, hidden } = groupHits(twoTriggers, 3);
    expect(hidden).toBe(3);
    expect(groups.map((g) => g.reasons[0]!.hits.length)).toEqual([2, 1]);
    expect(groupHits(twoTriggers, 1).groups.map((g) => g.trigger)).toEqual([1]);
  });

  it("renders a trigger's description once however many lines it matched", () => {
    const text = renderText(evaluation([twoTriggers]), { color: false });
    expect(text.match(/a log call carries a user object/g)).toHaveLength(1);
    expect(text.match(/added line matches \/logger\/; path matches \*\*\/\*\.py/g)).toHaveLength(1);
    expect(text).toContain("    high: the title speaks of privacy law\n      the title \"GDPR export\" matches /(?i)gdpr/; path matches **\n        a.py\n        b.py\n        c.py\n");
    const markdown = renderMarkdown(evaluation([twoTriggers]));
    expect(markdown.match(/a log call carries a user object/g)).toHaveLength(1);
    expect(markdown).toContain("- **a log call carries a user object** (medium): added line matches `logger` (path matches `**/*.py`)\n  - `a.py:3`: `logger.info(user)`\n  - `a.py:9`: `logger.info(user)`\n  - `c.py:1`: `logger.info(user)`\n");
  });
});

describe("renderText", () => {
  it("shows verdict, triggers with glob and pattern, renames and items", () => {
    expect(renderText(evaluation(), { color: false })).toMatchInlineSnapshot(`
      "Lockstep: high risk, BLOCKING: sign-off required before merge
      2 files examined, 1 checklist fired; reviewers are requested.

      Personal data fields (personal-data): high, sign-off by counsel
        A schema change adds personal data.
        Triggered by:
          high: new personal-data column
            added line matches /date_of_birth/; path matches db/migrate/**
              db/migrate/001_add_dob.rb:3  + add_column :users, :date_of_birth, :date
          medium: Trigger 2
            path matches app/models/**
              app/models/person.rb (was app/models/user.rb)
        Review items:
          [ ] The purpose is documented. (author)
          [ ] A lawful basis applies. (counsel)
      "
    `);
  });

  it("says so when nothing applies", () => {
    expect(renderText(evaluation([]), { color: true })).toBe("\x1b[1mLockstep:\x1b[0m no checklist applies. 2 files examined. Not blocking.\n");
  });

  it("neutralises control characters from file names and lines, and caps long hit lists", () => {
    const hit: Hit = { trigger: 0, file: "evil\x1b[2J\tname", matched_path: "evil\x1b[2J\tname", glob: "**", kind: "no-patch", risk: "high" };
    const out = renderText(evaluation([finding({ hits: [hit, hit, hit] })]), { color: false, maxHits: 2 });
    expect(out).not.toContain("\x1b");
    expect(out).toContain("        evil\\x1b[2J\\tname\n        evil\\x1b[2J\\tname\n");
    expect(out.match(/high: new personal-data column/g)).toHaveLength(1);
    expect(out).toContain("no diff to check lines against (binary or too large), so it counts");
    expect(out).toContain("… and 1 more (--format json lists them all)");
  });
});

describe("renderMarkdown", () => {
  it("renders a heading, a table, checkboxes and details", () => {
    expect(renderMarkdown(evaluation())).toMatchInlineSnapshot(`
      "## Lockstep: 🔴 high risk, blocking until signed off

      2 files examined; 1 checklist fired.

      | Checklist | Risk | Sign-off | Files |
      | --- | --- | --- | --- |
      | Personal data fields (\`personal-data\`) | 🔴 high | counsel | 2 |

      ### 🔴 high: Personal data fields

      A schema change adds personal data.

      - [ ] The purpose is documented. (_author_)
      - [ ] A lawful basis applies. (_counsel_)

      <details><summary>Why this applies (2 triggers, 2 files)</summary>

      - **new personal-data column** (high): added line matches \`date_of_birth\` (path matches \`db/migrate/**\`)
        - \`db/migrate/001_add_dob.rb:3\`: \`add_column :users, :date_of_birth, :date\`
      - **Trigger 2** (medium): path matches \`app/models/**\`
        - \`app/models/person.rb\` (was \`app/models/user.rb\`)

      References: GDPR Art. 5(1)(c) data minimisation

      </details>
      "
    `);
  });

  it("escapes backticks, HTML and newlines coming from the change", () => {
    const hit: Hit = { trigger: 0, file: "a`b``c.md", matched_path: "a`b``c.md", glob: "**", kind: "added", pattern: "x", line: 1, text: "<script>\n|", risk: "high" };
    const out = renderMarkdown(evaluation([finding({ title: "<b>Title</b> *x*", hits: [hit] })]));
    expect(out).toContain("  - ```a`b``c.md:1```: `<script> |`");
    expect(out).toContain("`<script> |`");
    expect(out).toContain("### 🔴 high: &lt;b&gt;Title&lt;/b&gt; \\*x\\*");
    expect(out).not.toContain("<b>");
  });

  it("says so when nothing applies", () => {
    expect(renderMarkdown(evaluation([]))).toBe("## Lockstep: no checklist applies\n\n2 files examined; nothing needs review.\n");
  });
});

describe("renderJson", () => {
  it("always carries every documented key", () => {
    const report = JSON.parse(renderJson(evaluation(), "9.9.9"));
    expect(report).toEqual({
      version: 1,
      lockstep_version: "9.9.9",
      risk: "high",
      blocking: true,
      decisions: { comment: true, request_review: true, blocking: true },
      files_examined: 2,
      files_excluded: 0,
      checklists_active: ["personal-data"],
      checklists: [
        {
          id: "personal-data",
          title: "Personal data fields",
          summary: "A schema change adds personal data.",
          risk: "high",
          reviewers: "counsel",
          label: "compliance: personal-data",
          references: ["GDPR Art. 5(1)(c) data minimisation"],
          triggers: [
            { file: "db/migrate/001_add_dob.rb", matched_path: "db/migrate/001_add_dob.rb", line: 3, glob: "db/migrate/**", pattern: "date_of_birth", kind: "added", risk: "high", description: "new personal-data column", text: "    add_column :users, :date_of_birth, :date" },
            { file: "app/models/person.rb", matched_path: "app/models/user.rb", line: null, glob: "app/models/**", pattern: null, kind: "path", risk: "medium", description: null, text: null },
          ],
          items: [
            { id: "purpose", text: "The purpose is documented.", owner: "author" },
            { id: "lawful-basis", text: "A lawful basis applies.", owner: "counsel" },
          ],
        },
      ],
    });
  });
});
