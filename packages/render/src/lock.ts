/**
 * One writer at a time: `.slipway/lock` is created exclusively by every command that changes the
 * checkout (render, release, promote) and removed when it ends. A lock whose process is gone (same
 * host, pid no longer running) is stale and taken over; a live one is waited for briefly, then the
 * command stops, naming the holder.
 */
import { hostname } from "node:os";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SlipwayError } from "@slipway/core";
import { WORK_DIR } from "./tree";

const LOCK = "lock";
/** How long a second writer waits for the first before giving up (`SLIPWAY_LOCK_WAIT_MS`). */
const WAIT_MS = 10_000;
const POLL_MS = 100;

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): Holder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as Partial<Holder>;
    return typeof value.pid === "number" && typeof value.host === "string" ? (value as Holder) : undefined;
  } catch {
    return undefined;
  }
}

function tryLock(path: string, holder: Holder): boolean {
  try {
    writeFileSync(path, JSON.stringify(holder), { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const current = readHolder(path);
    // A lock left by a process that is gone (killed, crashed) is stale; one half-written is too.
    if (!current || (current.host === holder.host && !alive(current.pid))) {
      rmSync(path, { force: true });
      return tryLock(path, holder);
    }
    return false;
  }
}

/** Runs `task` holding the checkout's write lock. */
export async function withWriteLock<T>(root: string, command: string, task: () => Promise<T>): Promise<T> {
  const dir = join(root, WORK_DIR);
  const path = join(dir, LOCK);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new SlipwayError(`cannot write to this checkout: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      file: WORK_DIR, hint: `slipway ${command} writes clusters/ and ${WORK_DIR}/: run it where you may write (\`slipway render --check\` only reads)`,
    });
  }
  const holder: Holder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  const wait = Number(process.env.SLIPWAY_LOCK_WAIT_MS ?? WAIT_MS);
  const deadline = Date.now() + (Number.isFinite(wait) && wait >= 0 ? wait : WAIT_MS);
  while (!tryLock(path, holder)) {
    if (Date.now() >= deadline) {
      const current = readHolder(path);
      throw new SlipwayError(`another slipway command is changing this checkout: ${current ? `\`slipway ${current.command}\` (pid ${current.pid} on ${current.host}, since ${current.since})` : "unknown holder"}`, {
        file: `${WORK_DIR}/${LOCK}`,
        hint: "wait for it to finish and run this again; if no such process runs any more, delete the lock file",
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await task();
  } finally {
    if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
  }
}
