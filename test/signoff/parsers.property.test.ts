import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkboxChanges, readCheckboxes } from "../../src/signoff/checkboxes.js";
import { parseCommand } from "../../src/signoff/commands.js";
import { emptyState, encodeRecord, readRecord, stateKey, type SignoffState } from "../../src/signoff/record.js";

const key = stateKey({ WEBHOOK_SECRET: "s3cret" });
const id = fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/);
const itemLine = fc.tuple(fc.constantFrom(" ", "x", "X"), id, id, fc.string({ maxLength: 20 })).map(([box, c, i, text]) => `- [${box}] <!-- item:${c}/${i} --> ${text}`);
const body = fc.array(fc.oneof(itemLine, fc.string({ maxLength: 60 }), fc.constantFrom("<!-- lockstep:state v1 ", "-->", "- [x] <!-- item:", "\r\n", "/lockstep")), { maxLength: 12 }).map((l) => l.join("\n"));
const signed: SignoffState = {
  ...emptyState(42, 7),
  checklists: { pii: { items: { "lawful-basis": { by: "alice", at: "2026-01-01T00:00:00Z", via: "tick" } }, reviewed: [] } },
};

describe("readRecord (property)", () => {
  it("never throws on any body, and finds no valid record in text nobody signed", () => {
    fc.assert(fc.property(fc.oneof(body, fc.string(), fc.string({ unit: "binary" })), (text) => {
      expect(readRecord(text, key, 42, 7).kind).not.toBe("valid");
    }));
  });

  it("any change to a signed record's payload or signature is detected", () => {
    const record = encodeRecord(signed, key);
    const start = record.indexOf("v1 ") + 3;
    fc.assert(
      fc.property(fc.integer({ min: start, max: record.length - 5 }), fc.constantFrom(..."ABCDEFabcdef0123456789-_"), (at, ch) => {
        fc.pre(record[at] !== ch);
        const edited = record.slice(0, at) + ch + record.slice(at + 1);
        expect(readRecord(edited, key, 42, 7).kind).not.toBe("valid");
      }),
    );
  });

  it("a valid record keeps verifying whatever text surrounds it, and only for its own PR", () => {
    const record = encodeRecord(signed, key);
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 1000 }), (before, after, pr) => {
        const text = `${before.replace(/<!--/g, "")}\n${record}\n${after}`;
        expect(readRecord(text, key, 42, 7)).toEqual({ kind: "valid", state: signed });
        if (pr !== 7) expect(readRecord(text, key, 42, pr).kind).toBe("invalid");
      }),
    );
  });
});

describe("checkboxChanges (property)", () => {
  it("never throws; reports only items present in both versions whose box flipped, once each", () => {
    fc.assert(
      fc.property(body, body, (before, after) => {
        const a = readCheckboxes(before);
        const b = readCheckboxes(after);
        const changes = checkboxChanges(before, after);
        const keys = changes.map((c) => `${c.checklist}/${c.item}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const c of changes) {
          const k = `${c.checklist}/${c.item}` as const;
          expect(a.has(k) && b.has(k)).toBe(true);
          expect(b.get(k)).toBe(c.checked);
          expect(a.get(k)).toBe(!c.checked);
        }
      }),
    );
  });

  it("an unchanged body has no changes", () => {
    fc.assert(fc.property(body, (text) => {
      expect(checkboxChanges(text, text)).toEqual([]);
    }));
  });
});

describe("parseCommand (property)", () => {
  it("never throws; a waiver always names a valid checklist id and a reason of 10 to 500 characters", () => {
    fc.assert(
      fc.property(fc.oneof(body, fc.string(), fc.tuple(fc.string(), fc.string(), fc.string()).map(([a, b, c]) => `${a}\n/lockstep waive ${b} ${c}`)), (text) => {
        const command = parseCommand(text);
        if (command === undefined) expect(/^\s*\/lockstep\b/m.test(text)).toBe(false);
        else if (command.kind === "waive") {
          expect(command.checklist).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
          expect(command.reason.length).toBeGreaterThanOrEqual(10);
          expect(command.reason.length).toBeLessThanOrEqual(500);
        } else if (command.kind === "invalid") expect(command.message).toContain("Usage:");
      }),
    );
  });
});
