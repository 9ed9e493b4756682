/**
 * Definition modules (`apps/**\/app.ts`, `clusters/*\/cluster.ts`, …) are TypeScript. They are
 * compiled here, all of those a load needs in one esbuild run, into plain ES modules that Node
 * imports without a TypeScript loader: this is the only way Slipway loads a definition.
 *
 * What a definition imports is bundled in: its local helpers and the `@slipway/*` packages,
 * tree-shaken to the `define*` functions a definition uses (source-bundling.mjs). Other packages
 * stay imports, resolved from the fleet's `node_modules`. Definitions are pure (see `pure` in
 * source-bundling.mjs), so the files esbuild read are everything a definition is made from: they
 * are reported per definition, for the cache to key on.
 *
 * The compiled modules are written to the system's temporary directory, never into the
 * repository, so loading works in a read-only checkout.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
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

/** A hint that is true of the problem esbuild reported. */
function hintFor(problem: Problem): string {
  if (/^definitions cannot/.test(problem.text)) return "compute the value from other definitions instead (a helper module in the repository is fine), or declare an environment variable in slipway.config.ts (`definitions: { env: [...] }`)";
  if (/could not resolve/i.test(problem.text)) return "fix the import: a relative path must name an existing file, a package must be installed (`npm install`)";
  return "fix the syntax at the line shown";
}

/** The nearest `node_modules` at or above `root`: where the compiled modules resolve packages from. */
function nodeModulesOf(root: string): string | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules"))) return join(dir, "node_modules");
    if (dirname(dir) === dir) return undefined;
  }
}

export class DefinitionModules {
  /** Compiled module URL by repository-relative definition file. */
  private readonly compiled = new Map<string, string>();
  /** The repository files each definition was compiled from (itself and the local modules it imports). */
  private readonly sources = new Map<string, string[]>();
  /** Why a definition could not be compiled. */
  private readonly failed = new Map<string, DefinitionError>();
  private directory: string | undefined;

  /** `env`: the declared environment variables' values, the only ones definitions can read. */
  constructor(private readonly root: string, private readonly env: Readonly<Record<string, string | null>> = {}) {}

  /** Compiles `files` (repository-relative) in one run; problems surface when each is imported. */
  async compile(files: readonly string[]): Promise<void> {
    const pending = files.filter((file) => !this.compiled.has(file) && !this.failed.has(file));
    if (pending.length === 0) return;
    // Required, not imported: importing a CommonJS package makes Node scan it for export names first.
    const { build } = createRequire(import.meta.url)("esbuild") as typeof esbuild;
    const outdir = this.outputDirectory();
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
        ...sourceBundling({ pure: { env: this.env } }),
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
      this.failed.set(file, new DefinitionError(`could not be loaded: ${describe(problem)}${culprit !== file ? ` in ${culprit}` : ""}`, { file, hint: hintFor(problem) }));
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

  /** The repository files `file` was compiled from, repository-relative and sorted (after `compile`). */
  inputs(file: string): readonly string[] | undefined {
    return this.sources.get(file);
  }

  /** Removes the compiled files (modules already imported stay loaded). */
  dispose(): void {
    if (this.directory) rmSync(this.directory, { recursive: true, force: true, maxRetries: 3 });
    this.directory = undefined;
  }

  private outputDirectory(): string {
    if (this.directory) return this.directory;
    this.directory = mkdtempSync(join(tmpdir(), "slipway-definitions-"));
    const modules = nodeModulesOf(this.root);
    if (modules) symlinkSync(modules, join(this.directory, "node_modules"), "dir");
    return this.directory;
  }

  private record(result: { metafile?: esbuild.Metafile }): void {
    const metafile = result.metafile;
    if (!metafile) return;
    for (const [output, { entryPoint }] of Object.entries(metafile.outputs)) {
      if (!entryPoint) continue;
      const file = this.relative(resolve(this.root, entryPoint));
      this.compiled.set(file, pathToFileURL(resolve(this.root, output)).href);
      this.sources.set(file, this.closure(metafile, entryPoint));
    }
  }

  /** The repository files an entry point's module graph reads (packages aside: the toolchain key covers them). */
  private closure(metafile: esbuild.Metafile, entryPoint: string): string[] {
    const seen = new Set<string>();
    const visit = (input: string) => {
      if (seen.has(input) || !metafile.inputs[input]) return;
      seen.add(input);
      for (const imported of metafile.inputs[input].imports) visit(imported.path);
    };
    visit(entryPoint);
    return [...seen]
      // Inputs of a plugin's namespace (`slipway-require:cdk8s`) are packages, not files.
      .filter((input) => !/^[\w-]{2,}:/.test(input))
      .map((input) => this.relative(resolve(this.root, input)))
      .filter((path) => !path.startsWith("..") && !path.split("/").includes("node_modules"))
      .sort();
  }

  private relative(path: string): string {
    const rel = relative(this.root, path);
    return sep === "/" ? rel : rel.split(sep).join("/");
  }
}
