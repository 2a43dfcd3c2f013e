import RE2 from "re2";
import { memoize } from "./memo.js";
import { compileSet, type RE2Set } from "./regex.js";

/**
 * Lines nearly every source file has. A line pattern that matches most of them ("any code line")
 * would answer "maybe" for nearly every file, and it makes an RE2 set several times slower (its
 * DFA must track a match on every line): such patterns stay out of the sets.
 */
const TYPICAL_LINES = [
  "  const total = items.reduce((sum, item) => sum + item.price, 0);",
  "  return x;",
  "}",
  "def update(self, request):",
  "    x = 1",
  "import os",
  "  if (a) {",
  "  foo(bar);",
  "end",
  "  <div>hello</div>",
];

/**
 * The most pattern text (characters of RE2 source) in one small set. RE2 gives a set's DFA a fixed
 * memory budget; on varied text (real code, unlike repeated lines) a set of every built-in pattern
 * outgrows it and rebuilds states byte after byte: about 14 µs a byte, where sets of about this
 * size stay near 2 ns a byte each.
 */
const GROUP_BUDGET = 3000;

/** A file this large (bytes) always uses the small sets: a thrashing whole set would cost seconds. */
const WHOLE_MAX_BYTES = 16 * 1024;

/** The whole set is thrashing when a pass costs more than this per byte (healthy: under 20 ns). */
const SLOW_NS_PER_BYTE = 300;
/** Passes shorter than this are never judged slow (timer noise). */
const SLOW_MIN_MS = 0.05;
/** After a slow pass, the whole set rests for 1, 2, 4, … files, up to this many. */
const MAX_REST = 4096;

/**
 * Decides, per file, which line triggers ("slots", one per trigger and kind) can match any of its
 * lines, so a trigger that cannot is never scanned. The answer is exact for each slot it checks
 * (an RE2 set tells which of its patterns match somewhere in the file's joined lines) and "maybe"
 * for the rest, so how the slots are split between sets changes the speed, never the findings.
 *
 * Two ways to ask: one set of every slot (one pass over the file; fastest while its DFA fits in
 * memory, as on repetitive text), or small sets of a few slots each, run only for the slots a file
 * asks about (a pass each, but never thrashing). The whole set is used while its passes stay fast;
 * after a slow one it rests for a growing number of files. Only the speed depends on that timing.
 * A small change does not compile the whole set (about 0.4 s for the built-in library, more than
 * the few small sets its files ask about), but uses it once a larger one has.
 * When RE2 refuses to compile the whole set (its program outgrows RE2's memory budget, at about
 * 110,000 characters of the built-in patterns), it is split in halves until each compiles.
 */
export class LineFilter {
  readonly #slots: number;
  /** slot → its small set; -1 for a slot no set checks (always "maybe"). */
  readonly #groupOf: Int32Array;
  /** Compiled when first needed: while the whole set is fast, most are never needed. */
  readonly #groups: LazySet[];
  /** The set of every selective slot, or the parts of it RE2 compiles; empty when unused. */
  readonly #whole: LazySet[] = [];
  /** Files the whole set still sits out, and how many it sat out after its last slow pass. */
  #resting = 0;
  #rest = 0;

