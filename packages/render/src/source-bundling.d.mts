import type { BuildOptions } from "esbuild";

/**
 * The esbuild options that bundle Slipway's sources: `@slipway/*` and the packages named in
 * `bundle` bundled, other packages imported or required, `import.meta` kept per source file.
 */
export declare function sourceBundling(options?: { readonly bundle?: readonly string[] }): Required<Pick<BuildOptions, "plugins" | "banner">>;
