import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/core/evaluate.js";
import { checkboxChanges, readCheckboxes } from "../../src/signoff/checkboxes.js";
import { parseCommand } from "../../src/signoff/commands.js";
import { emptyState, encodeRecord, readRecord, stateKey } from "../../src/signoff/record.js";
import { approve, mayTick, mayWaive, outstanding, reconcile, setItem, waive, withdrawReview, type Actor } from "../../src/signoff/state.js";
import { makeChecklist, makeConfig, makeFile } from "../core/factories.js";

const key = stateKey({ WEBHOOK_SECRET: "s3cret" });
const list = makeChecklist({
  id: "pii",
  triggers: [{ paths: ["db/**"], added_lines: ["email|phone"], risk: "high" }],
  items: [
    { id: "purpose", text: "Purpose documented", owner: "author" },
    { id: "lawful-basis", text: "Lawful basis", owner: "counsel" },
  ],
});
const config = makeConfig();
const ev = (lines: string[]) => evaluate([makeFile("db/m.rb", lines)], config, [list]);
const actor = (over: Partial<Actor> = {}): Actor => ({ login: "x", isAuthor: false, canWrite: false, roles: [], ...over });
const AT = "2026-11-26T10:00:00Z";

describe("signed record", () => {
  const state = setItem(emptyState(42, 7), ev(["t.string :email"]).checklists[0]!, "purpose", true, "dev", AT);

  it("round-trips for the same repo and PR", () => {
    const body = `<!-- lockstep:comment -->\nhello\n${encodeRecord(state, key)}`;
    expect(readRecord(body, key, 42, 7)).toEqual({ kind: "valid", state });
  });

  it("detects a hand-edited record", () => {
    const record = encodeRecord(state, key);
    const payload = record.split(" ")[3]!.split(".")[0]!;
    const forged = Buffer.from(Buffer.from(payload, "base64url").toString().replace('"dev"', '"mallory"')).toString("base64url");
    expect(readRecord(record.replace(payload, forged), key, 42, 7)).toMatchObject({ kind: "invalid", reason: expect.stringMatching(/signature does not match/) });
  });

  it("detects a record replayed from another PR or repository, or signed with another key", () => {
    const record = encodeRecord(state, key);
    expect(readRecord(record, key, 42, 8).kind).toBe("invalid");
    expect(readRecord(record, key, 43, 7).kind).toBe("invalid");
    expect(readRecord(record, stateKey({ WEBHOOK_SECRET: "other" }), 42, 7).kind).toBe("invalid");
    expect(readRecord(record, stateKey({ LOCKSTEP_STATE_KEY: "k", WEBHOOK_SECRET: "s3cret" }), 42, 7).kind).toBe("invalid");
  });

  it("tells a missing record from a damaged one", () => {
    expect(readRecord("no record", key, 42, 7)).toEqual({ kind: "missing" });
    expect(readRecord("<!-- lockstep:state v1 abc -->", key, 42, 7).kind).toBe("invalid");
  });

  it("never accepts a record nobody signed (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/), fc.stringMatching(/^[0-9a-f]{64}$/), (noise, payload, mac) => {
        expect(readRecord(`${noise}<!-- lockstep:state v1 ${payload}.${mac} -->`, key, 42, 7).kind).not.toBe("valid");
      }),
    );
  });
});

describe("who may sign off", () => {
  it.each([
    ["the author ticks an author item", "author", actor({ isAuthor: true }), true],
    ["a writer ticks an author item", "author", actor({ canWrite: true }), true],
    ["an outsider ticks an author item", "author", actor(), false],
    ["counsel ticks a counsel item", "counsel", actor({ roles: ["counsel"] }), true],
    ["a writer ticks a counsel item", "counsel", actor({ canWrite: true }), false],
    ["the author, even in counsel, ticks a counsel item", "counsel", actor({ isAuthor: true, roles: ["counsel"] }), false],
    ["privacy ticks a counsel item", "counsel", actor({ roles: ["privacy"] }), false],
  ] as const)("%s", (_name, owner, who, ok) => {
    expect(mayTick(owner, who).ok).toBe(ok);
  });

  it("explains a refusal", () => {
    expect(mayTick("counsel", actor({ isAuthor: true, roles: ["counsel"] }))).toEqual({ ok: false, reason: "the PR author cannot sign off counsel items of their own pull request" });
    expect(mayWaive("counsel", actor({ canWrite: true }))).toEqual({ ok: false, reason: "only counsel (as configured in .github/compliance.yml) can waive counsel checklists" });
  });
});

