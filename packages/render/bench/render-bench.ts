/**
 * `npm run bench`: rendering and validation at fleet scale, against two baselines.
 *
 * For N = 500, 2,000 and 5,000 app-instances (synthetic fleet, see synthetic-fleet.ts, generated
 * in a temporary directory, in memory where possible, that links this repository's node_modules,
 * so the fleet's definitions resolve the workspace packages; BENCH_DIR picks another place,
 * BENCH_KEEP=1 keeps it):
 * - full render: `slipway render` as a child process (process start included) on a fleet with no
 *   rendered tree and no cache;
 * - incremental render: the same, after editing one app, with the tree and cache of the last render;
 * - naive: the same constructs in ONE cdk8s App, `app.synth()` (child process, start included);
 * - floor: the same objects, already in memory, serialized with `yaml` and written (only that timed);
 * - validation of the rendered tree with @slipway/validate: in memory and on files, next to the
 *   time it takes just to read and parse the YAML;
 * - peak RSS of the render process (GNU time).
 * Medians of 3 runs (BENCH_RUNS), except naive at the largest N, which runs once
 * (BENCH_NAIVE_RUNS_LARGE): one run there takes about ten minutes and no target depends on it.
 * - the pull-request check (pr-check.ts): `render --check`, `validate --changed-from` and
 *   `diff --output markdown` of base vs head for a change to one app's memory request, as pr.yml
 *   runs them, each a fresh process in a git repository of the rendered fleet;
 * - the shard check: `render --shard k/4` of every shard into copies of the fleet, whose union
 *   must be byte-identical to the single render.
 * BENCH_SIZES=500,2000 runs a subset; BENCH_ONLY=pr-check runs only the pull-request check (and
 * the validation on files at N = 2,000 it is compared with), a few minutes instead of the
 * bench's hour. The last line is the summary for N = 2,000, with the pull-request check at
 * N = 5,000.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { changeEveryRelease, killTest } from "../scripts/kill-test";
import { benchPullRequest, shardCheck, type PullRequestCheck } from "./pr-check";
import { fleetSettingsFiles, generateFleet, touchApp } from "./synthetic-fleet";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = join(REPO, "packages/cli/bin/slipway.js");
/**
 * Where the fleets live: an ES-module package whose node_modules is this repository's. By default
 * a temporary directory in memory (/dev/shm) where the system has one, so the numbers measure
 * Slipway and not the disk: on a virtual disk, creating tens of thousands of small files costs
 * more than rendering them and varies from run to run (see the README). BENCH_DIR picks another
 * place, such as one on disk.
 */
