import { describe, expect, it } from "vitest";
import { MAX_YAML_BYTES, parseYaml } from "../../src/core/yaml.js";

describe("parseYaml", () => {
  it("locates syntax errors", () => {
    const { value, problems } = parseYaml("id: a\ntriggers: [\n  - x\n", "c.yml");
    expect(value).toBeUndefined();
    expect(problems[0]).toMatchObject({ file: "c.yml", line: expect.any(Number), column: expect.any(Number) });
    expect(problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it("refuses duplicate keys with their position", () => {
    const { problems } = parseYaml("id: a\ntitle: b\nid: c\n", "c.yml");
    expect(problems).toEqual([expect.objectContaining({ line: 3, column: 1, message: expect.stringMatching(/duplicate key/) })]);
  });

  it("stops alias bombs instead of expanding them", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) bomb.push(`${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(10).fill(`*${i === 0 ? "a" : "bcdefghij"[i - 1]}`).join(", ")}]`);
    const { value, problems } = parseYaml(bomb.join("\n"), "bomb.yml");
    expect(value).toBeUndefined();
    expect(problems[0]!.message).toMatch(/alias/i);
  });

  it("refuses files over the size limit", () => {
    const { problems } = parseYaml(`x: "${"a".repeat(MAX_YAML_BYTES)}"`, "big.yml");
    expect(problems[0]!.message).toMatch(/larger than/);
  });

  it("locates nested keys and sequence entries", () => {
    const { locate } = parseYaml("a:\n  b:\n    - one\n    - two\n", "x.yml");
    expect(locate(["a", "b", 1])).toEqual({ line: 4, column: 7 });
    expect(locate(["a", "missing"])).toEqual({ line: 2, column: 3 });
  });
});
