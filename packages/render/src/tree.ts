/**
 * Stage: write the tree. The only module that touches `clusters/` on disk.
 *
 * Atomicity by an undo journal, so a render costs what it changes, not what the tree holds
 * (mirroring a 20,000-file tree to swap it whole dominated incremental renders):
 *   1. stage: every new file is written under `.slipway/txn/staged/`; every file about to be
 *      replaced or deleted is hard-linked under `.slipway/txn/backup/` (no copy);
 *   2. `journal.json` (the list of writes and removals) is written and renamed into place;
 *   3. apply: removals, then each staged file renamed over its target (atomic per file);
 *   4. commit: the journal is deleted, then the scratch directory.
 * A failure during apply rolls back at once. A render killed before step 2 never touched
 * `clusters/`; one killed between 2 and 4 is rolled back by `recoverInterruptedRender`, which
 * every write-mode render runs first: the backups go back, files the render added go away.
 * So after a failed or killed render the tree is the previous one, byte for byte.
 *
 * Staging touches only the scratch directory, so it may start before the change is known
 * (a {@link Staging} filled while instances are still being synthesized): creating thousands of
 * files is the slowest part of a full render, and it then overlaps with synthesis.
 */
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Scratch space for staging and caches, ignored by git. */
export const WORK_DIR = ".slipway";
const TXN = "txn";
const JOURNAL = "journal.json";
/** Layout of the earlier whole-tree swap, still recovered if a kill left it behind. */
const LEGACY_NEXT = "next-clusters";
const LEGACY_PREVIOUS = "previous-clusters";

export interface TreeChange {
  /** Paths relative to `clusters/`. */
  readonly write: ReadonlyMap<string, string>;
  readonly remove: ReadonlySet<string>;
}

interface Journal {
  readonly write: readonly string[];
  readonly remove: readonly string[];
}

/** Without an exception for a missing path: thousands of them on a full render add up. */
function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/** Removes `dir` and its ancestors while they are empty, stopping at `stop`. */
function pruneEmptyAncestors(dir: string, stop: string): void {
  for (let current = dir; current !== stop && current.startsWith(stop); current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return; // not empty (or gone): ancestors are not empty either
    }
  }
}

/** Puts back what an interrupted apply changed: undo writes, then undo removals. */
function rollBack(clusters: string, txn: string, journal: Journal): void {
  const backup = join(txn, "backup");
  for (const path of journal.write) {
    const target = join(clusters, path);
    if (exists(join(backup, path))) {
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(backup, path), target);
    } else {
      rmSync(target, { force: true });
      pruneEmptyAncestors(dirname(target), clusters);
    }
  }
  for (const path of journal.remove) {
    const target = join(clusters, path);
    if (exists(join(backup, path)) && !exists(target)) {
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(backup, path), target);
    }
  }
}

