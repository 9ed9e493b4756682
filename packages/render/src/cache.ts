/**
 * The render cache under `.slipway/cache/` (git-ignored), so an unchanged app is neither
 * imported nor synthesized — the import graph plus content hashes, as Tanka does.
 *
 * - Definitions: each definition module's default export, keyed by the hash of the module and
 *   of every local module it imports (transitively), and of the toolchain. A module whose
 *   source does things the hash cannot see (reads files or the environment, computes an import
 *   path) is never cached: it is imported every time.
 * - Units: for each app instance, the hash of everything its objects are made from (the loaded
 *   app, environment, releases entry, cluster, tenant, toolchain) and a digest of the files the
 *   last render recorded for it in `rendered.json`. A hit means: the files on disk, if their
 *   sha256 matches the index, are exactly what rendering would produce again.
 * - Toolchain: the sources of @slipway/render and of the Slipway packages it depends on, the lock
 *   file and the Node version. A change to any of them invalidates everything.
 *
 * The cache is an accelerator only: a missing, stale or corrupted cache file is ignored (and
 * rewritten by the next successful render), never trusted beyond its hashes.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RENDERED_INDEX_FILE } from "@slipway/core";
import type { ReadmeSummary } from "./cluster-readme";
import type { InstanceFacts } from "./instance-facts";
import { inOrder, sha256Hex as sha, statDigest, type StatClaim } from "./file-stats";
import { WORK_DIR } from "./tree";

/** Bump when the cache format or the meaning of a key changes. */
const CACHE_VERSION = 3;
export const CACHE_DIR = `${WORK_DIR}/cache`;

let toolchain: string | undefined;

/** Hash of the code that turns definitions into YAML: the sources of render and the Slipway packages it depends on, the lock file, Node's version. */
export function toolchainKey(): string {
  if (toolchain) return toolchain;
  const packages = fileURLToPath(new URL("../../", import.meta.url));
  const hash = createHash("sha256").update(`v${CACHE_VERSION} node ${process.version}\n`);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|cts|js|mjs|cjs|json)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        hash.update(`${relative(packages, path)}\n`).update(readFileSync(path)).update("\n");
      }
    }
  };
  // The packages render runs: @slipway/render and its @slipway dependencies, transitively.
  const included = new Set<string>();
  const include = (dir: string) => {
    if (included.has(dir) || !existsSync(join(packages, dir, "package.json"))) return;
    included.add(dir);
    const manifest = JSON.parse(readFileSync(join(packages, dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {})) if (name.startsWith("@slipway/")) include(name.slice("@slipway/".length));
  };
  include("render");
  for (const pkg of [...included].sort()) {
    for (const sub of ["src", "package.json"]) {
      const path = join(packages, pkg, sub);
      if (!existsSync(path)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(`${pkg}/${sub}\n`).update(readFileSync(path)).update("\n");
    }
  }
  const lock = join(packages, "..", "package-lock.json");
  if (existsSync(lock)) hash.update(readFileSync(lock));
  toolchain = hash.digest("hex");
  return toolchain;
}

/** Reads a cache file; anything unreadable, of another version or another toolchain is an empty cache. */
function readCache<T>(root: string, name: string, valid: (value: unknown) => value is T): T | undefined {
  try {
    const value = JSON.parse(readFileSync(join(root, CACHE_DIR, name), "utf8")) as { version?: unknown; toolchain?: unknown };
    if (value?.version !== CACHE_VERSION || value.toolchain !== toolchainKey() || !valid(value)) return undefined;
    return value as T;
  } catch {
    return undefined;
  }
}

/** Writes a cache file atomically (a reader sees the old or the new file, never half of one). */
function writeCache(root: string, name: string, value: object): void {
  const target = join(root, CACHE_DIR, name);
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ version: CACHE_VERSION, toolchain: toolchainKey(), ...value }));
  renameSync(temp, target);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Definitions: the import graph.

