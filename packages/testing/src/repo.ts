/** Throw-away git repositories with a bare remote, for tests that go through git. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TempRepo {
  /** The working clone. */
  readonly dir: string;
  /** The bare repository `origin` points at. */
  readonly remote: string;
  write(files: Readonly<Record<string, string>>): void;
  remove(...paths: string[]): void;
  git(...args: string[]): string;
  /** Stages everything and commits; returns the commit hash. */
  commit(message: string): string;
  cleanup(): void;
}

const IDENTITY = { GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@example.com", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@example.com" };

/** Runs git in `cwd` (no shell, C locale, never prompting); throws with git's message when it fails. */
export function git(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync("git", args, { cwd, env: { ...process.env, ...env, LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" }, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
  if (result.error) throw new Error(`could not run git: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${result.stderr.trim() || `exit ${result.status}`}`);
  return result.stdout;
}

/**
 * A repository on branch `main` with a bare `origin`, both in a fresh temporary directory; its
 * user.name and user.email are set locally, so commits work on any machine. `files` are written,
 * not committed.
 */
export function createTempRepo(files: Readonly<Record<string, string>> = {}): TempRepo {
  const top = mkdtempSync(join(tmpdir(), "slipway-test-"));
  const dir = join(top, "repo");
  const remote = join(top, "remote.git");
  git(top, ["init", "--quiet", "--bare", "--initial-branch=main", remote]);
  git(top, ["init", "--quiet", "--initial-branch=main", dir]);
  git(dir, ["config", "user.name", "Test"]);
  git(dir, ["config", "user.email", "test@example.com"]);
  git(dir, ["config", "commit.gpgsign", "false"]);
  git(dir, ["remote", "add", "origin", remote]);
  const repo: TempRepo = {
    dir,
    remote,
    write(more) {
      for (const [path, content] of Object.entries(more)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    },
    remove(...paths) {
      for (const path of paths) rmSync(join(dir, path), { recursive: true, force: true });
    },
    git: (...args) => git(dir, args, IDENTITY),
    commit(message) {
      git(dir, ["add", "-A"]);
      git(dir, ["commit", "--quiet", "--allow-empty", "-m", message], IDENTITY);
      return git(dir, ["rev-parse", "HEAD"]).trim();
    },
    cleanup: () => rmSync(top, { recursive: true, force: true }),
  };
  repo.write(files);
  return repo;
}
