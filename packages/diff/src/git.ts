/** The few git operations the diff needs, through the git binary (no library, no shell). */
import { spawnSync } from "node:child_process";
import { SlipwayError } from "@slipway/core";

/** A git command failed; carries the command and git's own message. */
export class GitError extends SlipwayError {}

export interface GitResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git in `cwd`; throws a GitError unless `allowFailure`. Output is decoded as UTF-8. */
export function runGit(cwd: string, args: readonly string[], options: { input?: string | Buffer; allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {}): GitResult {
  const result = spawnSync("git", args, {
    cwd,
    input: options.input,
    env: { ...process.env, ...options.env, LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" },
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.error) throw new GitError(`could not run git: ${result.error.message}`, { hint: "install git and make sure it is on PATH" });
  const out: GitResult = { status: result.status ?? 1, stdout: result.stdout.toString("utf8"), stderr: result.stderr.toString("utf8") };
  if (out.status !== 0 && !options.allowFailure) {
    throw new GitError(`git ${args.join(" ")} failed: ${out.stderr.trim() || `exit ${out.status}`}`, { hint: `run the command in ${cwd} to see what went wrong` });
  }
  return out;
}

/** The repository's top-level directory containing `cwd`. */
export function repositoryRoot(cwd: string): string {
  const result = runGit(cwd, ["rev-parse", "--show-toplevel"], { allowFailure: true });
  if (result.status !== 0) {
    throw new GitError("not inside a git repository", { received: cwd, hint: "work in a git clone of the fleet repository (a new fleet: `git init`, then commit it)" });
  }
  return result.stdout.trim();
}

/** Resolves a revision to a commit hash, with a clear error for a missing one. */
export function resolveRevision(cwd: string, ref: string): string {
  const result = runGit(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { allowFailure: true });
  if (result.status !== 0) {
    throw new GitError(`unknown git revision \`${ref}\``, { received: ref, hint: "pass a branch, tag or commit that exists locally (fetch it first, e.g. `git fetch origin main`)" });
  }
  return result.stdout.trim();
}

/** Paths and contents of every blob under `prefix` at `commit`, read in one `cat-file --batch`. */
export function readTreeAt(cwd: string, commit: string, prefix: string): Map<string, Buffer> {
  const listing = runGit(cwd, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix]).stdout;
  const entries: { sha: string; path: string }[] = [];
  for (const record of listing.split("\0")) {
    if (!record) continue;
    const tab = record.indexOf("\t");
    const [, type, sha] = record.slice(0, tab).split(" ");
    if (type === "blob" && sha) entries.push({ sha, path: record.slice(tab + 1) });
  }
  const files = new Map<string, Buffer>();
  if (entries.length === 0) return files;
  const result = spawnSync("git", ["cat-file", "--batch"], {
    cwd,
    input: entries.map((e) => e.sha).join("\n") + "\n",
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.status !== 0) throw new GitError(`git cat-file --batch failed: ${result.stderr.toString("utf8").trim()}`);
  const buffer = result.stdout;
  let offset = 0;
  for (const entry of entries) {
    const newline = buffer.indexOf(0x0a, offset);
    const header = buffer.subarray(offset, newline).toString("utf8").split(" ");
    const size = Number(header[2]);
    files.set(entry.path, buffer.subarray(newline + 1, newline + 1 + size));
    offset = newline + 1 + size + 1;
  }
  return files;
}
