import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { Problem } from "../types.js";
import type { Locate } from "./yaml.js";

/** The JSON Schemas ship in the package's `schemas/` directory (also used by editors). */
const schemaDir = new URL("../../schemas/", import.meta.url);

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
const validators = new Map<string, ValidateFunction>();

function validator(name: "checklist" | "compliance"): ValidateFunction {
  if (validators.size === 0) {
    // compliance.schema.json refers to checklist.schema.json for inline checklists: add both first.
    for (const n of ["checklist", "compliance"] as const) {
      const schema = JSON.parse(readFileSync(new URL(`${n}.schema.json`, schemaDir), "utf8")) as { $id: string };
      ajv.addSchema(schema);
      validators.set(n, ajv.getSchema(schema.$id)!);
    }
  }
  return validators.get(name)!;
}

/**
 * Validates a parsed YAML value against one of the schemas and turns ajv's errors into
 * sentences a person can act on, located at the offending key.
 * @param prefix key path of `value` inside the file (for checklists written inline in a config)
 */
export function validateSchema(
  name: "checklist" | "compliance",
  value: unknown,
  file: string,
  locate: Locate,
  prefix: readonly (string | number)[] = [],
): Problem[] {
  const validate = validator(name);
  if (validate(value)) return [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of simplify(validate.errors ?? [])) {
    const path = [...prefix, ...pointerToPath(error.instancePath)];
    const { message, at } = describe(error);
    const where = at ? [...path, at] : path;
    const pos = locate(where, at ? "key" : "value");
    const key = `${where.join(".")}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ file, ...pos, path: formatPath(where), message });
  }
  return problems;
}

/** `["triggers", 0, "paths"]` → `triggers[0].paths`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** A `oneOf` failure drags in one error per branch; keep the branch errors only when nothing else explains it. */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf");
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of specific) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  const out: ErrorObject[] = [];
  for (const group of byPath.values()) {
    // For oneOf(string | array) a type error per branch is noise: merge into one.
    const types = group.filter((e) => e.keyword === "type");
    if (types.length > 1) {
      const allowed = [...new Set(types.map((e) => String((e.params as { type: string }).type)))];
      out.push({ ...types[0]!, params: { type: allowed.join(" or ") } });
      out.push(...group.filter((e) => e.keyword !== "type"));
    } else out.push(...group);
  }
  return out.length > 0 ? out : errors;
}

function describe(error: ErrorObject): { message: string; at?: string } {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const allowed = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {}).filter((k) => k !== "$schema");
      return {
        message: `unknown key "${String(p.additionalProperty)}"; allowed keys: ${allowed.join(", ")}`,
        at: String(p.additionalProperty),
      };
    }
    case "required":
      return { message: `missing required key "${String(p.missingProperty)}"` };
    case "type":
      return { message: `must be ${article(String(p.type))}` };
    case "enum":
      return { message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "pattern": {
      const hint = error.parentSchema && (error.parentSchema as { description?: string }).description;
      return { message: `does not have the expected form (${String(p.pattern)})${hint ? `: ${hint}` : ""}` };
    }
    case "minItems":
      return { message: `must list at least ${String(p.limit)} entr${p.limit === 1 ? "y" : "ies"}` };
    case "minLength":
      return { message: "must not be empty" };
    case "maxLength":
      return { message: `must be at most ${String(p.limit)} characters` };
    case "propertyNames":
      return { message: `key "${String(p.propertyName)}" is not allowed` };
    default:
      return { message: error.message ?? "is invalid" };
  }
}

function article(type: string): string {
  return type
    .split(" or ")
    .map((t) => (t === "array" || t === "object" || t === "integer" ? `an ${t}` : t === "null" ? "null" : `a ${t}`))
    .join(" or ");
}
