/**
 * The benchmark's pull-request check and shard check (render-bench.ts runs them).
 *
 * Pull-request check: the rendered fleet committed in a git repository (base), one app's memory
 * request changed and rendered (head, committed), then what pr.yml runs, each a fresh process:
 * `render --check`, `validate --changed-from HEAD^1`, `diff --base HEAD^1 --head HEAD
 * --output markdown`. Medians of `runs`; the total is the sum of the medians.
 *
 * Shard check: `render --shard k/n` for every k, each in its own copy of the fleet with no
 * rendered tree, then every file of every shard's clusters/ laid over one another, compared
 * byte for byte with a single `render` of the same fleet.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { generateFleet, type SyntheticFleet } from "./synthetic-fleet";

export interface PullRequestCheck {
  readonly check: number;
  readonly validate: number;
  readonly diff: number;
  readonly total: number;
  /** Rendered files the change touched (rendered.json included). */
  readonly changedFiles: number;
}

interface Timed {
  readonly seconds: number;
  readonly stdout: string;
}

interface Tools {
  readonly runs: number;
  readonly cli: string;
  readonly run: (args: string[], cwd: string, env?: Record<string, string>, timeoutS?: number, okStatus?: number, measureRss?: boolean) => Timed;
  readonly log: (line: string) => void;
  readonly median: (values: number[]) => number;
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "bench@example.com", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "bench@example.com" } });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** Runs the pull-request check on a rendered fleet at `root`; leaves the fleet as it found it, without the repository. */
export function benchPullRequest(root: string, fleet: SyntheticFleet, tools: Pick<Tools, "runs" | "cli" | "run" | "log" | "median">): PullRequestCheck {
  const { runs, cli, run, log, median } = tools;
  rmSync(join(root, ".git"), { recursive: true, force: true });
  writeFileSync(join(root, ".gitignore"), "node_modules\n.slipway/\n");
  git(root, "init", "--quiet", "--initial-branch=main");
  git(root, "add", "-A");
  git(root, "commit", "--quiet", "-m", "base");
  const app = fleet.apps[Math.floor(fleet.apps.length / 3)]!;
  const file = join(root, app.file);
  const source = readFileSync(file, "utf8");
  const edited = source.replace(/memory: "(\d+)Mi" \}/, (_, mi: string) => `memory: "${Number(mi) + 64}Mi" }`);
  if (edited === source) throw new Error(`no memory request to change in ${app.file}`);
  writeFileSync(file, edited);
  run([cli, "render"], root);
  const changedFiles = git(root, "status", "--porcelain", "--", "clusters").trim().split("\n").filter(Boolean).length;
  git(root, "add", "-A");
  git(root, "commit", "--quiet", "-m", `${app.name}: memory request`);
  const time = (args: string[], okStatus = 0) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(run([cli, ...args], root, {}, 1800, okStatus, false).seconds);
    return { median: median(times), times };
  };
  const check = time(["render", "--check"]);
  // Exit 1 means findings (the synthetic fleet has some): the time is what counts.
  const validate = time(["validate", "--changed-from", "HEAD^1", "--output", "github"], 1);
  const diff = time(["diff", "--base", "HEAD^1", "--head", "HEAD", "--output", "markdown"]);
  const total = check.median + validate.median + diff.median;
  const f = (n: number) => n.toFixed(2);
  log(`  pull-request check (${app.name}'s memory request, ${changedFiles} rendered files changed): render --check ${f(check.median)} s, validate --changed-from ${f(validate.median)} s, diff --output markdown ${f(diff.median)} s = ${f(total)} s (medians of ${check.times.map(f).join("/")}, ${validate.times.map(f).join("/")}, ${diff.times.map(f).join("/")})`);
  git(root, "reset", "--quiet", "--hard", "HEAD^1");
  rmSync(join(root, ".git"), { recursive: true, force: true });
  rmSync(join(root, ".gitignore"), { force: true });
  return { check: check.median, validate: validate.median, diff: diff.median, total, changedFiles };
}

function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (abs: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const p = join(abs, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export interface ShardResult {
  readonly n: number;
  readonly shards: number;
  readonly identical: boolean;
  readonly difference?: string;
}

/** Renders a fleet of `n` instances once whole and once in `shards` shards; compares the trees. */
export function shardCheck(dir: string, n: number, shards: number, tools: { repo: string; cli: string; run: Tools["run"]; log: Tools["log"] }): ShardResult {
  const { repo, cli, run, log } = tools;
  const whole = join(dir, "whole");
  generateFleet(whole, n, repo);
  const started = performance.now();
  run([cli, "render"], whole);
  const single = filesUnder(join(whole, "clusters"));
  const union = new Map<string, Buffer>();
  let difference: string | undefined;
  for (let k = 1; k <= shards; k++) {
    const copy = join(dir, `shard-${k}`);
    rmSync(copy, { recursive: true, force: true });
    cpSync(whole, copy, { recursive: true });
    // The copy starts from the fleet's sources only: cluster.ts files, no rendered tree.
    for (const cluster of readdirSync(join(copy, "clusters"))) {
      for (const entry of readdirSync(join(copy, "clusters", cluster))) if (entry !== "cluster.ts") rmSync(join(copy, "clusters", cluster, entry), { recursive: true, force: true });
    }
    rmSync(join(copy, ".slipway"), { recursive: true, force: true });
    run([cli, "render", "--shard", `${k}/${shards}`], copy);
    for (const [path, bytes] of filesUnder(join(copy, "clusters"))) {
      const seen = union.get(path);
      if (seen && !seen.equals(bytes) && difference === undefined) difference = `shards disagree on clusters/${path}`;
      union.set(path, bytes);
    }
    rmSync(copy, { recursive: true, force: true });
  }
  if (difference === undefined) {
    for (const [path, bytes] of single) if (!union.get(path)?.equals(bytes)) difference ??= `clusters/${path} differs from the single render`;
    for (const path of union.keys()) if (!single.has(path)) difference ??= `clusters/${path} is not in the single render`;
  }
  rmSync(dir, { recursive: true, force: true });
  const identical = difference === undefined;
  log(`\nshard check at N=${n}: ${shards} shards, union of ${union.size} files ${identical ? "byte-identical to" : "DIFFERS from"} the single render's ${single.size}${difference ? ` (${difference})` : ""} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  return { n, shards, identical, ...(difference ? { difference } : {}) };
}
