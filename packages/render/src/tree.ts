/**
 * Stage: write the tree. The only module that changes `clusters/` on disk.
 *
 * Atomic by an undo journal, so a render costs what it changes, not what the tree holds:
 *   1. stage: every new file is written under `.slipway/txn/staged/`; every file about to be
 *      replaced or deleted is hard-linked under `.slipway/txn/backup/` (no copy);
 *   2. `journal.json` (the writes and removals) is written and renamed into place;
 *   3. apply: removals, then each staged file renamed over its target (atomic per file);
 *   4. commit: the journal is deleted, then the scratch directory.
 * A failure during apply rolls back at once. A render killed after step 2 is rolled back by the
 * next render, before it does anything else. Rolling back restores each file from its backup by
 * a fresh link and keeps the backups until the journal is gone, so it can itself be killed and
 * run again any number of times: every run ends in the same tree, the one before the change.
 *
 * Paths come from the index and the journal: both are checked to name files inside `clusters/`,
 * and nothing is written or deleted through a symbolic link.
 */
import { linkSync, lstatSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SlipwayError } from "@slipway/core";
import { isTreePath, throughLink } from "./tree-paths";

/** Scratch space for staging, the lock and caches, ignored by git. */
export const WORK_DIR = ".slipway";
const TXN = "txn";
const JOURNAL = "journal.json";

export interface TreeChange {
  /** Paths relative to `clusters/`. */
  readonly write: ReadonlyMap<string, string>;
  readonly remove: ReadonlySet<string>;
}

interface Journal {
  readonly write: readonly string[];
  readonly remove: readonly string[];
}

/** Fault injection for tests: called after each file operation of the apply and roll-back steps. */
export interface TreeHooks {
  readonly afterOperation?: (done: number) => void;
}

/** The kill test (scripts/kill-test.ts) kills the process after this many file operations. */
function killHook(): TreeHooks {
  const at = Number(process.env.SLIPWAY_KILL_AFTER_OPERATIONS);
  return Number.isInteger(at) && at > 0 ? { afterOperation: (done) => done === at && process.kill(process.pid, "SIGKILL") } : {};
}

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

