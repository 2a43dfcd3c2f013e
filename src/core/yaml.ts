import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { Position, Problem } from "../types.js";

/** Config and checklist files larger than this are refused: they are hand-written YAML. */
export const MAX_YAML_BYTES = 1024 * 1024;

export type Locate = (path: readonly (string | number)[], at?: "key" | "value") => Position | undefined;

export type ParsedYaml = {
  /** The plain JS value; undefined when the document could not be parsed. */
  value?: unknown;
  /**
   * Position of the node at a key path such as ["triggers", 0, "paths", 1]: its value, or its key
   * when `at` is "key" (for unknown keys). The nearest existing ancestor when the path is missing.
   */
  locate: Locate;
  problems: Problem[];
};

/**
 * Parses YAML keeping positions. Never throws: syntax errors, duplicate keys, alias bombs
 * (more than 100 alias expansions) and oversized input come back as located problems.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const noLocate = () => undefined;
  if (Buffer.byteLength(text, "utf8") > MAX_YAML_BYTES) {
    return {
      locate: noLocate,
      problems: [{ file, line: 1, column: 1, message: `file is larger than ${MAX_YAML_BYTES / 1024} KiB; split it up` }],
    };
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (error) {
    return { locate: noLocate, problems: [{ file, line: 1, column: 1, message: `cannot parse YAML: ${String(error)}` }] };
  }
  const problems: Problem[] = [];
  for (const error of [...doc.errors, ...doc.warnings]) {
    const pos = at(error.pos[0]);
    const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    problems.push({ file, ...pos, message: describeYamlError(error.code, message), severity: doc.errors.includes(error) ? "error" : "warning" });
  }
  const locate: Locate = (path, want = "value") => {
    let node: unknown = doc.contents;
    let best: Node | undefined = node as Node | undefined;
    for (const [i, key] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        const last = i === path.length - 1;
        best = (last && want === "key") || !pair.value ? (pair.key as Node) : (pair.value as Node);
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number") {
        const item = node.items[key] as Node | undefined;
        if (!item) break;
        best = item;
        node = item;
      } else break;
    }
    return best?.range ? at(best.range[0]) : undefined;
  };
  if (doc.errors.length > 0) return { locate, problems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    problems.push({ file, line: 1, column: 1, message: `cannot expand YAML: ${error instanceof Error ? error.message : String(error)}` });
    return { locate, problems };
  }
  return { value, locate, problems };
}

function describeYamlError(code: string, message: string): string {
  if (code === "DUPLICATE_KEY") return "duplicate key: each key may appear once in a mapping";
  if (code === "TAB_AS_INDENT") return "tab used for indentation: YAML indents with spaces";
  return message;
}
