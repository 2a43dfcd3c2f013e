import { describe, expect, it } from "vitest";
import { parseChecklist } from "../../src/core/checklist.js";
import { formatProblem } from "../../src/core/format.js";

const valid = `id: vendor-review
title: Vendor review
summary: A new vendor receives user data.
references: ["GDPR Art. 28"]
triggers:
  - paths: ["**/package.json"]
    added_lines: ['"(segment|mixpanel)"']
    risk: high
items:
  - id: dpa
    text: A DPA is signed.
    owner: counsel
`;

describe("parseChecklist", () => {
  it("parses a valid checklist with defaults", () => {
    const { checklist, problems } = parseChecklist(valid, "vendor.yml");
    expect(problems).toEqual([]);
    expect(checklist).toMatchObject({ id: "vendor-review", reviewers: "counsel", exclude: [], examples: { fire: [], quiet: [] }, source: "vendor.yml" });
  });

  it.each([
    ["an unknown key, naming the allowed ones", valid.replace("summary:", "sumary:"), /vendor\.yml:3:1: sumary: unknown key "sumary"; allowed keys: id, title, summary/],
    ["a missing key", valid.replace(/^title: .*\n/m, ""), /vendor\.yml:1:1: missing required key "title"/],
    ["a wrong type", valid.replace('references: ["GDPR Art. 28"]', "references: GDPR"), /vendor\.yml:4:13: references: must be an array/],
    ["a bad risk", valid.replace("risk: high", "risk: severe"), /vendor\.yml:8:11: triggers\[0\]\.risk: must be one of: "low", "medium", "high"/],
    ["a bad id", valid.replace("id: vendor-review", "id: Vendor Review"), /vendor\.yml:1:5: id: does not have the expected form/],
    ["an unknown trigger key", valid.replace("    risk: high", "    risks: high\n    risk: high"), /vendor\.yml:8:5: triggers\[0\]\.risks: unknown key "risks"/],
  ])("reports %s with file:line:column", (_name, text, expected) => {
    const { checklist, problems } = parseChecklist(text, "vendor.yml");
    expect(checklist).toBeUndefined();
    expect(problems.map(formatProblem).join("\n")).toMatch(expected);
  });

  it.each([
    ["a backreference", "(a)\\\\1", /triggers\[0\]\.added_lines\[0\]: pattern .* is not valid RE2: .*no backreferences/],
    ["a lookahead", "foo(?=bar)", /is not valid RE2: .*lookaround/],
    ["a lookbehind", "(?<!ip)address", /is not valid RE2/],
  ])("refuses an unsafe regex (%s) at its position, with the reason", (_name, pattern, expected) => {
    const { checklist, problems } = parseChecklist(valid.replace(`'"(segment|mixpanel)"'`, `"${pattern}"`), "v.yml");
    expect(checklist).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 7, column: 19 });
    expect(formatProblem(problems[0]!)).toMatch(expected);
  });

  it("refuses a backspace from a double-quoted \\b, at its position, saying how to write a word boundary", () => {
    const { checklist, problems } = parseChecklist(valid.replace(`'"(segment|mixpanel)"'`, '"\\bemail\\b"'), "v.yml");
    expect(checklist).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 7, column: 19 });
    expect(formatProblem(problems[0]!)).toMatch(/triggers\[0\]\.added_lines\[0\]: pattern "\\bemail\\b" contains a backspace \(U\+0008\) at character 1: .*not a word boundary; write the pattern in single quotes/);
    // The same pattern in single quotes is RE2's word boundary and is accepted.
    expect(parseChecklist(valid.replace(`'"(segment|mixpanel)"'`, "'\\bemail\\b'"), "v.yml").checklist?.triggers[0]?.added_lines).toEqual(["\\bemail\\b"]);
  });

  it("refuses other raw control characters in patterns but accepts a tab", () => {
    const { problems } = parseChecklist(valid.replace(`'"(segment|mixpanel)"'`, '"a\\nb", "a\\tb"'), "v.yml");
    expect(problems.map(formatProblem)).toEqual([expect.stringMatching(/v\.yml:7:19: triggers\[0\]\.added_lines\[0\]: pattern "a\\nb" contains a raw control character \(U\+000A\) at character 2: .*escaped \(\\x0a\)/)]);
  });

  it("refuses globs that can never match a repository path", () => {
    const { problems } = parseChecklist(valid.replace('"**/package.json"', '"/package.json", "!*.md"'), "v.yml");
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/v\.yml:6:13: triggers\[0\]\.paths\[0\]: glob "\/package.json" starts with "\/"/),
      expect.stringMatching(/v\.yml:6:30: triggers\[0\]\.paths\[1\]: glob "!\*\.md" is negated/),
    ]);
  });

  it("refuses new_terms_only on a trigger without line patterns, at its position", () => {
    const { checklist, problems } = parseChecklist(valid.replace(`    added_lines: ['"(segment|mixpanel)"']\n`, "    new_terms_only: true\n"), "v.yml");
    expect(checklist).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual([expect.stringMatching(/^v\.yml:7:21: triggers\[0\]\.new_terms_only: new_terms_only applies to line patterns/)]);
  });

  it("validates title patterns as RE2, at their position", () => {
    const text = valid.replace("    risk: high", "    titles: ['(?i)auth', 'x(?=y)']\n    risk: high");
    const { checklist, problems } = parseChecklist(text, "v.yml");
    expect(checklist).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual([expect.stringMatching(/^v\.yml:8:26: triggers\[0\]\.titles\[1\]: pattern "x\(\?=y\)" is not valid RE2/)]);
    expect(parseChecklist(text.replace(", 'x(?=y)'", ""), "v.yml").checklist?.triggers[0]?.titles).toEqual(["(?i)auth"]);
  });

  it("refuses duplicate item ids", () => {
    const text = `${valid}  - id: dpa\n    text: Again.\n`;
    expect(parseChecklist(text, "v.yml").problems.map(formatProblem)).toEqual([expect.stringMatching(/v\.yml:13:9: items\[1\]\.id: duplicate item id "dpa"/)]);
  });

  it("warns (but accepts) when no item is owned by the signing role", () => {
    const { checklist, problems } = parseChecklist(valid.replace("owner: counsel", "owner: author"), "v.yml");
    expect(checklist).toBeDefined();
    expect(problems).toEqual([expect.objectContaining({ severity: "warning", message: expect.stringMatching(/no item is owned by "counsel"/) })]);
  });

  it("reports an empty file", () => {
    expect(parseChecklist("", "e.yml").problems[0]!.message).toMatch(/empty/);
  });

  it("accepts (?i) and word boundaries in RE2 patterns", () => {
    const { problems } = parseChecklist(valid.replace(`'"(segment|mixpanel)"'`, `'(?i)\\bphone[_-]?number\\b'`), "v.yml");
    expect(problems).toEqual([]);
  });
});
