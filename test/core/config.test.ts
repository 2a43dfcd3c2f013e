import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, mergeConfig, parseConfig, resolveChecklists, type ConfigLayer } from "../../src/core/config.js";
import { formatProblem } from "../../src/core/format.js";
import { makeChecklist } from "./factories.js";

const KNOWN = ["personal-data-fields", "payments", "compliance-config", "tracking-consent"];

function layer(text: string, file = ".github/compliance.yml", org = false): ConfigLayer {
  const { layer, problems } = parseConfig(text, file, { org });
  expect(problems.map(formatProblem)).toEqual([]);
  return layer!;
}

describe("parseConfig", () => {
  it("accepts an empty file as the defaults", () => {
    const { config, problems } = mergeConfig([layer("")], KNOWN);
    expect(problems).toEqual([]);
    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it("reads every key", () => {
    const text = `
counsel: { users: [alice], teams: [acme/legal] }
roles:
  security: { teams: [appsec] }
comment_at: medium
request_review_at: high
block_at: never
checklists:
  disable: [tracking-consent]
  risk: { payments: medium }
  files: [.github/compliance/vendors.yml]
exclude: ["vendor/**"]
labels: { prefix: "legal/" }
drafts: skip
`;
    const { config, problems } = mergeConfig([layer(text)], KNOWN);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      roles: { counsel: { users: ["alice"], teams: ["legal"] }, security: { users: [], teams: ["appsec"] } },
      comment_at: "medium",
      request_review_at: "high",
      block_at: "never",
      checklists: { disable: ["tracking-consent"], risk: { payments: "medium" }, files: [".github/compliance/vendors.yml"] },
      exclude: ["vendor/**"],
      labels: { enabled: true, prefix: "legal/" },
      drafts: "skip",
    });
  });

  it.each([
    ["an unknown key", "comment_on: low\n", /compliance\.yml:1:1: comment_on: unknown key "comment_on"; allowed keys: _extends, counsel, roles/],
    ["a bad threshold", "block_at: severe\n", /compliance\.yml:1:11: block_at: must be one of: "low", "medium", "high", "never"/],
    ["a wrong type", "exclude: vendor/**\n", /compliance\.yml:1:10: exclude: must be an array/],
    ["a bad glob", "exclude: ['/vendor/**']\n", /compliance\.yml:1:11: exclude\[0\]: glob "\/vendor\/\*\*" starts with "\/"/],
    ["labels of the wrong type", "labels: yes please\n", /labels: must be a boolean or an object/],
    ["enforce outside the org file", "checklists:\n  enforce: [payments]\n", /2:12: checklists\.enforce: enforce is only honoured in the organisation's \.github repository/],
    ["a bad inline checklist", "checklists:\n  custom:\n    - id: x\n      title: X\n", /3:7: checklists\.custom\[0\]: missing required key "summary"/],
    ["a non-mapping document", "- a\n- b\n", /compliance\.yml:1:1: must be an object/],
    ["a YAML error", "block_at: [high\n", /compliance\.yml:\d+:\d+: /],
  ])("reports %s, located", (_name, text, expected) => {
    const { layer, problems } = parseConfig(text, ".github/compliance.yml");
    expect(layer).toBeUndefined();
    expect(problems.map(formatProblem).join("\n")).toMatch(expected);
  });
});

describe("mergeConfig", () => {
  it("puts the repo over the org, merging roles and risk overrides", () => {
    const org = layer("counsel: { teams: [legal] }\nroles: { security: { teams: [appsec] } }\nblock_at: medium\nchecklists: { risk: { payments: high } }\n", "acme/.github:.github/compliance.yml", true);
    const repo = layer("counsel: { users: [bob] }\nchecklists: { risk: { tracking-consent: low } }\n");
    const { config, problems } = mergeConfig([org, repo], KNOWN);
    expect(problems).toEqual([]);
    expect(config.roles).toEqual({ counsel: { users: ["bob"], teams: [] }, security: { users: [], teams: ["appsec"] } });
    expect(config.block_at).toBe("medium");
    expect(config.checklists.risk).toEqual({ payments: "high", "tracking-consent": "low" });
  });

  it("refuses to disable what the org enforces, saying who enforces it", () => {
    const org = layer("checklists: { enforce: [payments] }\n", "acme/.github:.github/compliance.yml", true);
    const repo = layer("checklists:\n  disable: [tracking-consent, payments]\n");
    const { config, problems } = mergeConfig([org, repo], KNOWN);
    expect(problems.map(formatProblem)).toEqual([
      '.github/compliance.yml:2:31: checklists.disable[1]: checklist "payments" is enforced by the organisation (acme/.github:.github/compliance.yml) and cannot be disabled',
    ]);
    expect(config.checklists.enforce).toEqual(["payments"]);
  });

  it("names unknown checklist ids with a suggestion and the list", () => {
    const { problems } = mergeConfig([layer("checklists: { disable: [payment] }\n")], KNOWN);
    expect(formatProblem(problems[0]!)).toMatch(/1:25: checklists\.disable\[0\]: unknown checklist "payment"; did you mean "payments"\? \(available: compliance-config, payments, personal-data-fields, tracking-consent\)/);
  });

  it("accepts ids of inline checklists", () => {
    const text = `checklists:
  risk: { vendor-x: low }
  custom:
    - id: vendor-x
      title: Vendor X
      summary: Vendor X gets data.
      triggers: [{ paths: ["**/x.ts"], risk: high }]
      items: [{ id: dpa, text: DPA signed, owner: counsel }]
`;
    const { config, problems } = mergeConfig([layer(text)], KNOWN);
    expect(problems).toEqual([]);
    expect(config.checklists.custom.map((c) => c.id)).toEqual(["vendor-x"]);
  });
});

describe("resolveChecklists", () => {
  const builtins = ["personal-data-fields", "payments", "compliance-config", "tracking-consent"].map((id) => makeChecklist({ id, source: `checklists/${id}.yml` }));
  const ids = (config: Parameters<typeof resolveChecklists>[0], repo = [] as ReturnType<typeof makeChecklist>[]) => resolveChecklists(config, builtins, repo).checklists.map((c) => c.id);
  const config = (text: string) => mergeConfig([layer(text)], [...KNOWN, "repo-list"]).config;

  it("runs every built-in by default", () => {
    expect(ids(DEFAULT_CONFIG)).toEqual(["personal-data-fields", "payments", "compliance-config", "tracking-consent"]);
  });

  it("applies enable as an allowlist, but keeps the config checklist", () => {
    expect(ids(config("checklists: { enable: [payments] }"))).toEqual(["payments", "compliance-config"]);
  });

  it("applies disable, but never to enforced checklists or the config checklist", () => {
    const org = layer("checklists: { enforce: [payments] }", "org.yml", true);
    const merged = mergeConfig([org, layer("checklists: { disable: [tracking-consent, compliance-config] }")], KNOWN).config;
    expect(ids(merged)).toEqual(["personal-data-fields", "payments", "compliance-config"]);
  });

  it("adds repo checklists and applies risk overrides to every trigger", () => {
    const repo = makeChecklist({ id: "repo-list", source: ".github/compliance/repo.yml", triggers: [{ paths: ["a"], risk: "low" }, { paths: ["b"], risk: "high" }] });
    const { checklists } = resolveChecklists(config("checklists: { risk: { repo-list: medium } }"), builtins, [repo]);
    expect(checklists.find((c) => c.id === "repo-list")!.triggers.map((t) => t.risk)).toEqual(["medium", "medium"]);
  });

  it("refuses a repo checklist that reuses a built-in id", () => {
    const clash = makeChecklist({ id: "payments", source: ".github/compliance/payments.yml" });
    const { problems } = resolveChecklists(DEFAULT_CONFIG, builtins, [clash]);
    expect(problems.map(formatProblem)).toEqual(['.github/compliance/payments.yml: checklist id "payments" is already used by checklists/payments.yml; pick another id']);
  });

  it("makes the config checklist watch the repo's checklist files", () => {
    const { checklists } = resolveChecklists(config("checklists: { files: [legal/lists/*.yml] }"), builtins);
    expect(checklists.find((c) => c.id === "compliance-config")!.triggers.at(-1)).toMatchObject({ paths: ["legal/lists/*.yml"], risk: "high" });
  });
});