/** Restores the previous tree if a render was killed while applying; removes leftovers of a killed render. */
export function recoverInterruptedRender(root: string): void {
  const clusters = join(root, "clusters");
  const txn = join(root, WORK_DIR, TXN);
  const journalFile = join(txn, JOURNAL);
  if (existsSync(journalFile)) {
    rollBack(clusters, txn, JSON.parse(readFileSync(journalFile, "utf8")) as Journal);
  }
  rmSync(txn, { recursive: true, force: true });
  const previous = join(root, WORK_DIR, LEGACY_PREVIOUS);
  if (!existsSync(clusters) && existsSync(previous)) renameSync(previous, clusters);
  rmSync(join(root, WORK_DIR, LEGACY_NEXT), { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
}

export function readTreeFile(root: string, path: string): string | undefined {
  try {
    return readFileSync(join(root, "clusters", path), "utf8");
  } catch {
    return undefined;
  }
}

/** Creates directories once per render, not once per file. */
function directoryMaker(): (dir: string) => void {
  const made = new Set<string>();
  return (dir) => {
    if (made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  };
}

/**
 * For a file path relative to `dir`, the first of its ancestor directories missing under `dir`
 * (`undefined` when its directory exists). Answers are remembered as of the first question, so
 * every file below a directory moved into place still names that directory.
 */
function topmostMissingDirectory(dir: string): (path: string) => string | undefined {
  const present = new Map<string, boolean>();
  return (path) => {
    const segments = path.split("/");
    for (let i = 1; i < segments.length; i++) {
      const prefix = segments.slice(0, i).join("/");
      let exists = present.get(prefix);
      if (exists === undefined) present.set(prefix, (exists = isDirectory(join(dir, prefix))));
      if (!exists) return prefix;
    }
    return undefined;
  };
}

function isDirectory(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Fault injection for tests: called after each file operation of the apply step. */
export interface ApplyHooks {
  readonly afterOperation?: (done: number) => void;
}

/**
 * Step 1 of a change, possibly begun before the change is complete: files written under the
 * scratch directory, never under `clusters/`. Discard it when the render fails.
 */
export class Staging {
  private readonly dir: string;
  private readonly mkdir = directoryMaker();
  private readonly files = new Map<string, string>();

  constructor(root: string) {
    this.dir = join(root, WORK_DIR, TXN, "staged");
    rmSync(join(root, WORK_DIR, TXN), { recursive: true, force: true });
  }

  /** Writes `content` as the next version of `clusters/<path>`. */
  stage(path: string, content: string): void {
    if (this.files.get(path) === content) return;
    const target = join(this.dir, path);
    this.mkdir(dirname(target));
    writeFileSync(target, content);
    this.files.set(path, content);
  }

  /** Staged files the final change does not write (a render that changed its mind): removed before the journal. */
  dropAllBut(write: ReadonlyMap<string, string>): void {
    for (const path of this.files.keys()) {
      if (!write.has(path)) {
        rmSync(join(this.dir, path), { force: true });
        this.files.delete(path);
      }
    }
  }

  discard(): void {
    rmSync(dirname(this.dir), { recursive: true, force: true });
    this.files.clear();
  }
}

export function applyTreeChange(root: string, change: TreeChange, hooks: ApplyHooks = {}, staging: Staging = new Staging(root)): void {
  if (change.write.size === 0 && change.remove.size === 0) {
    staging.discard();
    return;
  }
  const clusters = join(root, "clusters");
  const txn = join(root, WORK_DIR, TXN);
  const staged = join(txn, "staged");
  const backup = join(txn, "backup");
  const mkdir = directoryMaker();

  // 1. Stage (what was not staged already). Nothing under clusters/ changes yet.
  staging.dropAllBut(change.write);
  for (const [path, content] of change.write) staging.stage(path, content);
  for (const path of [...change.write.keys(), ...change.remove]) {
    const current = join(clusters, path);
    if (!exists(current)) continue;
    mkdir(dirname(join(backup, path)));
    linkSync(current, join(backup, path));
  }
  // 2. The journal makes the change recoverable; from here a kill is rolled back by the next render.
  const journal: Journal = { write: [...change.write.keys()], remove: [...change.remove] };
  writeFileSync(join(txn, `${JOURNAL}.tmp`), JSON.stringify(journal));
  renameSync(join(txn, `${JOURNAL}.tmp`), join(txn, JOURNAL));

  // 3. Apply.
  let done = 0;
  try {
    for (const path of change.remove) {
      const target = join(clusters, path);
      rmSync(target, { force: true });
      pruneEmptyAncestors(dirname(target), clusters);
      hooks.afterOperation?.(++done);
    }
    // A directory the tree does not have yet is moved whole, with every staged file in it: on a
    // full render that is one rename per new app directory instead of a mkdir and a rename per file.
    const missingTop = topmostMissingDirectory(clusters);
    const moved = new Set<string>();
    for (const path of change.write.keys()) {
      const top = missingTop(path);
      if (top === undefined) renameSync(join(staged, path), join(clusters, path));
      else if (!moved.has(top)) {
        renameSync(join(staged, top), join(clusters, top));
        moved.add(top);
      }
      hooks.afterOperation?.(++done);
    }
  } catch (error) {
    rollBack(clusters, txn, journal);
    rmSync(txn, { recursive: true, force: true });
    throw error;
  }
  // 4. Commit.
  unlinkSync(join(txn, JOURNAL));
  rmSync(txn, { recursive: true, force: true });
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
