// Builds the GitHub Action: `dist/action.js` (+ its lazily loaded chunks), one self-contained ESM bundle
// of src/action-main.ts and its dependencies, and `dist/node_modules/re2`, the native RE2
// module it needs at run time (a `.node` addon cannot be bundled).
// Usage: npm run build:action  (or: node scripts/build-action.mjs OUTDIR, used by the tests)
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const outdir = resolve(process.argv[2] ?? join(root, "dist"));

rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: { action: join(root, "src/action-main.ts") },
  outdir,
  // Chunks sit next to action.js: source-relative URLs (below) are computed from that directory.
  chunkNames: "[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["re2"],
  legalComments: "none",
  logLevel: "warning",
  // CommonJS dependencies call require(); an ESM bundle has none unless it makes one.
  banner: { js: 'import { createRequire as __lockstepRequire } from "node:module"; const require = __lockstepRequire(import.meta.url);' },
  plugins: [sourceUrls()],
});

copyRe2();
console.log(`built ${relative(root, outdir)}/action.js`);

/**
 * Our sources find `checklists/` and `schemas/` relative to their own file
 * (`new URL("../../checklists/", import.meta.url)`). In the bundle `import.meta.url` is the
 * bundle's, so each source file gets its original location back, expressed relative to the
 * bundle: the data is read from the action's checkout, exactly where it is in the repo.
 */
function sourceUrls() {
  return {
    name: "source-urls",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        // Relative to <root>/dist, where the bundle lives in the action's checkout, whatever OUTDIR is.
        const fromBundle = relative(join(root, "dist"), args.path).split("\\").join("/");
        return { contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`), loader: "ts" };
      });
    },
  };
}

/**
 * Copies the runtime files of the installed `re2` (its loader and the compiled addon) to
 * `dist/node_modules/re2`, where Node finds the bundle's `import "re2"`. The addon is the one
 * `npm install` built or downloaded for this machine: build on Linux x64 with Node 20 for the
 * Actions runners (ubuntu, `node20`). Debug symbols are stripped (20 MB → about 1.3 MB).
 */
function copyRe2() {
  const require = createRequire(join(root, "package.json"));
  const pkgDir = dirname(require.resolve("re2/package.json"));
  const target = join(outdir, "node_modules/re2");
  mkdirSync(join(target, "build/Release"), { recursive: true });
  for (const file of ["re2.js", "LICENSE", "build/Release/re2.node"]) cpSync(join(pkgDir, file), join(target, file));
  try {
    execFileSync("strip", ["--strip-unneeded", join(target, "build/Release/re2.node")]);
  } catch {
    console.warn("warning: `strip` failed or is missing; dist/node_modules/re2 keeps its debug symbols");
  }
  const { name, version, license, main } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  writeFileSync(join(target, "package.json"), JSON.stringify({ name, version, license, main, type: "commonjs" }, null, 2) + "\n");
}
