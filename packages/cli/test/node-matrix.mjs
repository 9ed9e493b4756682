#!/usr/bin/env node
/**
 * Runs the acceptance journeys (journeys.test.ts) on each Node LTS line the project supports
 * besides the one running this script: the Node binaries come from the npm registry's
 * `node-<platform>-<arch>` packages, installed once into the git-ignored `.slipway/nodes/`.
 * `npm test` covers the running Node; pr.yml's matrix covers the rest on GitHub.
 *
 *   node packages/cli/test/node-matrix.mjs          # Node 22 and 24
 *   node packages/cli/test/node-matrix.mjs 22       # one of them
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = fileURLToPath(new URL("../", import.meta.url));
const NODES = join(REPO, ".slipway", "nodes");
const LINES = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["22", "24"];
const PACKAGE = `node-${process.platform}-${process.arch}`;

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function install(line) {
  const dir = join(NODES, line);
  const binary = join(dir, "node_modules", PACKAGE, "bin", "node");
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `{ "private": true, "description": "Node ${line} for the acceptance journeys" }\n`);
  const status = run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", `${PACKAGE}@${line}`], { cwd: dir });
  if (status !== 0 || !existsSync(binary)) throw new Error(`could not install ${PACKAGE}@${line} from the npm registry`);
  return binary;
}

let failed = 0;
for (const line of LINES) {
  const node = install(line);
  const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  console.log(`\n── acceptance journeys on Node ${version} ──`);
  const status = run("npx", ["vitest", "run", "test/journeys.test.ts"], { cwd: CLI, env: { ...process.env, SLIPWAY_TEST_NODE: node } });
  if (status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
