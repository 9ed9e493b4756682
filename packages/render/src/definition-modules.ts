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
 * repository, so loading works in a read-only checkout. They are imported on a worker thread, one
 * at a time and each within a time limit: a definition whose top-level code never ends is stopped
 * and named, and what a definition exports reaches render only as data (structured clone).
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
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

/** The worker that imports compiled definitions: one request at a time, each answered with the module's default export or why not. */
const LOADER = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", async ({ file, url }) => {
  let value;
  try {
    value = (await import(url)).default;
  } catch (error) {
    return parentPort.postMessage({ file, error: String(error && error.message !== undefined ? error.message : error).split("\\n")[0] });
  }
  try {
    parentPort.postMessage({ file, value });
  } catch (error) {
    parentPort.postMessage({ file, error: "its default export is not data (" + String(error.message).split("\\n")[0] + ")" });
  }
});
`;

/** How long one definition may take to load. */
export const DEFINITION_TIME_LIMIT_MS = 10_000;

/** The nearest `node_modules` at or above `root`: where the compiled modules resolve packages from. */
export function nodeModulesOf(root: string): string | undefined {
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
  private loader: Worker | undefined;

  /** `env`: the declared environment variables' values, the only ones definitions can read. */
  constructor(
    private readonly root: string,
    private readonly env: Readonly<Record<string, string | null>> = {},
    private readonly timeLimitMs = DEFINITION_TIME_LIMIT_MS,
  ) {}

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

  /** Imports the compiled module of `file` (compiling it first if `compile` was not given it) and returns its default export. */
  async import(file: string): Promise<{ default?: unknown }> {
    if (!this.compiled.has(file) && !this.failed.has(file)) await this.compile([file]);
    const failure = this.failed.get(file);
    if (failure) throw failure;
    const worker = (this.loader ??= new Worker(LOADER, { eval: true }));
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
      };
      const stop = (error: DefinitionError) => {
        done();
        void worker.terminate();
        this.loader = undefined;
        reject(error);
      };
      const timer = setTimeout(() => stop(new DefinitionError(`did not finish loading within ${this.timeLimitMs / 1000} s`, {
        file, hint: "a definition's top-level code runs when it is loaded: look for a loop that never ends, or work that belongs in a build step",
      })), this.timeLimitMs);
      const onError = (error: Error) => stop(new DefinitionError(`stopped the loader: ${error.message.split("\n")[0]}`, { file }));
      const onMessage = (message: { file: string; value?: unknown; error?: string }) => {
        if (message.file !== file) return;
        done();
        if (message.error === undefined) resolve({ default: message.value });
        else {
          // Compiled fine, so the module's own code threw while it ran (definitions run when loaded).
          reject(new DefinitionError(`threw while it was loaded: ${message.error}`, {
            file, hint: "a definition's top-level code runs when it is loaded: fix the code that throws",
          }));
        }
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.postMessage({ file, url: this.compiled.get(file)! });
    });
  }

  /** The repository files `file` was compiled from, repository-relative and sorted (after `compile`). */
  inputs(file: string): readonly string[] | undefined {
    return this.sources.get(file);
  }

  /** Stops the loader and removes the compiled files. */
  dispose(): void {
    void this.loader?.terminate();
    this.loader = undefined;
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
