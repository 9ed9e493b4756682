/**
 * Test helper: a private copy of the example fleet inside the repository (so fleet modules
 * still resolve `@slipway/*`), in the git-ignored work directory. Each copy has a fresh path,
 * so edited definition modules are never served from a module cache.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FLEET_DIRS = ["apps", "environments", "addons", "clusters"];
let counter = 0;

export function copyExampleFleet(label: string): string {
  const dir = join(REPO_ROOT, ".slipway", "test-fleets", `${label}-${process.pid}-${Date.now()}-${counter++}`);
  mkdirSync(dir, { recursive: true });
  for (const name of FLEET_DIRS) {
    if (existsSync(join(REPO_ROOT, name))) cpSync(join(REPO_ROOT, name), join(dir, name), { recursive: true });
  }
  for (const name of readdirSync(REPO_ROOT)) {
    if (/^slipway\.config\.[cm]?[jt]s$/.test(name)) cpSync(join(REPO_ROOT, name), join(dir, name));
  }
  return dir;
}

export function removeFleet(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A maker of example-fleet copies (labels prefixed with `prefix`), removed after the calling test file's tests. */
export function exampleFleetCopies(prefix = ""): (label: string) => string {
  const made: string[] = [];
  afterAll(() => made.forEach(removeFleet));
  return (label) => {
    const dir = copyExampleFleet(`${prefix}${label}`);
    made.push(dir);
    return dir;
  };
}

/** path → sha256 of every file under `dir`: a fingerprint to prove a tree did not change. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string) => {
    for (const name of readdirSync(abs).sort()) {
      const path = join(abs, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export function editFile(path: string, edit: (text: string) => string): void {
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  if (after === before) throw new Error(`edit of ${path} changed nothing`);
  writeFileSync(path, after);
}
