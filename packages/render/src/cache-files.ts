/**
 * The render cache's files under `.slipway/cache/` (git-ignored) and the hash every key starts
 * from. The cache only makes render faster: each entry is checked against what it was computed
 * from, and a missing, unreadable, stale or foreign file is an empty cache — never an error, never
 * trusted. `render --check` does not read it at all.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { WORK_DIR } from "./tree";

/** Bump when the cache format or the meaning of a key changes. */
const CACHE_VERSION = 4;
export const CACHE_DIR = `${WORK_DIR}/cache`;

export function sha256Hex(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

let toolchain: string | undefined;

/**
 * Hash of the code that turns definitions into YAML: the sources and manifests of Slipway's
 * packages, the lock file (the versions of cdk8s and the rest) and Node's version. A change to
 * any of them makes every cache entry stale.
 */
export function toolchainKey(): string {
  if (toolchain) return toolchain;
  const packages = fileURLToPath(new URL("../../", import.meta.url));
  const hash = createHash("sha256").update(`v${CACHE_VERSION} node ${process.version}\n`);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|cts|js|mjs|cjs|json)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) hash.update(`${relative(packages, path)}\n`).update(readFileSync(path)).update("\n");
    }
  };
  for (const pkg of readdirSync(packages).sort()) {
    for (const part of ["package.json", "src"]) {
      const path = join(packages, pkg, part);
      if (!existsSync(path)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(`${pkg}/${part}\n`).update(readFileSync(path)).update("\n");
    }
  }
  const lock = join(packages, "..", "package-lock.json");
  if (existsSync(lock)) hash.update(readFileSync(lock));
  toolchain = hash.digest("hex");
  return toolchain;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A cache file's content, if it is of this version and toolchain and passes `valid`; otherwise nothing. */
export function readCacheFile<T>(root: string, name: string, valid: (value: Record<string, unknown>) => boolean): T | undefined {
  try {
    const value = JSON.parse(readFileSync(join(root, CACHE_DIR, name), "utf8")) as unknown;
    if (!isRecord(value) || value.version !== CACHE_VERSION || value.toolchain !== toolchainKey() || !valid(value)) return undefined;
    return value as T;
  } catch {
    return undefined;
  }
}

/**
 * Writes a cache file atomically (a reader sees the old or the new one). A cache that cannot be
 * written (a read-only checkout) is no cache: the render itself has already succeeded.
 */
export function writeCacheFile(root: string, name: string, value: object): void {
  const target = join(root, CACHE_DIR, name);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(temp, JSON.stringify({ version: CACHE_VERSION, toolchain: toolchainKey(), ...value }));
    renameSync(temp, target);
  } catch {
    rmSync(temp, { force: true });
  }
}
