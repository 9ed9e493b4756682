/**
 * Checked definitions kept between renders, so an unchanged definition is neither compiled nor
 * imported again. An entry is the value a definition module exported (checked against its schema)
 * together with what it was made from: the content hash of every repository file esbuild read to
 * compile it and of the declared environment variables' values. It is used only while each of
 * those hashes is still the same, so a stale entry, or one copied from another checkout, is
 * ignored, never trusted. Release lock files are kept by the hash of their text the same way.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { isRecord, readCacheFile, sha256Hex, writeCacheFile } from "./cache-files";

interface Entry {
  /** Repository-relative path → sha256 of its content when the value was computed. */
  readonly inputs: Readonly<Record<string, string>>;
  /** sha256 of the declared environment variables' values. */
  readonly env: string;
  readonly value: unknown;
}

const FILE = "definitions.json";

/** Only data JSON carries unchanged can be kept: no functions, dates, maps, non-finite numbers. */
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

function isEntry(value: unknown): value is Entry {
  return isRecord(value) && isRecord(value.inputs) && Object.values(value.inputs).every((h) => typeof h === "string") && typeof value.env === "string" && "value" in value;
}

export class DefinitionCache {
  private readonly previous: Record<string, Entry>;
  private readonly next: Record<string, Entry> = {};
  private readonly hashes = new Map<string, string | undefined>();
  private readonly env: string;
  /** How many definitions came from the cache and how many were loaded (for `--json` and the benchmark). */
  hits = 0;
  misses = 0;

  constructor(private readonly root: string, env: Readonly<Record<string, string | null>>) {
    this.env = sha256Hex(JSON.stringify(Object.entries(env).sort()));
    const file = readCacheFile<{ entries: Record<string, unknown> }>(root, FILE, (v) => isRecord(v.entries));
    this.previous = Object.fromEntries(Object.entries(file?.entries ?? {}).filter(([, entry]) => isEntry(entry))) as Record<string, Entry>;
  }

  /** Whether `file` has a kept value made from exactly what it is made of now. */
  holds(file: string): boolean {
    const entry = this.previous[file];
    return entry !== undefined && entry.env === this.env && Object.entries(entry.inputs).every(([path, hash]) => this.hashOf(path) === hash);
  }

  /** The kept value of `file` while everything it was made from is unchanged; `undefined` otherwise. */
  get(file: string): unknown {
    const entry = this.previous[file];
    if (!entry || !this.holds(file)) {
      this.misses++;
      return undefined;
    }
    this.next[file] = entry;
    this.hits++;
    return structuredClone(entry.value);
  }

  /** Keeps `value` of `file`, made from `inputs` (repository-relative files, as compiled). */
  set(file: string, inputs: readonly string[], value: unknown): void {
    if (!isJsonData(value)) return;
    const hashes: Record<string, string> = {};
    for (const path of inputs) {
      const hash = this.hashOf(path);
      if (hash === undefined) return;
      hashes[path] = hash;
    }
    this.next[file] = { inputs: hashes, env: this.env, value: JSON.parse(JSON.stringify(value)) };
  }

  /** The parsed, checked form of a data file (a release lock file) whose text is as last time. */
  parsedData(file: string, text: string, parse: () => unknown): unknown {
    const id = `data:${file}`;
    const hash = sha256Hex(text);
    const entry = this.previous[id];
    if (entry && entry.inputs[file] === hash) {
      this.next[id] = entry;
      return structuredClone(entry.value);
    }
    const value = parse();
    if (isJsonData(value)) this.next[id] = { inputs: { [file]: hash }, env: "", value: JSON.parse(JSON.stringify(value)) };
    return value;
  }

  save(): void {
    writeCacheFile(this.root, FILE, { entries: this.next });
  }

  /** sha256 of a repository file's content, read once per render; `undefined` if it cannot be read. */
  private hashOf(path: string): string | undefined {
    // A cache file names the paths it read; one that points outside the repository is not followed.
    if (isAbsolute(path) || path.split(/[\\/]/).includes("..")) return undefined;
    if (!this.hashes.has(path)) {
      let hash: string | undefined;
      try {
        hash = sha256Hex(readFileSync(join(this.root, path)));
      } catch {
        hash = undefined;
      }
      this.hashes.set(path, hash);
    }
    return this.hashes.get(path);
  }
}