function benchDirectory(): string {
  const memory = "/dev/shm";
  const parent = existsSync(memory) && accessible(memory) ? memory : tmpdir();
  const dir = process.env.BENCH_DIR ?? mkdtempSync(join(parent, "slipway-bench-"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ private: true, type: "module" })}\n`);
  if (!existsSync(join(dir, "node_modules"))) symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}
function accessible(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
const BENCH = benchDirectory();
const SIZES = (process.env.BENCH_SIZES ?? "500,2000,5000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NAIVE_RUNS_LARGE = Number(process.env.BENCH_NAIVE_RUNS_LARGE ?? 1);
/** Runs of full render and floor at the largest N (fewer shorten the bench). */
const RUNS_LARGE = Number(process.env.BENCH_RUNS_LARGE ?? RUNS);
const NAIVE_TIMEOUT_S = Number(process.env.BENCH_NAIVE_TIMEOUT_S ?? 600);
const HAS_GNU_TIME = existsSync("/usr/bin/time");

/**
 * A fixed piece of the work rendering is made of (allocating objects, JSON, hashing), timed before
 * and after the run, median of 5: this machine's speed drifts, and runs compare only beside their
 * calibrations.
 */
function calibrate(): number {
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    const objects = Array.from({ length: 200_000 }, (_, i) => ({ name: `object-${i}`, labels: { app: `app-${i % 100}` }, replicas: i % 7 }));
    const text = JSON.stringify(objects);
    createHash("sha256").update(text).digest("hex");
    if ((JSON.parse(text) as unknown[]).length !== objects.length) throw new Error("calibration failed");
    times.push(performance.now() - started);
  }
  return median(times);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const log = (line: string) => console.log(line);

interface Timed {
  readonly seconds: number;
  readonly rssMb?: number;
  readonly stdout: string;
}

/** Runs a child process, timing it from spawn to exit; peak RSS from GNU time when present. */
function run(args: string[], cwd: string, env: Record<string, string> = {}, timeoutS = 1800, okStatus = 0, measureRss = true): Timed {
  // GNU time does not pass a timeout's kill on to the process it times: runs that may time out go without it.
  const wrap = HAS_GNU_TIME && measureRss;
  const command = wrap ? "/usr/bin/time" : process.execPath;
  const argv = wrap ? ["-f", "BENCH_RSS_KB=%M", process.execPath, ...args] : args;
  const started = performance.now();
  const child = spawnSync(command, argv, { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, encoding: "utf8", maxBuffer: 1 << 30, timeout: timeoutS * 1000, killSignal: "SIGKILL" });
  const seconds = (performance.now() - started) / 1000;
  if (child.error) throw child.error;
  if (child.status === null || child.status > okStatus) throw new Error(`${args.join(" ")} failed (${child.status ?? child.signal}):\n${child.stderr.slice(-3000)}`);
  const rss = /BENCH_RSS_KB=(\d+)/.exec(child.stderr)?.[1];
  return { seconds, stdout: child.stdout, ...(rss ? { rssMb: Number(rss) / 1024 } : {}) };
}

/** Removes everything render produced (tree, index, README, cache), keeping each cluster.ts. */
function resetRendered(root: string): void {
  rmSync(join(root, ".slipway"), { recursive: true, force: true });
  const clusters = join(root, "clusters");
  for (const cluster of readdirSync(clusters)) {
    for (const entry of readdirSync(join(clusters, cluster))) {
      if (entry !== "cluster.ts") rmSync(join(clusters, cluster, entry), { recursive: true, force: true });
    }
  }
}

interface SizeResult {
  readonly n: number;
  readonly objects: number;
  readonly full: number;
  readonly incremental: number;
  readonly naive: number;
  readonly naiveRuns: number;
  readonly runs: number;
  readonly floor: number;
  readonly rssMb: number;
  readonly validate?: { objectsPerS: number; filesOverParse: number; filesS: number; parseS: number; memoryS: number; filesPerCoreS: number };
  readonly pr?: PullRequestCheck;
}

const ONLY_PR = process.env.BENCH_ONLY === "pr-check";
if (process.env.BENCH_ONLY !== undefined && !ONLY_PR) throw new Error(`BENCH_ONLY=${process.env.BENCH_ONLY}: the only part that runs alone is pr-check`);

function renderCli(root: string, env: Record<string, string> = {}): Timed & { objects: number; synthesized: number } {
  const timed = run([CLI, "render", "--json"], root, env);
  const result = JSON.parse(timed.stdout) as { objects: number; cache?: { synthesized: number } };
  return { ...timed, objects: result.objects, synthesized: result.cache?.synthesized ?? -1 };
}

function benchSize(n: number, largest: boolean): SizeResult {
  const root = join(BENCH, `n${n}`);
  const fleet = generateFleet(root, n, REPO);
  log(`\n== N=${n} app-instances (${fleet.apps.length} apps × 10 clusters) in ${root}`);
  if (ONLY_PR) {
    const r = renderCli(root);
    log(`  render            ${fmt(r.seconds)} s  (${r.objects} objects)`);
    const validate = n === 2000 ? benchValidate(root) : undefined;
    const pr = benchPullRequest(root, fleet, { runs: RUNS, cli: CLI, run, log, median });
    resetRendered(root);
    return { n, objects: r.objects, full: r.seconds, incremental: NaN, naive: NaN, naiveRuns: 0, runs: 1, floor: NaN, rssMb: r.rssMb ?? NaN, validate, pr };
  }

  const runs = largest ? Math.min(RUNS, RUNS_LARGE) : RUNS;
  const full: Timed[] = [];
  let objects = 0;
  for (let i = 0; i < runs; i++) {
    resetRendered(root);
    const r = renderCli(root);
    objects = r.objects;
    full.push(r);
    log(`  full render       run ${i + 1}: ${fmt(r.seconds)} s  (${r.objects} objects, ${r.synthesized} instances synthesized, peak RSS ${fmt(r.rssMb ?? NaN, 0)} MB)`);
  }

  const incremental: Timed[] = [];
  for (let i = 0; i < RUNS; i++) {
    const app = fleet.apps[(i * 7 + 3) % fleet.apps.length]!;
    touchApp(root, app, i);
    const r = renderCli(root);
    incremental.push(r);
    log(`  incremental       run ${i + 1}: ${fmt(r.seconds)} s  (edited ${app.file}; ${r.synthesized} instances synthesized)`);
  }

  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = join(root, ".slipway/floor-out");
    rmSync(out, { recursive: true, force: true });
    const r = run(["--import", "tsx", join(REPO, "packages/render/bench/floor.ts"), root, out], REPO);
    const { seconds, objects: written } = JSON.parse(r.stdout.trim().split("\n").pop()!) as { seconds: number; objects: number };
    floor.push(seconds);
    rmSync(out, { recursive: true, force: true });
    log(`  floor (yaml+write) run ${i + 1}: ${fmt(seconds)} s  (${written} objects)`);
  }

  const naiveRuns = largest ? Math.min(RUNS, NAIVE_RUNS_LARGE) : RUNS;
  const naive: number[] = [];
  for (let i = 0; i < naiveRuns; i++) {
    const out = join(root, ".slipway/naive-out");
    rmSync(out, { recursive: true, force: true });
    try {
      const r = run(["--import", "tsx", join(REPO, "packages/render/bench/naive.ts"), root, out], REPO, {}, NAIVE_TIMEOUT_S, 0, false);
      naive.push(r.seconds);
      log(`  naive (one App)   run ${i + 1}: ${fmt(r.seconds)} s`);
    } catch (error) {
      naive.push(NAIVE_TIMEOUT_S);
      log(`  naive (one App)   run ${i + 1}: did not finish within ${NAIVE_TIMEOUT_S} s, counted as ${NAIVE_TIMEOUT_S} s (a lower bound) (${(error as Error).message.split("\n")[0]})`);
    }
    rmSync(out, { recursive: true, force: true, maxRetries: 5 });
  }

  const validate = benchValidate(root);
  const pr = benchPullRequest(root, fleet, { runs: RUNS, cli: CLI, run, log, median });

  const result: SizeResult = {
    n,
    objects,
    full: median(full.map((t) => t.seconds)),
    incremental: median(incremental.map((t) => t.seconds)),
    naive: median(naive),
    naiveRuns,
    runs,
    floor: median(floor),
    rssMb: Math.max(...full.map((t) => t.rssMb ?? NaN), ...incremental.map((t) => t.rssMb ?? NaN)),
    validate,
    pr,
  };
  log(`  medians: full ${fmt(result.full)} s, incremental ${fmt(result.incremental)} s (${fmt((100 * result.incremental) / result.full, 1)} %), naive ${fmt(result.naive)} s (${naiveRuns} run${naiveRuns === 1 ? "" : "s"}), floor ${fmt(result.floor)} s, peak RSS ${fmt(result.rssMb, 0)} MB`);
  resetRendered(root);
  return result;
}

/**
 * Validation of the rendered tree in a child process (validate-bench.ts): in memory, on files
 * (one thread: objects per second on files is per core), and the plain read + parse of the same files.
 */
function benchValidate(root: string): SizeResult["validate"] {
  const v = run(["--import", "tsx", join(REPO, "packages/render/bench/validate-bench.ts"), root], REPO);
  const vr = JSON.parse(v.stdout.trim().split("\n").pop()!) as { available: boolean; objects: number; parseSeconds: number; filesSeconds: number; memorySeconds: number; memoryPasses?: number[]; fileErrors: number; memoryErrors: number };
  if (!vr.available) {
    log("  validate: @slipway/validate offers no validateManifests/validateCluster yet; skipped");
    return undefined;
  }
  const validate = { objectsPerS: vr.objects / vr.memorySeconds, filesOverParse: vr.filesSeconds / vr.parseSeconds, filesS: vr.filesSeconds, parseS: vr.parseSeconds, memoryS: vr.memorySeconds, filesPerCoreS: vr.objects / vr.filesSeconds };
  log(`  validate: ${vr.objects} objects; in memory ${fmt(vr.memorySeconds)} s (${fmt(validate.objectsPerS, 0)} objects/s; median of ${(vr.memoryPasses ?? []).map((s) => fmt(s)).join(", ")} s); on files ${fmt(vr.filesSeconds)} s = ${fmt(validate.filesPerCoreS, 0)} objects/s on one core, vs read+parse ${fmt(vr.parseSeconds)} s = ${fmt(vr.objects / vr.parseSeconds, 0)} objects/s (×${fmt(validate.filesOverParse)}); errors found: ${vr.memoryErrors} in memory, ${vr.fileErrors} on files`);
  return validate;
}

/** The example fleet, cold (no tree, no cache): render, then validate, each a fresh process; medians of RUNS. */
function benchExample(): { render: number; validate: number } {
  const root = join(BENCH, "example");
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const name of ["apps", "environments", "addons", "clusters", ...fleetSettingsFiles(REPO)]) {
    if (existsSync(join(REPO, name))) cpSync(join(REPO, name), join(root, name), { recursive: true });
  }
  const renders: number[] = [];
  const validations: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    resetRendered(root);
    renders.push(run([CLI, "render"], root).seconds);
    // Exit code 1 means findings, which the example fleet may have: the time is what counts here.
    validations.push(run([CLI, "validate"], root, {}, 600, 1).seconds);
  }
  rmSync(root, { recursive: true, force: true });
  return { render: median(renders), validate: median(validations) };
}

log(`slipway render benchmark in ${BENCH}${BENCH.startsWith("/dev/shm") ? " (in memory)" : ""} — ${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown"}), ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}, ${RUNS} runs per measure`);
const calibrationBefore = calibrate();
log(`machine calibration before the run: ${fmt(calibrationBefore, 0)} ms (a fixed workload; lower is faster)`);
// The CLI runs compiled (packages/cli/build/compile.mjs); build it now rather than inside the first timed render.
run([join(REPO, "packages/cli/build/compile.mjs")], REPO, {}, 600, 0, false);
const results = SIZES.map((n, i) => benchSize(n, i === SIZES.length - 1 && SIZES.length > 1));
// The shard check runs on the smallest fleet (BENCH_SHARDS=0 skips it): `render --shard k/4`
// of every shard, each into its own copy, whose union must be byte-identical to one render.
const shardCount = Number(process.env.BENCH_SHARDS ?? 4);
const shards = shardCount > 0 ? shardCheck(join(BENCH, "shards"), SIZES[0]!, shardCount, { repo: REPO, cli: CLI, run, log }) : undefined;
// Render's safety at scale: killed at random operations (and while rolling back), it must still
// end in exactly the clean tree. BENCH_KILL_TRIALS=0 skips it; it runs on the smallest fleet.
const killTrials = ONLY_PR ? 0 : Number(process.env.BENCH_KILL_TRIALS ?? 3);
let kill: ReturnType<typeof killTest> | undefined;
if (killTrials > 0) {
  const root = join(BENCH, "kill");
  generateFleet(root, SIZES[0]!, REPO);
  const started = performance.now();
  kill = killTest(root, { trials: killTrials, seed: 11, change: changeEveryRelease });
  log(`
kill test at N=${SIZES[0]}: ${kill.trials} trials, ${kill.kills} kills, ${kill.lost} lost, ${kill.wrong} wrong, ${kill.extra} extra files (${fmt((performance.now() - started) / 1000, 0)} s)`);
  rmSync(root, { recursive: true, force: true });
}
let example: { render: number; validate: number } | undefined;
if (!ONLY_PR) {
  try {
    example = benchExample();
    log(`\nexample fleet, cold: render ${fmt(example.render)} s + validate ${fmt(example.validate)} s = ${fmt(example.render + example.validate)} s (target < 5 s)`);
  } catch (error) {
    log(`\nexample fleet: ${(error as Error).message.split("\n").slice(0, 3).join(" ")}`);
  }
}

log("\n| N app-instances | objects | full render s | incremental s (% of full) | naive s | floor s | naive/ours | ours/floor | validate objects/s (memory) | validate files / parse | peak RSS MB |");
log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  log(`| ${r.n} | ${r.objects} | ${fmt(r.full)}${r.runs < RUNS ? ` (${r.runs} run)` : ""} | ${fmt(r.incremental)} (${fmt((100 * r.incremental) / r.full, 1)} %) | ${fmt(r.naive)}${r.naiveRuns < RUNS ? ` (${r.naiveRuns} run)` : ""} | ${fmt(r.floor)} | ${fmt(r.naive / r.full, 1)} | ${fmt(r.full / r.floor)} | ${r.validate ? fmt(r.validate.objectsPerS, 0) : "n/a"} | ${r.validate ? fmt(r.validate.filesOverParse) : "n/a"} | ${fmt(r.rssMb, 0)} |`);
}

