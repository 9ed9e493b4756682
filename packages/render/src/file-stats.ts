/**
 * Files proven unchanged by their stats (size, mtime, inode), the way git trusts its index. Only
 * Node built-ins here: the stat worker thread (stat-confirmation.ts) loads this module alone, so
 * it starts in a few milliseconds instead of loading render.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { join } from "node:path";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** `items` sorted; they usually come in index order already, and then are returned as they are. */
export function inOrder<T extends readonly string[]>(items: T): T {
  for (let i = 1; i < items.length; i++) if (!(items[i - 1]! < items[i]!)) return [...items].sort() as unknown as T;
  return items;
}

/** Size, mtime and inode of each file, hashed; `undefined` if one is missing. */
export function statDigest(dir: string, paths: readonly string[]): string | undefined {
  let text = "";
  for (const path of inOrder(paths)) {
    const stat = statSync(join(dir, path), { throwIfNoEntry: false });
    if (!stat) return undefined;
    text += `${path}\u0000${stat.size}\u0000${stat.mtimeMs}\u0000${stat.ino}\n`;
  }
  return sha256Hex(text);
}

/** A unit's record says: these files (relative to `clusters/`, one per line) had this stat digest. */
export type StatClaim = readonly [id: string, paths: string, stat: string];

function splitPaths(paths: string): string[] {
  return paths === "" ? [] : paths.split("\n");
}

/** The ids of the claims that still hold. */
export function heldClaims(clustersDir: string, claims: readonly StatClaim[]): string[] {
  return claims.filter(([, paths, stat]) => statDigest(clustersDir, splitPaths(paths)) === stat).map(([id]) => id);
}
