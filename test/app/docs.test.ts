import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { parse } from "yaml";
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

it("app.yml subscribes to exactly the events the App handles, with the documented permissions", () => {
  const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as { default_events: string[]; default_permissions: Record<string, string> };
  const index = readFileSync(new URL("../../src/index.ts", import.meta.url), "utf8");
  const handled = new Set([...index.matchAll(/"([a-z_]+)\.[a-z_]+"/g)].map((m) => m[1]!));
  expect(new Set(manifest.default_events)).toEqual(handled);
  expect(manifest.default_permissions).toEqual({
    metadata: "read",
    contents: "read",
    pull_requests: "write",
    issues: "write",
    checks: "write",
    merge_queues: "read",
    members: "read",
  });
  // The permission table in docs/app.md names each of them.
  const doc = readFileSync(new URL("../../docs/app.md", import.meta.url), "utf8");
  for (const name of ["Metadata", "Contents", "Pull requests", "Issues", "Checks", "Merge queues", "Members"]) expect(doc).toMatch(new RegExp(`\\| ${name}[^|]*\\| (read|write) \\|`));
});
