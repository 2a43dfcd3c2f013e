import type { FakeRequest } from "../test/helpers/fake-github.js";

/** `GET pulls/files`, `POST check-runs`…: the route without repo, numbers, shas or query. */
export function routeName(r: Pick<FakeRequest, "method" | "path">): string {
  const path = r.path.split("?")[0]!.replace(/^\/api\/v3/, "").replace(/^\/repos\/[^/]+\/[^/]+\//, "");
  const named = path
    .split("/")
    .filter((s) => !/^\d+$/.test(s) && !/^[0-9a-f]{40}$/.test(s))
    .join("/")
    .replace(/\/labels\/.+$/, "/labels/{name}");
  return `${r.method} ${/^pulls\/\d+$/.test(path) ? "pulls/{n}" : named}`;
}

/** Collapses runs of the same call: `GET pulls/files ×10`. */
export function collapse(names: string[]): string[] {
  const out: { name: string; n: number }[] = [];
  for (const name of names) {
    const last = out.at(-1);
    if (last?.name === name) last.n++;
    else out.push({ name, n: 1 });
  }
  return out.map(({ name, n }) => (n > 1 ? `${name} ×${n}` : name));
}

