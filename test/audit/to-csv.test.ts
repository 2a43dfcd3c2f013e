import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "../../src/audit/to-csv.js";

describe("csvField (RFC 4180, formula guard)", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rlf", '"cr\rlf"'],
    ["=1+1", "'=1+1"],
    ["+31 20 555", "'+31 20 555"],
    ["-rf", "'-rf"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tindent", "'\tindent"],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
    ["a=b", "a=b"],
    ["", ""],
  ])("%j → %s", (value, field) => expect(csvField(value)).toBe(field));

  it("writes numbers and empty values as they are", () => {
    expect([csvField(-5), csvField(12), csvField(null), csvField(undefined)]).toEqual(["-5", "12", "", ""]);
  });

  it("ends every row with CRLF", () => {
    expect(toCsv(["a", "b"], [["1", null]])).toBe("a,b\r\n1,\r\n");
  });

  it("keeps a value that already starts with a quote as it is", () => {
    expect(csvField("'@")).toBe("'@");
  });

  it("never lets a field start a formula, and quoting keeps the text (property)", () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const field = csvField(value);
        const unquoted = field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;
        expect(/^[=+\-@\t\r]/.test(unquoted)).toBe(false);
        // The guard adds exactly one quote, and only in front of a formula character.
        expect(unquoted).toBe(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
      }),
    );
  });
});
