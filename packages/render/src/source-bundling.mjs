/**
 * How Slipway bundles TypeScript sources with esbuild, shared by the definition compiler
 * (definition-modules.ts) and the compiled CLI (packages/cli/build/compile.mjs). Plain
 * JavaScript, so the CLI can use it before anything TypeScript is loaded.
 *
 * - `@slipway/*` imports are bundled: their packages export TypeScript sources, which Node
 *   cannot import by itself.
 * - Every other package import stays an import, resolved at run time from `node_modules`, except
 *   the packages a caller asks to bundle too (the CLI bundles zod: Node loads its many small ES
 *   modules one by one, in every thread, where one bundled chunk compiles at once).
 *   A CommonJS package (cdk8s, cdk8s-plus, yaml) imported statically is loaded with `require`: Node
 *   imports CommonJS into an ES module by first scanning the source of every file the package
 *   is made of for its export names, which doubled the time to load cdk8s. Each output file
 *   starts with a banner that gives it that `require`.
 * - `import.meta.url`, `.filename` and `.dirname` keep naming the file they were written in, so
 *   code that finds files next to itself (schemas, workers) behaves as it does unbundled.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** Prepended to each output file: the `require` that CommonJS packages are loaded with. */
const REQUIRE_BANNER = 'import { createRequire as __slipwayCreateRequire } from "node:module";\nconst require = __slipwayCreateRequire(import.meta.url);';
const REQUIRED = "slipway-require";

/** Whether Node runs `file` as CommonJS (by extension, else the nearest package.json's `type`). */
function isCommonJs(file) {
  if (file.endsWith(".cjs")) return true;
  if (!file.endsWith(".js")) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, "utf8")).type !== "module";
  }
  return true;
}

const OWN_PACKAGES = /^@slipway\//;
const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;
const SOURCE = /\.[cm]?[jt]sx?$/;

function loaderFor(path) {
  if (/\.[cm]?tsx$/.test(path)) return "tsx";
  if (/\.[cm]?ts$/.test(path)) return "ts";
  return /x$/.test(path) ? "jsx" : "js";
}

/** The package a bare import specifier names (`zod/v4` → `zod`, `@scope/pkg/x` → `@scope/pkg`). */
function packageName(specifier) {
  return specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
}

/**
 * @param {ReadonlySet<string>} bundled packages bundled like Slipway's own
 * @returns {import("esbuild").Plugin}
 */
const sourceBundlingPlugin = (bundled) => ({
  name: "slipway-source-bundling",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (OWN_PACKAGES.test(args.path) || WINDOWS_ABSOLUTE.test(args.path) || args.pluginData?.probing || bundled.has(packageName(args.path))) return undefined;
      // Static imports only: a dynamic import() keeps Node's own interop, whose named exports a
      // bundle cannot reproduce for a package it does not bundle.
      if (args.namespace === REQUIRED || args.kind !== "import-statement" || args.path.startsWith("node:")) return { path: args.path, external: true };
      // Where `import` would take this package from: CommonJS there means it is to be required.
      const target = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { probing: true } });
      const required = target.errors.length === 0 && !target.external && isCommonJs(target.path);
      return required ? { path: args.path, namespace: REQUIRED } : { path: args.path, external: true };
    });
    build.onLoad({ filter: /.*/, namespace: REQUIRED }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: "js" }));
    build.onLoad({ filter: SOURCE }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta")) return undefined;
      const contents = text
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
        .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path))
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)));
      return { contents, loader: loaderFor(args.path) };
    });
  },
});

/**
 * The esbuild options that bundle Slipway's sources as described above, and the packages named in
 * `bundle`; spread into a build's options.
 * @param {{ bundle?: readonly string[] }} [options]
 */
export function sourceBundling(options = {}) {
  return { plugins: [sourceBundlingPlugin(new Set(options.bundle ?? []))], banner: { js: REQUIRE_BANNER } };
}
