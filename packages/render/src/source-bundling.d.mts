import type { Plugin } from "esbuild";

/** esbuild plugin: bundle `@slipway/*` sources, keep other packages as imports, keep `import.meta` per source file. */
export declare const sourceBundling: Plugin;
