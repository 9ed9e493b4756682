/**
 * The compiled CLI. `slipway` runs Slipway's packages as JavaScript bundled by esbuild, not
 * through a TypeScript loader: start-up is a fraction of the time (no loader thread, no
 * per-module transform round trips), which is most of a small or incremental render.
 *
 * The bundle is kept under `packages/cli/dist/<fingerprint>/`, where the fingerprint hashes every
 * source the bundle is made of. Whenever the sources change, the next run builds a new bundle
 * (a fraction of a second) before it starts; nothing has to remember to rebuild. Builds are
 * written to a temporary directory and renamed into place, so concurrent runs never see half a
 * bundle. `node packages/cli/build/compile.mjs` builds ahead of time.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PACKAGES = fileURLToPath(new URL("../../", import.meta.url));
const DIST = join(PACKAGES, "cli", "dist");
/** Bundles of other fingerprints older than this are removed after a build. */
const KEEP_OLD_BUNDLES_MS = 24 * 60 * 60 * 1000;
const SKIPPED = /(\.test\.ts|\.d\.m?ts)$/;
/**
 * Packages bundled with Slipway's own rather than imported from node_modules at run time: zod is
 * dozens of small ES modules, which Node resolves and links one by one in every thread, for a
 * tenth of a second each time; bundled, it is part of one chunk. (The fingerprint includes the
 * lock file, so a new version of it makes a new bundle.)
 */
const BUNDLED_PACKAGES = ["zod"];

/**
 * Hash of the bundle's inputs: each package's manifest and sources (tests aside), the lock file
 * (the versions of the bundled packages), this file, Node's major version, and where the packages
 * are (the bundle names its sources' locations, for `import.meta.url`, so a moved checkout builds
 * its own).
 */
export function fingerprint(packages = PACKAGES) {
  const hash = createHash("sha256").update(`node ${process.versions.node.split(".")[0]}\n${packages}\n`).update(readFileSync(fileURLToPath(import.meta.url)));
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith("__")) walk(path);
      } else if (!SKIPPED.test(entry.name)) {
        hash.update(`\n${relative(packages, path)}\n`).update(readFileSync(path));
      }
    }
  };
  const lock = join(packages, "..", "package-lock.json");
  if (existsSync(lock)) hash.update("\npackage-lock.json\n").update(readFileSync(lock));
  for (const pkg of readdirSync(packages).sort()) {
    const manifest = join(packages, pkg, "package.json");
    if (!existsSync(manifest)) continue;
    hash.update(`\n${pkg}/package.json\n`).update(readFileSync(manifest));
    if (existsSync(join(packages, pkg, "src"))) walk(join(packages, pkg, "src"));
  }
  return hash.digest("hex").slice(0, 16);
}

async function build(target) {
  const { build: esbuild } = await import("esbuild");
  const { sourceBundling } = await import("@slipway/render/source-bundling");
  const temporary = `${target}.${process.pid}.tmp`;
  rmSync(temporary, { recursive: true, force: true });
  await esbuild({
    entryPoints: { main: join(PACKAGES, "cli/src/main.ts"), worker: join(PACKAGES, "render/src/worker.ts") },
    outdir: temporary,
    bundle: true,
    // Shared code in chunks, and each command's packages (cdk8s, the schema models) loaded only
    // by the command that needs them, as the sources' dynamic imports intend.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "silent",
    ...sourceBundling({ bundle: BUNDLED_PACKAGES }),
    // Render's worker threads load the compiled worker beside this bundle (see render's parallel.ts).
    define: { SLIPWAY_COMPILED_WORKER: JSON.stringify(pathToFileURL(join(target, "worker.js")).href) },
  });
  try {
    renameSync(temporary, target);
  } catch (error) {
    // Another run built the same fingerprint first: its bundle is the same.
    rmSync(temporary, { recursive: true, force: true });
    if (!existsSync(join(target, "main.js"))) throw error;
  }
  for (const entry of readdirSync(DIST)) {
    const path = join(DIST, entry);
    if (path !== target && Date.now() - statSync(path).mtimeMs > KEEP_OLD_BUNDLES_MS) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * The URL of the compiled CLI's entry module, built first if the sources changed since the last
 * build. There is no other way to run the CLI: a bundle that cannot be built is an error that
 * says why (esbuild's first message, with the file and line), never a switch to another runtime.
 */
export async function compiledCli() {
  const target = join(DIST, fingerprint());
  if (!existsSync(join(target, "main.js"))) {
    try {
      mkdirSync(DIST, { recursive: true });
      await build(target);
    } catch (error) {
      throw new Error(`the CLI could not be built from packages/*/src: ${buildProblem(error)}`, { cause: error });
    }
  }
  return pathToFileURL(join(target, "main.js")).href;
}

/** esbuild's first message with where it points, or the error's own first line. */
function buildProblem(error) {
  const first = error?.errors?.[0];
  if (!first) return String(error?.message ?? error).split("\n")[0];
  const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : "";
  return `${where}${first.text}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(`compiled CLI: ${fileURLToPath(await compiledCli())}`);
  } catch (error) {
    console.error(`slipway: ${error.message}`);
    process.exitCode = 1;
  }
}
