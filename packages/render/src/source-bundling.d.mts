import type { BuildOptions } from "esbuild";

/** The esbuild options that bundle Slipway's sources: `@slipway/*` bundled, other packages imported or required, `import.meta` kept per source file. */
export declare const sourceBundling: Required<Pick<BuildOptions, "plugins" | "banner">>;
