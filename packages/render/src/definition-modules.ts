/**
 * Definition modules (`apps/**\/app.ts`, `clusters/*\/cluster.ts`, …) are TypeScript. They are
 * compiled here, all of those a load needs in one esbuild run, into plain ES modules that Node
 * imports without a TypeScript loader: no loader thread, no per-module round trips, and a
 * module the cache answers for is not compiled at all.
 *
 * What a definition imports is bundled in: its local helpers and the `@slipway/*` packages,
 * tree-shaken to the `define*` functions a definition uses (source-bundling.mjs). Other packages
 * stay imports, resolved from the fleet's `node_modules` as they would be from the definition.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { DefinitionError } from "@slipway/core";
import type * as esbuild from "esbuild";
import { sourceBundling } from "./source-bundling.mjs";

/** The first line of an esbuild message, with where it points. */
type Problem = Pick<esbuild.Message, "text" | "location">;

function describe(message: Problem): string {
  const where = message.location ? ` (line ${message.location.line}, column ${message.location.column + 1})` : "";
  return `${message.text.split("\n")[0]}${where}`;
}

export class DefinitionModules {
  /** Compiled module URL by repository-relative definition file. */
  private readonly compiled = new Map<string, string>();
  /** Why a definition could not be compiled. */
  private readonly failed = new Map<string, DefinitionError>();
  private directory: string | undefined;

  constructor(private readonly root: string) {}

  /** Compiles `files` (repository-relative) in one run; problems surface when each is imported. */
  async compile(files: readonly string[]): Promise<void> {
    const pending = files.filter((file) => !this.compiled.has(file) && !this.failed.has(file));
    if (pending.length === 0) return;
    // Required, not imported: importing a CommonJS package makes Node scan it for export names first.
    const { build } = createRequire(import.meta.url)("esbuild") as typeof esbuild;
    // Inside the fleet, so the compiled modules resolve packages from the fleet's node_modules.
    if (!this.directory) {
      mkdirSync(join(this.root, ".slipway"), { recursive: true });
      this.directory = mkdtempSync(join(this.root, ".slipway", "definitions-"));
    }
    const outdir = this.directory;
    const run = (entries: readonly string[], splitting: boolean) =>
      build({
        absWorkingDir: this.root,
        entryPoints: entries.map((file) => join(this.root, file)),
        outdir,
        outbase: this.root,
        bundle: true,
        splitting,
        format: "esm",
        platform: "node",
        target: "node20",
        metafile: true,
        logLevel: "silent",
        ...sourceBundling(),
        entryNames: "[dir]/[name]",
        chunkNames: "shared/[name]-[hash]",
      });
    try {
      this.record(await run(pending, true));
      return;
    } catch {
      // One broken module fails the whole run: compile each alone to find which.
    }
    const alone = await Promise.all(
      pending.map(async (file) => {
        try {
          await run([file], false);
          return { file };
        } catch (error) {
          const errors = (error as { errors?: esbuild.Message[] }).errors;
          const problem: Problem = errors?.[0] ?? { text: (error as Error).message, location: null };
          return { file, problem };
        }
      }),
    );
    for (const { file, problem } of alone) {
      if (!problem) continue;
      const culprit = problem.location?.file ? this.relative(resolve(this.root, problem.location.file)) : file;
      this.failed.set(file, new DefinitionError(`could not be loaded: ${describe(problem)}${culprit !== file ? ` in ${culprit}` : ""}`, {
        file,
        hint: /could not resolve/i.test(problem.text)
          ? "fix the import: a relative path must name an existing file, a package must be installed (`npm install`)"
          : "fix the syntax at the line shown",
      }));
    }
    const good = alone.filter((a) => !a.problem).map((a) => a.file);
    if (good.length > 0) this.record(await run(good, true));
  }

  /** Imports the compiled module of `file`, compiling it first if `compile` was not given it. */
  async import(file: string): Promise<{ default?: unknown }> {
    if (!this.compiled.has(file) && !this.failed.has(file)) await this.compile([file]);
    const failure = this.failed.get(file);
    if (failure) throw failure;
    try {
      return (await import(this.compiled.get(file)!)) as { default?: unknown };
    } catch (error) {
      // Compiled fine, so the module's own code threw while it ran (definitions run when loaded).
      throw new DefinitionError(`threw while it was loaded: ${String((error as Error)?.message ?? error).split("\n")[0]}`, {
        file,
        hint: "a definition's top-level code runs when it is loaded: fix the code that throws (SLIPWAY_DEBUG=1 prints its stack)",
      });
    }
  }

  /** Removes the compiled files (modules already imported stay loaded). */
  dispose(): void {
    if (this.directory) rmSync(this.directory, { recursive: true, force: true, maxRetries: 3 });
    this.directory = undefined;
  }

  private record(result: { metafile?: { outputs: Record<string, { entryPoint?: string }> } }): void {
    for (const [output, { entryPoint }] of Object.entries(result.metafile?.outputs ?? {})) {
      if (!entryPoint) continue;
      this.compiled.set(this.relative(resolve(this.root, entryPoint)), pathToFileURL(resolve(this.root, output)).href);
    }
  }

  private relative(path: string): string {
    const rel = relative(this.root, path);
    return sep === "/" ? rel : rel.split(sep).join("/");
  }
}
