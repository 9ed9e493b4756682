/**
 * The kill test: `slipway render` killed (SIGKILL) at random file operations of a change, then
 * killed again while the next render rolls that change back, any number of times, must still end,
 * after one render that completes, in exactly the tree a clean render makes: no file lost, none
 * wrong, none left over. The kills come from `SLIPWAY_KILL_AFTER_OPERATIONS` (tree.ts), which
 * makes the writer kill its own process after that many operations of an apply or a roll-back.
 *
 *   tsx packages/render/scripts/kill-test.ts <fleet> [--trials N] [--seed S]
 *
 * `<fleet>` is any fleet that renders; the test edits its sources (`change`: by default a new tag
 * for every release) so that the render under test rewrites many files.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fingerprint } from "@slipway/testing";

const CLI = fileURLToPath(new URL("../../cli/bin/slipway.js", import.meta.url));

export interface KillTestOptions {
  readonly trials: number;
  readonly seed: number;
  /** Edits the fleet's sources so that a render changes many files. */
  readonly change: (root: string) => void;
}

export interface KillTestResult {
  readonly trials: number;
  /** Renders killed (during an apply or during a roll-back). */
  readonly kills: number;
  /** Files of the clean tree missing, different, or present but not in it, summed over trials. */
  readonly lost: number;
  readonly wrong: number;
  readonly extra: number;
}

/** A small deterministic generator (mulberry32): the same seed kills at the same operations. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function render(root: string, killAfter?: number): { killed: boolean; status: number | null; output: string } {
  const result = spawnSync(process.execPath, [CLI, "render", "--json"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...(killAfter ? { SLIPWAY_KILL_AFTER_OPERATIONS: String(killAfter) } : {}) },
  });
  return { killed: result.signal === "SIGKILL", status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The parts of a checkout a render changes: the tree and the work directory (journal, cache). */
function save(root: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(join(root, "clusters"), join(to, "clusters"), { recursive: true });
  if (existsSync(join(root, ".slipway"))) cpSync(join(root, ".slipway"), join(to, ".slipway"), { recursive: true });
}

function restore(from: string, root: string): void {
  for (const name of ["clusters", ".slipway"]) {
    rmSync(join(root, name), { recursive: true, force: true });
    if (existsSync(join(from, name))) cpSync(join(from, name), join(root, name), { recursive: true });
  }
}

export function killTest(root: string, options: KillTestOptions): KillTestResult {
  const next = random(options.seed);
  const before = render(root);
  if (before.status !== 0) throw new Error(`the fleet does not render: ${before.output}`);
  const start = `${root}.kill-test-start`;
  save(root, start);
  options.change(root);
  // The clean tree after the change, and how many operations its apply takes.
  const clean = render(root);
  if (clean.status !== 0) throw new Error(`the changed fleet does not render: ${clean.output}`);
  const { written, deleted } = JSON.parse(clean.output) as { written: string[]; deleted: string[] };
  const operations = written.length + deleted.length;
  if (operations < 2) throw new Error("the change rewrites fewer than two files: nothing to kill in between");
  const expected = fingerprint(join(root, "clusters"));
  let kills = 0;
  let lost = 0;
  let wrong = 0;
  let extra = 0;
  for (let trial = 0; trial < options.trials; trial++) {
    restore(start, root);
    // Killed during the apply, then during one or more of the roll-backs that follow.
    const times = 1 + Math.floor(next() * 3);
    for (let i = 0; i < times; i++) {
      const run = render(root, 1 + Math.floor(next() * operations));
      if (run.killed) kills++;
      else if (run.status !== 0) throw new Error(`render failed instead of being killed: ${run.output}`);
    }
    const final = render(root);
    if (final.status !== 0) throw new Error(`the render after the kills failed: ${final.output}`);
    const actual = fingerprint(join(root, "clusters"));
    for (const [path, hash] of Object.entries(expected)) {
      if (actual[path] === undefined) lost++;
      else if (actual[path] !== hash) wrong++;
    }
    extra += Object.keys(actual).filter((path) => expected[path] === undefined).length;
  }
  rmSync(start, { recursive: true, force: true });
  return { trials: options.trials, kills, lost, wrong, extra };
}

/** The default change: a new tag for every release of every environment, so every app instance rewrites files. */
export function changeEveryRelease(root: string): void {
  for (const env of readdirSync(join(root, "environments"), { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const file = join(root, "environments", env.name, "releases.yaml");
    if (existsSync(file)) writeFileSync(file, readFileSync(file, "utf8").replace(/^( {4}tag: )"?([^"\n]+?)"?$/gm, '$1"$2-k"'));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [fleet, ...rest] = process.argv.slice(2);
  const flag = (name: string, fallback: number) => {
    const at = rest.indexOf(name);
    return at >= 0 ? Number(rest[at + 1]) : fallback;
  };
  if (!fleet) {
    console.error("usage: tsx packages/render/scripts/kill-test.ts <fleet> [--trials N] [--seed S]");
    process.exit(2);
  }
  const result = killTest(fleet, { trials: flag("--trials", 20), seed: flag("--seed", 1), change: changeEveryRelease });
  console.log(`kill-test: ${result.trials} trials, ${result.kills} kills, ${result.lost} lost, ${result.wrong} wrong, ${result.extra} extra files`);
  process.exitCode = result.lost + result.wrong + result.extra === 0 ? 0 : 1;
}