describe("sign-off state", () => {
  const first = ev(["t.string :email"]);

  it("blocks until every item of every blocking checklist is signed off", () => {
    let s = emptyState(1, 1);
    expect(outstanding(s, first, config).map((o) => o.item)).toEqual(["purpose", "lawful-basis"]);
    s = setItem(s, first.checklists[0]!, "purpose", true, "dev", AT);
    expect(outstanding(s, first, config).map((o) => o.item)).toEqual(["lawful-basis"]);
    s = approve(s, first, ["counsel"], "lawyer", 99, AT);
    expect(outstanding(s, first, config)).toEqual([]);
    expect(s.checklists.pii!.items["lawful-basis"]).toEqual({ by: "lawyer", at: AT, via: "review", review: 99 });
  });

  it("ignores non-blocking checklists", () => {
    expect(outstanding(emptyState(1, 1), first, makeConfig({ block_at: "never" }))).toEqual([]);
  });

  it("withdraws what a dismissed review signed off, and only that", () => {
    let s = setItem(emptyState(1, 1), first.checklists[0]!, "purpose", true, "dev", AT);
    s = approve(s, first, ["counsel"], "lawyer", 99, AT);
    s = withdrawReview(s, 99, "lawyer", AT);
    expect(outstanding(s, first, config).map((o) => o.item)).toEqual(["lawful-basis"]);
    expect(s.log.map((e) => e.action)).toEqual(["tick", "approve", "dismiss"]);
  });

  it("a waiver signs off the whole checklist, with its reason", () => {
    const s = waive(emptyState(1, 1), first.checklists[0]!, "lawyer", "Reviewed in DPIA-42 already", AT);
    expect(outstanding(s, first, config)).toEqual([]);
    expect(s.log.at(-1)).toMatchObject({ action: "waive", reason: "Reviewed in DPIA-42 already" });
  });

  it("keeps sign-off when a push adds nothing new, and resets it when a push adds a new trigger", () => {
    let s = setItem(emptyState(1, 1), first.checklists[0]!, "purpose", true, "dev", AT);
    s = approve(s, first, ["counsel"], "lawyer", 99, AT);
    // Same trigger at another line number, plus an unrelated line: still reviewed.
    const same = evaluate([makeFile("db/m.rb", ["# comment", "t.string :email"], { start: 40 })], config, [list]);
    const kept = reconcile(s, same, "sha2", AT);
    expect(kept.resets).toEqual([]);
    expect(outstanding(kept.state, same, config)).toEqual([]);
    // A new personal-data line: the checklist's sign-offs are reset and the reset is logged.
    const more = ev(["t.string :email", "t.string :phone"]);
    const reset = reconcile(kept.state, more, "sha3", AT);
    expect(reset.resets).toEqual([{ checklist: "pii", hit: expect.objectContaining({ text: "t.string :phone" }) }]);
    expect(outstanding(reset.state, more, config)).toHaveLength(2);
    expect(reset.state.log.at(-1)).toMatchObject({ action: "reset", checklist: "pii", sha: "sha3" });
  });

  it("never produces a sign-off that nobody gave (property)", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("tick" as const), item: fc.constantFrom("purpose", "lawful-basis"), checked: fc.boolean() }),
      fc.record({ kind: fc.constant("approve" as const), review: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant("dismiss" as const), review: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant("push" as const), lines: fc.subarray(["t.string :email", "t.string :phone", "x"]) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        let s = emptyState(1, 1);
        let current = first;
        const given = new Set<string>();
        for (const o of ops) {
          if (o.kind === "tick" && current.checklists[0]) {
            s = setItem(s, current.checklists[0], o.item, o.checked, "dev", AT);
            if (o.checked) given.add(`tick:${o.item}`);
          } else if (o.kind === "approve") {
            s = approve(s, current, ["counsel"], "lawyer", o.review, AT);
            if (current.checklists.length) given.add(`review:${o.review}`);
          } else if (o.kind === "dismiss") s = withdrawReview(s, o.review, "lawyer", AT);
          else if (o.kind === "push") {
            current = ev(o.lines);
            s = reconcile(s, current, "sha", AT).state;
          }
        }
        for (const c of Object.values(s.checklists))
          for (const [item, so] of Object.entries(c.items)) expect(given.has(so.via === "review" ? `review:${so.review}` : `tick:${item}`)).toBe(true);
      }),
    );
  });
});

describe("checkboxes", () => {
  const body = (a: string, b: string) => `intro\n- [${a}] <!-- item:pii/purpose --> Purpose (author)\n- [${b}] <!-- item:pii/lawful-basis --> Lawful basis (counsel)\n`;

  it("reads each item's box", () => {
    expect([...readCheckboxes(body("x", " "))]).toEqual([["pii/purpose", true], ["pii/lawful-basis", false]]);
  });

  it("reports only flipped boxes of items present in both versions", () => {
    expect(checkboxChanges(body(" ", " "), body("x", " "))).toEqual([{ checklist: "pii", item: "purpose", checked: true }]);
    expect(checkboxChanges(body("x", "X"), body(" ", "x"))).toEqual([{ checklist: "pii", item: "purpose", checked: false }]);
    expect(checkboxChanges(body(" ", " "), `${body(" ", " ")}- [x] <!-- item:pii/forged --> added by hand\n`)).toEqual([]);
  });
});

describe("commands", () => {
  it.each([
    ["/lockstep recheck", { kind: "recheck" }],
    ["Thanks!\n/lockstep waive pii Covered by the DPIA signed in March", { kind: "waive", checklist: "pii", reason: "Covered by the DPIA signed in March" }],
    ["/lockstep waive pii ok", { kind: "invalid", message: expect.stringMatching(/needs a written reason/) }],
    ["/lockstep waive", { kind: "invalid", message: expect.stringMatching(/Name the checklist/) }],
    ["/lockstep approve", { kind: "invalid", message: expect.stringMatching(/Unknown command `approve`/) }],
    ["we use /lockstep here", undefined],
  ])("%j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});
