import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { loadBuiltinChecklists } from "../../src/core/builtin.js";
import { mergeConfig, parseConfig } from "../../src/core/config.js";
import { formatProblem } from "../../src/core/format.js";

it("the complete example in docs/app.md is a valid configuration", () => {
  const doc = readFileSync(new URL("../../docs/app.md", import.meta.url), "utf8");
  const yaml = /A complete repository file:\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(yaml).toBeDefined();
  const { layer, problems } = parseConfig(yaml!, ".github/compliance.yml");
  expect(problems.map(formatProblem)).toEqual([]);
  // ai-ml and tracking-consent are built-in checklists named by the docs.
  const known = [...loadBuiltinChecklists().checklists.map((c) => c.id), "ai-ml", "tracking-consent"];
  expect(mergeConfig([layer!], known).problems.map(formatProblem)).toEqual([]);
});
