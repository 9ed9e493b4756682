/**
 * Runs the shipped `slipway` as users and the workflows do: `npx slipway …` in a fleet
 * repository, a child process with its own environment. Every run is recorded, so a test can
 * prove that each command the README and the workflows document was really run.
 *
 * `SLIPWAY_TEST_NODE` names another Node binary to run it with (the Node matrix: test/node-matrix.mjs).
 */
import { spawn, spawnSync } from "node:child_process";
import { dirname, delimiter } from "node:path";

export interface Run {
  readonly argv: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
}

/** Every run of this test process, in order. */
export const runs: Run[] = [];

/** The Node binary the CLI runs on: the test's own, unless the matrix names another. */
export const NODE = process.env.SLIPWAY_TEST_NODE ?? process.execPath;
export const NODE_VERSION = NODE === process.execPath ? process.version : spawnSync(NODE, ["--version"], { encoding: "utf8" }).stdout.trim();

/** What a user's shell would have: no CI variables or tokens leaking in from the test runner. */
function userEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(GITHUB_|RUNNER_|VITEST|TURBO_|npm_|NODE_OPTIONS$|SLIPWAY_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, PATH: `${dirname(NODE)}${delimiter}${process.env.PATH ?? ""}`, NO_COLOR: "1", LC_ALL: "C", ...extra };
}

export function slipway(cwd: string, argv: readonly string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["--no-install", "slipway", ...argv], { cwd, env: userEnvironment(options.env ?? {}), stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const run: Run = { argv, code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
      runs.push(run);
      resolve(run);
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A run's output for an assertion message: what the command said when it did not do as expected. */
export function said(run: Run): string {
  return `slipway ${run.argv.join(" ")} → exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}
