import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Docker cannot run here, so these tests read the Dockerfile as text and pin what matters:
// that the image carries everything the package ships, and stays small and non-root.
const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const pkg = JSON.parse(read("package.json")) as { files: string[] };

type Instruction = { op: string; args: string };
type Stage = { from: string; instructions: Instruction[] };

/** Instructions by stage; continuation lines joined, comments dropped. */
function stages(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, " ").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const result: Stage[] = [];
  for (const line of lines) {
    const [, op = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === "FROM") result.push({ from: args, instructions: [] });
    else result.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
  }
  return result;
}

/** Destination-relative paths a stage copies: `COPY [--from=x] SRC... DEST` → the SRC names as they land in /app. */
function copied(stage: Stage): { path: string; from?: string }[] {
  return stage.instructions
    .filter((i) => i.op === "COPY")
    .flatMap((i) => {
      const words = i.args.split(/\s+/);
      const from = /^--from=(\S+)$/.exec(words[0] ?? "")?.[1];
      const sources = words.filter((w) => !w.startsWith("--")).slice(0, -1);
      return sources.map((s) => ({ path: s.replace(/^\/app\//, "").replace(/^\.\//, ""), ...(from ? { from } : {}) }));
    });
}

const [build, runtime] = stages(read("Dockerfile"));
const ignored = read(".dockerignore").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));

describe("Dockerfile", () => {
  it("has a build stage and a runtime stage, both node:20-slim", () => {
    expect(build?.from).toBe("node:20-slim AS build");
    expect(runtime?.from).toBe("node:20-slim");
  });

  it("copies every path of package.json \"files\" into the image, plus package.json and node_modules", () => {
    const paths = copied(runtime!).map((c) => c.path);
    for (const path of [...pkg.files, "package.json", "node_modules"]) expect(paths, path).toContain(path.replace(/\/$/, ""));
  });

  it("builds what it copies from the build stage, and copies nothing .dockerignore leaves out", () => {
    const fromBuild = copied(runtime!).filter((c) => c.from === "build").map((c) => c.path);
    expect(fromBuild.sort()).toEqual(["lib", "node_modules"]);
    const fromContext = [...copied(build!), ...copied(runtime!).filter((c) => c.from === undefined)].map((c) => c.path);
    for (const path of fromContext) expect(ignored, path).not.toContain(path);
  });

  it("compiles re2 and drops dev dependencies in the build stage", () => {
    const runs = build!.instructions.filter((i) => i.op === "RUN").map((i) => i.args).join("\n");
    expect(runs).toMatch(/apt-get install -y --no-install-recommends python3 make g\+\+/);
    expect(runs).toContain("npm ci");
    expect(runs).toContain("npm run build");
    expect(runs).toContain("npm prune --omit=dev");
  });

  it("runs Probot as the non-root node user, on 0.0.0.0:3000, with a health check", () => {
    const ops = runtime!.instructions;
    const index = (op: string) => ops.findIndex((i) => i.op === op);
    expect(ops.find((i) => i.op === "USER")?.args).toBe("node");
    expect(index("USER")).toBeLessThan(index("CMD"));
    expect(ops.find((i) => i.op === "ENV")?.args).toBe("NODE_ENV=production HOST=0.0.0.0 PORT=3000");
    expect(ops.find((i) => i.op === "EXPOSE")?.args).toBe("3000");
    expect(ops.find((i) => i.op === "HEALTHCHECK")?.args).toContain("/healthz");
    expect(JSON.parse(ops.find((i) => i.op === "CMD")!.args)).toEqual(["node", "lib/server.js"]);
    expect(ops.some((i) => i.op === "RUN" && /apt-get|npm/.test(i.args))).toBe(false);
  });
});

describe(".dockerignore", () => {
  it("keeps secrets, local installs and builds out of the build context", () => {
    for (const entry of [".env", ".env.*", "*.pem", "node_modules", "lib", ".git"]) expect(ignored).toContain(entry);
  });
});
