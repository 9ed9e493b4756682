/**
 * How Slipway bundles TypeScript sources with esbuild, shared by the definition compiler
 * (definition-modules.ts) and the compiled CLI (packages/cli/build/compile.mjs). Plain
 * JavaScript, so the CLI can use it before anything TypeScript is loaded.
 *
 * - `@slipway/*` imports are bundled: their packages export TypeScript sources, which Node
 *   cannot import by itself.
 * - Every other package import stays an import, resolved at run time from `node_modules`.
 * - `import.meta.url`, `.filename` and `.dirname` keep naming the file they were written in, so
 *   code that finds files next to itself (schemas, workers) behaves as it does unbundled.
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";

const OWN_PACKAGES = /^@slipway\//;
const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;
const SOURCE = /\.[cm]?[jt]sx?$/;

function loaderFor(path) {
  if (/\.[cm]?tsx$/.test(path)) return "tsx";
  if (/\.[cm]?ts$/.test(path)) return "ts";
  return /x$/.test(path) ? "jsx" : "js";
}

/** @type {import("esbuild").Plugin} */
export const sourceBundling = {
  name: "slipway-source-bundling",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (OWN_PACKAGES.test(args.path) || WINDOWS_ABSOLUTE.test(args.path) ? undefined : { path: args.path, external: true }));
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
};
