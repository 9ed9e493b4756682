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
 * - With `pure` (fleet definitions): definitions are data, so what they are made from must be
 *   what the bundler reads. Node's built-in modules (files, processes, network) cannot be
 *   imported, and `process` is a stand-in that answers only for the environment variables the
 *   fleet declares (`definitions.env` in slipway.config.ts), whose values are part of the
 *   definitions' cache key. Anything else throws, naming what was read and how to declare it.
 */
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const REQUIRE = "__slipwayRequire";
/**
 * Prepended to each output file: the `require` that CommonJS packages are loaded with. Definitions
 * get it under a name of Slipway's own, so their code has no `require` to reach Node's modules with.
 */
const requireBanner = (name) => `import { createRequire as __slipwayCreateRequire } from "node:module";\nconst ${name} = __slipwayCreateRequire(import.meta.url);${name === REQUIRE ? "" : `\nconst ${REQUIRE} = ${name};`}`;
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

/** Built-in modules a definition may import: pure functions of their arguments. */
const PURE_BUILTINS = new Set(["path", "url", "util"]);
const BUILTINS = new Set(builtinModules.map((name) => name.replace(/^node:/, "").split("/")[0]));
const PROCESS = "__slipwayProcess";

/** The stand-in for `process` in definitions: only declared environment variables, nothing else. */
function processStandIn(env) {
  return `const ${PROCESS} = new Proxy({ env: new Proxy(${JSON.stringify(env)}, {
  get(values, name) {
    if (typeof name === "string" && !Object.hasOwn(values, name)) throw new Error(\`process.env.\${name} is not declared: definitions read only the environment variables listed in slipway.config.ts (definitions: { env: ["\${name}"] })\`);
    return values[name] ?? undefined;
  },
}) }, {
  get(process, name) {
    if (name === "env") return process.env;
    throw new Error(\`definitions cannot use process.\${String(name)}: a definition is data, made only from its sources and declared environment variables\`);
  },
});`;
}

/**
 * @param {ReadonlySet<string>} bundled packages bundled like Slipway's own
 * @param {boolean} pure
 * @returns {import("esbuild").Plugin}
 */
const sourceBundlingPlugin = (bundled, pure) => ({
  name: "slipway-source-bundling",
  setup(build) {
    if (pure) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.replace(/^node:/, "").split("/")[0];
        if (!(args.path.startsWith("node:") || BUILTINS.has(name)) || PURE_BUILTINS.has(name)) return undefined;
        return { errors: [{ text: `definitions cannot import "${args.path}": a definition is data, made only from its sources and declared environment variables` }] };
      });
    }
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
    build.onLoad({ filter: /.*/, namespace: REQUIRED }, (args) => ({ contents: `module.exports = ${REQUIRE}(${JSON.stringify(args.path)});`, loader: "js" }));
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
 * `bundle`; spread into a build's options. `pure` holds the declared environment variables' values.
 * @param {{ bundle?: readonly string[], pure?: { env: Readonly<Record<string, string>> } }} [options]
 */
export function sourceBundling(options = {}) {
  const plugins = [sourceBundlingPlugin(new Set(options.bundle ?? []), Boolean(options.pure))];
  if (!options.pure) return { plugins, banner: { js: requireBanner("require") } };
  return {
    plugins,
    banner: { js: `${requireBanner(REQUIRE)}\n${processStandIn(options.pure.env)}` },
    define: { process: PROCESS, "globalThis.process": PROCESS },
  };
}
