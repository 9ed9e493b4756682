import type { BuildOptions } from "esbuild";

/**
 * The esbuild options that bundle Slipway's sources: `@slipway/*` and the packages named in
 * `bundle` bundled, other packages imported or required, `import.meta` kept per source file;
 * with `pure`, definitions that can read only their sources and the declared environment variables.
 */
export declare function sourceBundling(options?: {
  readonly bundle?: readonly string[];
  readonly pure?: { readonly env: Readonly<Record<string, string | null>> };
}): Required<Pick<BuildOptions, "plugins" | "banner">> & Pick<BuildOptions, "define">;
