/**
 * The `yaml` package, loaded when first needed. Loading it (some sixty CommonJS modules) is a
 * noticeable part of a small render's start, and a render after an app edit usually needs none
 * of it: release lock files come parsed from the cache, and most scalars are written without
 * asking it (yaml-emit.ts).
 */
import { createRequire } from "node:module";
import type * as Yaml from "yaml";

let library: typeof Yaml | undefined;

export function yamlLibrary(): typeof Yaml {
  return (library ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
}
