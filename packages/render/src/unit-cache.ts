/**
 * What the last render made of each unit (an app instance, or the tenants, add-ons and Argo CD
 * objects together): the key of everything the unit was made from, and a digest of the entries it
 * left in `rendered.json`. A unit whose key is the same and whose entries are still those is not
 * synthesized again: its entries are carried into the new index as they are.
 */
import { createHash } from "node:crypto";
import type { RenderedFileEntry } from "@slipway/core";
import { isRecord, readCacheFile, sha256Hex, toolchainKey, writeCacheFile } from "./cache-files";

export interface UnitRecord {
  /** Hash of everything the unit's objects are made from. */
  readonly key: string;
  /** Hash of the unit's entries (paths and sha256) in `rendered.json` when they were written. */
  readonly files: string;
}

const FILE = "units.json";

export function unitKey(parts: readonly string[]): string {
  const hash = createHash("sha256").update(toolchainKey());
  for (const part of parts) hash.update("\n\u0000").update(part);
  return hash.digest("hex");
}

/** Hash of a unit's index entries: which files, with which content. */
export function entriesDigest(entries: Iterable<readonly [string, RenderedFileEntry]>): string {
  const lines = [...entries].map(([path, entry]) => `${path} ${entry.sha256}`).sort();
  return sha256Hex(lines.join("\n"));
}

export class UnitCache {
  private readonly next: Record<string, UnitRecord> = {};

  private constructor(private readonly root: string | undefined, private readonly previous: Readonly<Record<string, UnitRecord>>) {}

  /** The records the last render left (none if the cache is missing, unreadable or of another toolchain). */
  static read(root: string): UnitCache {
    const file = readCacheFile<{ units: Record<string, unknown> }>(root, FILE, (v) => isRecord(v.units));
    const units = Object.entries(file?.units ?? {}).filter(([, r]) => isRecord(r) && typeof r.key === "string" && typeof r.files === "string");
    return new UnitCache(root, Object.fromEntries(units) as Record<string, UnitRecord>);
  }

  /** No cache: every unit is synthesized, nothing is recorded. */
  static none(): UnitCache {
    return new UnitCache(undefined, {});
  }

  /** The record of unit `id` if it was made from exactly `key`. */
  lookup(id: string, key: string): UnitRecord | undefined {
    const record = this.previous[id];
    return record?.key === key ? record : undefined;
  }

  record(id: string, record: UnitRecord): void {
    this.next[id] = record;
  }

  /** Keeps the record of a unit this render left alone (outside its filter). */
  keep(id: string): void {
    const record = this.previous[id];
    if (record && !(id in this.next)) this.next[id] = record;
  }

  ids(): string[] {
    return Object.keys(this.previous);
  }

  save(): void {
    if (this.root) writeCacheFile(this.root, FILE, { units: this.next });
  }
}