/** Puts `backup` at `target` by a new link, atomically, and keeps the backup for a rerun. */
function restore(backup: string, target: string): void {
  const saved = lstatSync(backup);
  const current = lstatSync(target, { throwIfNoEntry: false });
  // Still the backed-up file (a link to it): nothing to undo. (rename() would do nothing here anyway.)
  if (current && current.ino === saved.ino && current.dev === saved.dev) return;
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.slipway-restore`;
  rmSync(temporary, { force: true });
  linkSync(backup, temporary);
  renameSync(temporary, target);
}

/** Undoes an interrupted apply; idempotent, so a kill during it is undone by running it again. */
function rollBack(clusters: string, txn: string, journal: Journal, hooks: TreeHooks): void {
  const backup = join(txn, "backup");
  let done = 0;
  for (const path of journal.write) {
    const target = join(clusters, path);
    if (exists(join(backup, path))) restore(join(backup, path), target);
    else {
      rmSync(target, { force: true });
      pruneEmptyAncestors(dirname(target), clusters);
    }
    hooks.afterOperation?.(++done);
  }
  for (const path of journal.remove) {
    if (exists(join(backup, path))) restore(join(backup, path), join(clusters, path));
    hooks.afterOperation?.(++done);
  }
}

function damagedJournal(why: string): SlipwayError {
  return new SlipwayError(`the journal of an interrupted render is unreadable: ${why}`, {
    file: `${WORK_DIR}/${TXN}/${JOURNAL}`,
    hint: "run `npx slipway render --repair`: it discards the journal and re-renders every file from the definitions",
  });
}

function readJournal(file: string): Journal {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw damagedJournal((error as Error).message.split("\n")[0]!.slice(0, 120));
  }
  const { write, remove } = (value ?? {}) as Partial<Journal>;
  if (!Array.isArray(write) || !Array.isArray(remove)) throw damagedJournal("it does not list the files written and removed");
  const outside = [...write, ...remove].find((path) => !isTreePath(path));
  if (outside !== undefined) throw damagedJournal(`it names ${JSON.stringify(outside).slice(0, 120)}, which is not a path inside clusters/`);
  return { write, remove };
}

/**
 * Restores the previous tree if a render was killed while applying, and removes a killed render's
 * leftovers. Returns whether a change had to be undone: the tree is then re-rendered in full.
 */
export function recoverInterruptedRender(root: string, hooks: TreeHooks = killHook()): boolean {
  const clusters = join(root, "clusters");
  const txn = join(root, WORK_DIR, TXN);
  const journalFile = join(txn, JOURNAL);
  let recovered = false;
  if (exists(journalFile)) {
    const journal = readJournal(journalFile);
    const guard = throughLink(clusters);
    for (const path of [...journal.write, ...journal.remove]) guard(path);
    rollBack(clusters, txn, journal, hooks);
    unlinkSync(journalFile);
    recovered = true;
  }
  rmSync(txn, { recursive: true, force: true });
  return recovered;
}

/** Whether a killed render's journal waits to be rolled back (`render --check` reads, never recovers). */
export function interruptedRenderPending(root: string): boolean {
  return exists(join(root, WORK_DIR, TXN, JOURNAL));
}

/** Discards a damaged journal and staging area (`render --repair`, which then re-renders every file). */
export function discardJournal(root: string): void {
  rmSync(join(root, WORK_DIR, TXN), { recursive: true, force: true });
}

/** The file's content, or `undefined` if there is none (a link is not read through). */
export function readTreeFile(root: string, path: string): string | undefined {
  const file = join(root, "clusters", path);
  if (lstatSync(file, { throwIfNoEntry: false })?.isFile() !== true) return undefined;
  return readFileSync(file, "utf8");
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

/** The first ancestor directory of `path` missing under `dir`, remembered as of the first question. */
function topmostMissingDirectory(dir: string): (path: string) => string | undefined {
  const present = new Map<string, boolean>();
  return (path) => {
    const segments = path.split("/");
    for (let i = 1; i < segments.length; i++) {
      const prefix = segments.slice(0, i).join("/");
      let found = present.get(prefix);
      if (found === undefined) present.set(prefix, (found = lstatSync(join(dir, prefix), { throwIfNoEntry: false })?.isDirectory() ?? false));
      if (!found) return prefix;
    }
    return undefined;
  };
}

export function applyTreeChange(root: string, change: TreeChange, hooks: TreeHooks = killHook()): void {
  if (change.write.size === 0 && change.remove.size === 0) return;
  const clusters = join(root, "clusters");
  const txn = join(root, WORK_DIR, TXN);
  const staged = join(txn, "staged");
  const backup = join(txn, "backup");
  const guard = throughLink(clusters);
  for (const path of [...change.write.keys(), ...change.remove]) {
    if (!isTreePath(path)) throw new SlipwayError(`refusing to write outside clusters/: ${JSON.stringify(path)}`, { hint: "a rendered path must stay inside clusters/" });
    guard(path);
  }
  const mkdir = directoryMaker();
  rmSync(txn, { recursive: true, force: true });

  // 1. Stage. Nothing under clusters/ changes yet.
  for (const [path, content] of change.write) {
    mkdir(dirname(join(staged, path)));
    writeFileSync(join(staged, path), content);
  }
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
        mkdir(dirname(join(clusters, top)));
        renameSync(join(staged, top), join(clusters, top));
        moved.add(top);
      }
      hooks.afterOperation?.(++done);
    }
  } catch (error) {
    rollBack(clusters, txn, journal, {});
    unlinkSync(join(txn, JOURNAL));
    rmSync(txn, { recursive: true, force: true });
    throw error;
  }
  // 4. Commit.
  unlinkSync(join(txn, JOURNAL));
  rmSync(txn, { recursive: true, force: true });
}
