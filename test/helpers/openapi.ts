import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import AjvModule from "ajv";

/**
 * Checks requests against GitHub's OpenAPI description (`@octokit/openapi`, api.github.com):
 * the method and path must match an operation, its path parameters must be present, query
 * parameters must be ones the operation declares, and a JSON body must satisfy the
 * operation's request-body schema (validated with ajv).
 */
type Parameter = { name: string; in: string; required?: boolean };
type Operation = {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
};
type Spec = { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> & { parameters: Record<string, Parameter> } };
type Route = { template: string; method: string; re: RegExp; literalSegments: number; op: Operation; params: Parameter[] };

const Ajv = AjvModule.default;
let state: { routes: Route[]; ajv: InstanceType<typeof Ajv>; validators: Map<string, ReturnType<InstanceType<typeof Ajv>["compile"]>> } | undefined;

function load() {
  if (state) return state;
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(readFileSync(file, "utf8")) as Spec;
  const routes: Route[] = [];
  for (const [template, methods] of Object.entries(spec.paths))
    for (const [method, op] of Object.entries(methods)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "([^/]+)");
      const params = (op.parameters ?? []).map((p) => ("$ref" in p ? spec.components.parameters[p.$ref.split("/").pop()!]! : p));
      routes.push({ template, method: method.toUpperCase(), re: new RegExp(`^${source}$`), literalSegments: template.split("/").filter((s) => s && !s.startsWith("{")).length, op, params });
    }
  routes.sort((a, b) => b.literalSegments - a.literalSegments);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ components: spec.components }, "github", undefined, false);
  state = { routes, ajv, validators: new Map() };
  return state;
}

/** Returns every way the request deviates from GitHub's description; [] when it is valid. */
export function validateRequest(method: string, url: string, body: unknown): string[] {
  const { routes, ajv, validators } = load();
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/^\/api\/v3(?=\/)/, "");
  const route = routes.find((r) => r.method === method.toUpperCase() && r.re.test(path));
  if (!route) return [`${method} ${path}: no such operation in GitHub's OpenAPI description`];
  const errors: string[] = [];
  const where = `${method} ${route.template} (${route.op.operationId})`;
  const values = route.re.exec(path)!.slice(1);
  if (values.some((v) => decodeURIComponent(v).length === 0)) errors.push(`${where}: empty path parameter`);

  const declared = new Set(route.params.filter((p) => p.in === "query").map((p) => p.name));
  for (const name of parsed.searchParams.keys()) if (!declared.has(name)) errors.push(`${where}: undeclared query parameter "${name}"`);
  for (const p of route.params) if (p.in === "query" && p.required && !parsed.searchParams.has(p.name)) errors.push(`${where}: missing query parameter "${p.name}"`);

  const schema = route.op.requestBody?.content?.["application/json"]?.schema;
  if (body === undefined) {
    if (route.op.requestBody?.required) errors.push(`${where}: request body required`);
  } else if (schema === undefined) {
    errors.push(`${where}: the operation takes no JSON body`);
  } else {
    const key = `${route.method} ${route.template}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(rebase(schema) as object);
      validators.set(key, validate);
    }
    if (!validate(body)) for (const e of validate.errors ?? []) errors.push(`${where}: body${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
  }
  return errors;
}

/** Points local `#/components/...` references at the registered spec document. */
function rebase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebase);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `github${v}` : rebase(v)]));
  return value;
}