log("\n| N app-instances | render --check s | validate --changed-from s | diff --output markdown s | pull-request check s | files changed |");
log("|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  if (r.pr) log(`| ${r.n} | ${fmt(r.pr.check)} | ${fmt(r.pr.validate)} | ${fmt(r.pr.diff)} | ${fmt(r.pr.total)} | ${r.pr.changedFiles} |`);
}

const at = (n: number) => results.find((r) => r.n === n);
const small = at(500);
const base = at(2000) ?? results[0]!;
const large = at(5000);
const targets = [
  [`naive/ours ≥ 10 at N=${base.n}`, base.naive / base.full >= 10, fmt(base.naive / base.full, 1)],
  [`ours/floor ≤ 2 at N=${base.n}`, base.full / base.floor <= 2, fmt(base.full / base.floor)],
  ["render(5000)/render(2000) ≤ 2.8", large && at(2000) ? large.full / at(2000)!.full <= 2.8 : undefined, large && at(2000) ? fmt(large.full / at(2000)!.full) : "n/a"],
  [`incremental ≤ 15 % of full at N=${base.n}`, base.incremental / base.full <= 0.15, `${fmt((100 * base.incremental) / base.full, 1)} %`],
  [`validation ≥ 50,000 objects/s in memory at N=${base.n}`, base.validate ? base.validate.objectsPerS >= 50_000 : undefined, base.validate ? fmt(base.validate.objectsPerS, 0) : "n/a"],
  [`validation on files ≤ 1.5 × parse at N=${base.n}`, base.validate ? base.validate.filesOverParse <= 1.5 : undefined, base.validate ? fmt(base.validate.filesOverParse) : "n/a"],
  ["peak RSS < 1 GiB at N=5000", large ? large.rssMb < 1024 : undefined, large ? `${fmt(large.rssMb, 0)} MB` : "n/a"],
  ["example fleet renders and validates < 5 s cold", example ? example.render + example.validate < 5 : undefined, example ? `${fmt(example.render + example.validate)} s` : "n/a"],
  ["kill test: 0 lost or wrong files", kill ? kill.lost + kill.wrong + kill.extra === 0 : undefined, kill ? `${kill.lost + kill.wrong + kill.extra} of ${kill.trials} trials' files` : "n/a"],
  ["pull-request check ≤ 3 s at N=5000", large?.pr ? large.pr.total <= 3 : undefined, large?.pr ? `${fmt(large.pr.total)} s` : "n/a"],
  ["pull-request check N=500 → 5000 ≤ 1.5×", large?.pr && small?.pr ? large.pr.total / small.pr.total <= 1.5 : undefined, large?.pr && small?.pr ? `×${fmt(large.pr.total / small.pr.total)}` : "n/a"],
  [`validation on files ≥ 4,000 objects/s per core at N=${base.n}`, base.validate ? base.validate.filesPerCoreS >= 4000 : undefined, base.validate ? fmt(base.validate.filesPerCoreS, 0) : "n/a"],
  ["shards' union byte-identical to one render", shards ? shards.identical : undefined, shards ? `${shards.shards} shards at N=${shards.n}: ${shards.identical ? "identical" : shards.difference}` : "n/a"],
] as const;
log(`\nmachine calibration: ${fmt(calibrationBefore, 0)} ms before the run, ${fmt(calibrate(), 0)} ms after (a fixed workload; lower is faster)`);
log("\ntargets:");
// BENCH_ONLY=pr-check measures only the pull-request check, validation on files and the shards.
const PR_TARGETS = new Set(["pull-request", "validation on files ≥", "shards'"]);
for (const [name, ok, value] of targets) if (!ONLY_PR || [...PR_TARGETS].some((p) => name.startsWith(p))) log(`  ${ok === undefined ? "n/a " : ok ? "MET " : "MISS"}  ${name}: ${value}`);

if (!process.env.BENCH_KEEP && !process.env.BENCH_DIR) rmSync(BENCH, { recursive: true, force: true });

const scale = large && at(2000) ? large.full / at(2000)!.full : NaN;
log(
  `bench: n=${base.n} render_s=${fmt(base.full)} naive_over_ours=${fmt(base.naive / base.full)} ours_over_floor=${fmt(base.full / base.floor)} scale_5000_over_2000=${fmt(scale)} incremental_over_full=${fmt(base.incremental / base.full, 3)} validate_objects_per_s=${base.validate ? fmt(base.validate.objectsPerS, 0) : "n/a"} peak_rss_mb=${fmt(large?.rssMb ?? base.rssMb, 0)} pr_check_s=${large?.pr ? fmt(large.pr.total) : "n/a"} validate_files_per_core_s=${base.validate ? fmt(base.validate.filesPerCoreS, 0) : "n/a"}`,
);
