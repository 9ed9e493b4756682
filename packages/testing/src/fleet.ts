/**
 * The fixture fleet (packages/testing/fleet) and copies of it for tests. The product's tests run
 * on this fleet, never on the repository's example fleet: users change that one all day, and
 * `slipway render --check` and `slipway validate` are what check it.
 *
 * A copy lives in a fresh temporary directory with a `node_modules` symlink to the workspace's,
 * so its definition modules resolve `@slipway/*`; each copy has a new path, so an edited
 * definition module is never served from a module cache.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { createTempRepo, type TempRepo } from "./repo";

/** The fixture fleet's sources. Read it; never write to it (copy it first). */
export const FIXTURE_FLEET = fileURLToPath(new URL("../fleet", import.meta.url));

const WORKSPACE_NODE_MODULES = fileURLToPath(new URL("../../../node_modules", import.meta.url));

/** What a fleet copy is made of: the definition directories and the fleet settings file. */
const FLEET_DIRS = ["apps", "environments", "addons", "clusters"];
const SETTINGS_FILE = /^slipway\.config\.[cm]?[jt]s$/;

function copyFleetInto(from: string, to: string): void {
  for (const name of FLEET_DIRS) {
    if (existsSync(join(from, name))) cpSync(join(from, name), join(to, name), { recursive: true });
  }
  for (const name of readdirSync(from)) {
    if (SETTINGS_FILE.test(name)) cpSync(join(from, name), join(to, name));
  }
  symlinkSync(WORKSPACE_NODE_MODULES, join(to, "node_modules"), "dir");
}

/**
 * A fresh directory holding a copy of the fixture fleet (or of `from`, another fleet copy: its
 * definitions, settings and `clusters/`, never its `.slipway/` caches). Remove it with
 * `removeFleet`, or let `fixtureFleetCopies` do it.
 */
export function copyFixtureFleet(label: string, from: string = FIXTURE_FLEET): string {
  const dir = mkdtempSync(join(tmpdir(), `slipway-fleet-${label.replace(/[^\w.-]/g, "_")}-`));
  copyFleetInto(from, dir);
  return dir;
}

export function removeFleet(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface FleetCopies {
  /** A fresh copy, taken from `template`. */
  (label: string): string;
  /**
   * What the copies are taken from: the fixture fleet itself, or, with `prepare`, a copy
   * prepared once (rendered, typically) before the file's tests.
   */
  readonly template: string;
}

export interface FleetCopiesOptions {
  /**
   * Runs once, before the calling file's tests, on the copy every later copy is taken from:
   * render it there, and each test starts from a rendered tree without paying for a render.
   */
  prepare?: (root: string) => unknown;
}

/** A maker of fixture-fleet copies (labels prefixed with `prefix`), removed after the calling test file's tests. */
export function fixtureFleetCopies(prefix = "", options: FleetCopiesOptions = {}): FleetCopies {
  const made: string[] = [];
  let template: string | undefined;
  const { prepare } = options;
  if (prepare) {
    beforeAll(async () => {
      const dir = copyFixtureFleet(`${prefix}template`);
      made.push(dir);
      await prepare(dir);
      template = dir;
    });
  }
  afterAll(() => made.forEach(removeFleet));
  const source = (): string => {
    if (!prepare) return FIXTURE_FLEET;
    if (template === undefined) throw new Error("fixture fleet copies are prepared before the file's tests: take copies inside a test or a hook");
    return template;
  };
  const copies = (label: string) => {
    const dir = copyFixtureFleet(`${prefix}${label}`, source());
    made.push(dir);
    return dir;
  };
  return Object.defineProperty(copies, "template", { get: source }) as FleetCopies;
}

export interface FixtureFleetRepoOptions {
  /** Runs on the working tree before the initial commit (render it, typically). */
  prepare?: (root: string) => unknown;
}

/**
 * The fixture fleet in a git repository, for journeys through git: branch `main` holds one
 * commit of everything (`node_modules` and `.slipway/` ignored), pushed to a bare `origin`;
 * user.name and user.email are set locally. Call `cleanup()` when done.
 */
export async function fixtureFleetRepo(options: FixtureFleetRepoOptions = {}): Promise<TempRepo> {
  const repo = createTempRepo({ ".gitignore": "node_modules\n.slipway/\n" });
  try {
    copyFleetInto(FIXTURE_FLEET, repo.dir);
    await options.prepare?.(repo.dir);
    repo.commit("fixture fleet");
    repo.git("push", "--quiet", "--set-upstream", "origin", "main");
    return repo;
  } catch (error) {
    repo.cleanup();
    throw error;
  }
}

/**
 * path → sha256 of every file under `dir`: a fingerprint to prove a tree did not change. Symlinks
 * are not followed (a copy's `node_modules` is one); each is recorded by its target.
 */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string) => {
    for (const name of readdirSync(abs).sort()) {
      const path = join(abs, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isSymbolicLink()) out[relative(dir, path)] = `symlink → ${readlinkSync(path)}`;
      else out[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Rewrites a file through `edit`; an edit that changes nothing is an error (the test's pattern went stale). */
export function editFile(path: string, edit: (text: string) => string): void {
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  if (after === before) throw new Error(`edit of ${path} changed nothing`);
  writeFileSync(path, after);
}
