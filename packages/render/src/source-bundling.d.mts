import type { Plugin } from "esbuild";

/** esbuild plugin: bundle `@slipway/*` sources, keep other packages as imports, keep `import.meta` per source file. */
export declare const sourceBundling: Plugin;

/** The start of every output file of a build with `sourceBundling`: defines the `require` it loads CommonJS packages with. */
export declare const SOURCE_BUNDLE_BANNER: string;