  /**
   * `sources[slot]`: the slot's patterns as one RE2 source. The options exist for tests: the
   * answers must not depend on them.
   */
  constructor(sources: readonly string[], { groupBudget = GROUP_BUDGET, whole = true } = {}) {
    this.#slots = sources.length;
    this.#groupOf = new Int32Array(sources.length).fill(-1);
    const selective = sources.flatMap((source, slot) => (nearlyAlways(source) ? [] : [slot]));
    this.#groups = pack(selective, (slot) => sources[slot]!.length, groupBudget).map((slots, g) => {
      for (const slot of slots) this.#groupOf[slot] = g;
      return { slots, sources: slots.map((slot) => sources[slot]!) };
    });
    if (whole && this.#groups.length > 1) this.#whole.push({ slots: selective, sources: selective.map((slot) => sources[slot]!) });
  }

  /**
   * The answers for one file's joined lines, each computed when first asked for. `small`: the
   * file belongs to a small change, which uses the whole set only if it is compiled already.
   */
  forLines(buffer: Buffer, small = false): (slot: number) => boolean {
    // Per slot: 0 not known yet, 1 may match, 2 cannot match.
    const known = new Uint8Array(this.#slots);
    let first = true;
    return (slot) => {
      const group = this.#groupOf[slot]!;
      if (group < 0) return true;
      if (first) {
        first = false;
        // Not compiled yet: the first pass builds the DFA's first states, slow whatever the text.
        const cold = this.#whole.some((part) => part.set === undefined);
        if (this.#whole.length > 0 && buffer.length <= WHOLE_MAX_BYTES && !(cold && small) && this.#resting-- <= 0) {
          const start = performance.now();
          this.#settleWhole(known, buffer);
          if (!cold) this.#judge(performance.now() - start, buffer.length);
        }
      }
      if (known[slot] === 0) {
        const lazy = this.#groups[group]!;
        // A small set RE2 cannot answer leaves its slots to scan on their own.
        if (!settle(known, lazy, buffer)) for (const s of lazy.slots) known[s] = 1;
      }
      return known[slot] === 1;
    };
  }

  /** Whether the set of every slot has been compiled (for tests: only the speed depends on it). */
  get wholeCompiled(): boolean {
    return this.#whole.length > 0 && this.#whole.every((part) => part.set !== undefined);
  }

  /** Asks every part of the whole set; a part RE2 refuses to compile is replaced by its halves. */
  #settleWhole(known: Uint8Array, buffer: Buffer): void {
    for (let i = 0; i < this.#whole.length; i++) {
      const part = this.#whole[i]!;
      // Not answered on this input (RE2 gave up): the small sets answer these slots.
      if (settle(known, part, buffer) || part.set !== null) continue;
      const half = part.slots.length >> 1;
      const halves = half === 0 ? [] : [slice(part, 0, half), slice(part, half)];
      this.#whole.splice(i--, 1, ...halves);
    }
  }

  #judge(ms: number, bytes: number): void {
    const slow = ms > SLOW_MIN_MS && (ms * 1e6) / Math.max(bytes, 1) > SLOW_NS_PER_BYTE;
    this.#rest = slow ? Math.min(Math.max(1, this.#rest * 2), MAX_REST) : this.#rest >> 1;
    this.#resting = this.#rest;
  }
}

/** Some slots' sources as one RE2 set, compiled on first use; null when RE2 refuses it (too large). */
type LazySet = { slots: number[]; sources: string[]; set?: RE2Set | null };

/**
 * Records, for every slot of a set, whether it matches `buffer`. False, recording nothing, when
 * RE2 cannot answer: it refused to compile the set (then `set` is null) or gave up on this input.
 */
function settle(known: Uint8Array, lazy: LazySet, buffer: Buffer): boolean {
  // Multiline so ^ and $ anchor at line starts/ends in the joined lines, as on a single line.
  if (lazy.set === undefined) lazy.set = compileSet(lazy.sources, "mu");
  let matched: number[] | undefined;
  try {
    matched = lazy.set?.match(buffer);
  } catch {
    // Out of memory on this input: the caller asks another way.
  }
  if (!matched) return false;
  for (const slot of lazy.slots) known[slot] = 2;
  for (const i of matched) known[lazy.slots[i]!] = 1;
  return true;
}

/** The slots `start` to `end` of a set, not compiled yet. */
function slice(lazy: LazySet, start: number, end?: number): LazySet {
  return { slots: lazy.slots.slice(start, end), sources: lazy.sources.slice(start, end) };
}

/** Whether a line pattern matches most typical code lines (then a set gains nothing from it). */
export function nearlyAlways(source: string): boolean {
  return nearlyAlwaysMemo(source);
}

/** `nearlyAlways` for a source the caller has already compiled with flags "mu". */
export function nearlyAlwaysCompiled(source: string, re: RE2): boolean {
  return nearlyAlwaysMemo(source, re);
}

const nearlyAlwaysMemo = memoize((source: string, re?: RE2): boolean => {
  try {
    const compiled = re ?? new RE2(source, "mu");
    return TYPICAL_LINES.filter((line) => compiled.test(line)).length * 2 >= TYPICAL_LINES.length;
  } catch {
    return false;
  }
});

/** Consecutive runs of `items` whose sizes add up to at most `budget` (an oversized item alone). */
function pack<T>(items: readonly T[], size: (item: T) => number, budget: number): T[][] {
  const runs: T[][] = [];
  let used = Infinity;
  for (const item of items) {
    if (used + size(item) > budget) {
      runs.push([]);
      used = 0;
    }
    runs.at(-1)!.push(item);
    used += size(item);
  }
  return runs;
}
