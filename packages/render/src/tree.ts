/**
 * Stage: write the tree. The only module that touches `clusters/` on disk.
 *
 * Atomicity: the next tree is staged beside the current one (unchanged files hard-linked, so
 * they are not rewritten; changed files written fresh) and swapped in with two renames. A
 * render that fails or is killed before the swap leaves `clusters/` exactly as it was; the
 * next run cleans the staging area and, if a kill landed between the two renames, puts the
 * previous tree back before doing anything else.
 */
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Scratch space for staging, ignored by git. */
export const WORK_DIR = ".slipway";
const NEXT = "next-clusters";
const PREVIOUS = "previous-clusters";

export interface TreeChange {
  /** Paths relative to `clusters/`. */
  readonly write: ReadonlyMap<string, string>;
  readonly remove: ReadonlySet<string>;
}

/** Restores the previous tree if a swap was interrupted; removes leftovers of a killed render. */
export function recoverInterruptedRender(root: string): void {
  const clusters = join(root, "clusters");
  const previous = join(root, WORK_DIR, PREVIOUS);
  if (!existsSync(clusters) && existsSync(previous)) renameSync(previous, clusters);
  rmSync(join(root, WORK_DIR, NEXT), { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
}

export function readTreeFile(root: string, path: string): string | undefined {
  try {
    return readFileSync(join(root, "clusters", path), "utf8");
  } catch {
    return undefined;
  }
}

/** Mirrors `from` into `to`: directories recreated, files hard-linked, except what the change replaces or removes. */
function mirror(from: string, to: string, relative: string, change: TreeChange): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) mirror(source, target, path, change);
    else if (change.remove.has(path) || change.write.has(path)) continue;
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else linkSync(source, target);
  }
}

/** Removes directories left empty by deletions, below `clusters/` only. */
function pruneEmptyDirectories(dir: string, isTop: boolean): boolean {
  let empty = true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && pruneEmptyDirectories(join(dir, entry.name), false)) continue;
    empty = false;
  }
  if (empty && !isTop) rmSync(dir, { recursive: true });
  return empty;
}

export function applyTreeChange(root: string, change: TreeChange): void {
  if (change.write.size === 0 && change.remove.size === 0) return;
  const clusters = join(root, "clusters");
  const next = join(root, WORK_DIR, NEXT);
  const previous = join(root, WORK_DIR, PREVIOUS);
  rmSync(next, { recursive: true, force: true });
  mkdirSync(dirname(next), { recursive: true });
  if (existsSync(clusters)) mirror(clusters, next, "", change);
  else mkdirSync(next, { recursive: true });
  for (const [path, content] of change.write) {
    const target = join(next, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  pruneEmptyDirectories(next, true);
  if (existsSync(clusters)) {
    renameSync(clusters, previous);
    renameSync(next, clusters);
    rmSync(previous, { recursive: true, force: true });
  } else {
    renameSync(next, clusters);
  }
}

/** Every regular file below `clusters/<dir>`, relative to `clusters/`. */
export function listTreeFiles(root: string, dir: string): string[] {
  const base = join(root, "clusters", dir);
  if (!existsSync(base) || !lstatSync(base).isDirectory()) return [];
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(join(abs, entry.name), path);
      else out.push(path);
    }
  };
  walk(base, dir);
  return out.sort();
}