/** Module sources whose effect on the export is invisible to a content hash. */
const IMPURE = /\b(readFileSync|readFile|readdirSync|readdir|existsSync|process\.env|process\.argv|Date\.now|new Date\(|Math\.random|import\.meta\.(url|dirname|filename)|__dirname|__filename|fetch\()|\b(import|require)\s*\(\s*[^"'\s)]/;
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;
const EXTENSIONS = ["", ".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json", "/index.ts", "/index.js"];

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, ...EXTENSIONS.slice(1).map((ext) => base + ext)];
  if (/\.[cm]?js$/.test(specifier)) candidates.push(base.replace(/\.([cm]?)js$/, ".$1ts"));
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/** Hashes of module closures: a module's bytes plus those of every local module it imports. */
export class ModuleGraph {
  private readonly closures = new Map<string, string | null>();

  /** Content hash of `file` and its local imports, or null if the module cannot be cached. */
  closureKey(file: string): string | null {
    const known = this.closures.get(file);
    if (known !== undefined) return known;
    const files = new Map<string, string>();
    const visit = (path: string): boolean => {
      if (files.has(path)) return true;
      let source: string;
      try {
        source = readFileSync(path, "utf8");
      } catch {
        return false;
      }
      files.set(path, source);
      if (path.endsWith(".json")) return true;
      if (IMPURE.test(source)) return false;
      for (const match of source.matchAll(SPECIFIERS)) {
        const specifier = match[1]!;
        if (!specifier.startsWith(".") && !specifier.startsWith("/")) continue; // packages: covered by the toolchain key
        const target = resolveLocal(path, specifier);
        if (!target || !visit(target)) return false;
      }
      return true;
    };
    let key: string | null = null;
    if (visit(file)) {
      const hash = createHash("sha256").update(toolchainKey());
      for (const path of [...files.keys()].sort()) hash.update(`\n${path}\n`).update(files.get(path)!);
      key = hash.digest("hex");
    }
    this.closures.set(file, key);
    return key;
  }
}

/** Only data JSON carries unchanged can be cached: no functions, dates, maps, non-finite numbers. */
function isJsonData(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object":
      if (value === null) return true;
      if (Array.isArray(value)) return value.every((item) => item !== undefined && isJsonData(item));
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      return Object.values(value).every((item) => item === undefined || isJsonData(item));
    default:
      return false;
  }
}

interface CachedDefinition {
  readonly key: string;
  readonly input: unknown;
  /** The input as its schema checked it (defaults applied). */
  parsed?: unknown;
}

interface DefinitionCacheFile {
  readonly modules: Record<string, CachedDefinition>;
}

const DEFINITIONS = "definitions.json";

/** Definition inputs by module closure hash. */
export class DefinitionCache {
  private readonly graph = new ModuleGraph();
  private readonly previous: Record<string, CachedDefinition>;
  private readonly next: Record<string, CachedDefinition> = {};
  private changed = false;
  /** How many definitions came from the cache and how many were imported (for `--json` and the benchmark). */
  hits = 0;
  misses = 0;

  constructor(private readonly root: string) {
    const file = readCache(root, DEFINITIONS, (v): v is DefinitionCacheFile => isRecord(v) && isRecord((v as { modules?: unknown }).modules));
    this.previous = file?.modules ?? {};
  }

  /** The cached default-export input of `file` (repository-relative), or `undefined` on a miss. */
  get(file: string): { hit: true; input: unknown; parsed?: unknown } | { hit: false; key: string | null } {
    const { key, cached } = this.lookup(file);
    if (cached) {
      this.next[file] = cached;
      this.hits++;
      return { hit: true, input: cached.input, ...(cached.parsed !== undefined ? { parsed: cached.parsed } : {}) };
    }
    this.misses++;
    return { hit: false, key };
  }

  /** Whether {@link get} would answer for `file` from the cache (not counted as a hit or a miss). */
  holds(file: string): boolean {
    return this.lookup(file).cached !== undefined;
  }

  /** The closure key of `file`, and its cached record when that record is for this key. */
  private lookup(file: string): { key: string | null; cached?: CachedDefinition } {
    const key = this.graph.closureKey(join(this.root, file));
    const cached = this.previous[file];
    return key && cached && cached.key === key && isRecord(cached) ? { key, cached } : { key };
  }

  set(file: string, key: string | null, input: unknown, parsed?: unknown): void {
    if (!key || !isJsonData(input)) return;
    this.next[file] = { key, input: JSON.parse(JSON.stringify(input)), ...(parsed !== undefined && isJsonData(parsed) ? { parsed: JSON.parse(JSON.stringify(parsed)) } : {}) };
    this.changed = true;
  }

  /** Adds the checked form to a definition that was cached without it. */
  setParsed(file: string, parsed: unknown): void {
    const record = this.next[file];
    if (!record || !isJsonData(parsed)) return;
    this.next[file] = { ...record, parsed: JSON.parse(JSON.stringify(parsed)) };
    this.changed = true;
  }

  /**
   * The parsed, checked form of a data file (a release lock file) whose text hashes to the same
   * value as last time; parsing YAML is the costly part of loading a large fleet's lock files.
   */
  parsedData(file: string, text: string, parse: () => unknown): unknown {
    const id = `data:${file}`;
    const key = sha(text);
    const cached = this.previous[id];
    if (cached && cached.key === key) {
      this.next[id] = cached;
      return structuredClone(cached.input);
    }
    const parsed = parse();
    if (isJsonData(parsed)) {
      this.next[id] = { key, input: JSON.parse(JSON.stringify(parsed)) };
      this.changed = true;
    }
    return parsed;
  }

  save(): void {
    if (!this.changed && Object.keys(this.next).length === Object.keys(this.previous).length) return;
    writeCache(this.root, DEFINITIONS, { modules: this.next });
  }
}

// ---------------------------------------------------------------------------------------------
// Units.

export interface UnitRecord {
  /** Hash of everything the unit's objects are made from. */
  readonly key: string;
  /** Hash of the unit's entries (paths and sha256) in `rendered.json` when they were written. */
  readonly files: string;
  /**
   * Hash of the files' size, mtime and inode when last confirmed by content: while it still
   * matches, the files are not read again (the way git trusts its index). See stat-confirmation.ts.
   */
  readonly stat?: string;
  /** The files `stat` is of: paths relative to `clusters/`, sorted, one per line. */
  readonly paths?: string;
  /** What the tenant and add-on producers need to know about the instance. */
  readonly facts?: InstanceFacts;
}

const UNITS = "units.json";

export function unitKey(parts: readonly string[]): string {
  const hash = createHash("sha256").update(toolchainKey());
  for (const part of parts) hash.update("\n\u0000").update(part);
  return hash.digest("hex");
}

/** Hash of a unit's index entries: which files, with which content. */
export function entriesDigest(entries: Iterable<readonly [string, { readonly sha256: string }]>): string {
  const lines = [...entries].map(([path, entry]) => `${path} ${entry.sha256}`);
  return sha(inOrder(lines).join("\n"));
}

function indexStat(root: string, cluster: string): string | undefined {
  return statDigest(join(root, "clusters", cluster), [RENDERED_INDEX_FILE]);
}

interface UnitCacheFile {
  readonly units: Record<string, UnitRecord>;
  readonly indexes?: Record<string, IndexRecord>;
}

/** A cluster's `rendered.json` as the unfiltered render that wrote the unit records left it. */
interface IndexRecord {
  /**
   * Size, mtime and inode, hashed. While they match, every record's `files` still describes its
   * unit's entries, and `readme` the index's files.
   */
  readonly stat: string;
  readonly readme: ReadmeSummary;
}

function isIndexRecord(value: unknown): value is IndexRecord {
  if (!isRecord(value) || typeof value.stat !== "string" || !isRecord(value.readme)) return false;
  const { count, sections } = value.readme as { count?: unknown; sections?: unknown };
  return typeof count === "number" && isRecord(sections) && Object.values(sections).every((names) => Array.isArray(names) && names.every((n) => typeof n === "string"));
}

export class UnitCache {
  private readonly previous: Record<string, UnitRecord>;
  private readonly previousIndexes: Record<string, IndexRecord>;
  readonly next: Record<string, UnitRecord> = {};
  private readonly nextIndexes: Record<string, IndexRecord> = {};
  /** `indexUntouched`'s answers: asked per instance, decided by one stat per cluster (render does not write an index before it is done asking). */
  private readonly untouched = new Map<string, boolean>();

  constructor(private readonly root: string, readonly enabled: boolean) {
    const file = enabled ? readCache(root, UNITS, (v): v is UnitCacheFile => isRecord(v) && isRecord((v as { units?: unknown }).units)) : undefined;
    this.previous = file?.units ?? {};
    this.previousIndexes = isRecord(file?.indexes) ? Object.fromEntries(Object.entries(file.indexes).filter(([, record]) => isIndexRecord(record))) : {};
  }

  /**
   * Whether `clusters/<cluster>/rendered.json` is, by its stats, the file the last render left:
   * then each record's `files` digest is known to match its unit's entries without hashing them.
   */
  indexUntouched(cluster: string): boolean {
    let untouched = this.untouched.get(cluster);
    if (untouched === undefined) {
      const recorded = this.previousIndexes[cluster];
      this.untouched.set(cluster, (untouched = recorded !== undefined && recorded.stat === indexStat(this.root, cluster)));
    }
    return untouched;
  }

  /** What the README says of the files of `clusters/<cluster>/rendered.json`, recorded with it; ask only while `indexUntouched`. */
  indexReadme(cluster: string): ReadmeSummary | undefined {
    return this.previousIndexes[cluster]?.readme;
  }

  /** Records the stats of `clusters/<cluster>/rendered.json` as this render leaves it, with what the README says of its files. */
  recordIndex(cluster: string, readme: ReadmeSummary): void {
    const stat = indexStat(this.root, cluster);
    if (stat !== undefined) this.nextIndexes[cluster] = { stat, readme };
  }

  /** The record of unit `id` (`<cluster>/<dir>`) if it was rendered from exactly `key`. */
  lookup(id: string, key: string): UnitRecord | undefined {
    const record = this.previous[id];
    return record && record.key === key && typeof record.files === "string" ? record : undefined;
  }

  /** The record of unit `id`, whatever it was rendered from. */
  previousRecord(id: string): UnitRecord | undefined {
    return this.previous[id];
  }

  /** Keeps the records of units this render did not look at (filtered out). */
  keep(id: string): void {
    const record = this.previous[id];
    if (record && !(id in this.next)) this.next[id] = record;
  }

  record(id: string, record: UnitRecord): void {
    this.next[id] = record;
  }

  save(): void {
    writeCache(this.root, UNITS, { units: this.next, indexes: this.nextIndexes });
  }

  /** What the previous records say about their files on disk, for stat-confirmation.ts to check. */
  statClaims(): StatClaim[] {
    const claims: StatClaim[] = [];
    for (const id in this.previous) {
      const { stat, paths } = this.previous[id]!;
      if (typeof stat === "string" && typeof paths === "string") claims.push([id, paths, stat]);
    }
    return claims;
  }

  /** Ids of previously cached units, for keeping out-of-scope records. */
  ids(): string[] {
    return Object.keys(this.previous);
  }
}

export { sha as sha256Hex };
