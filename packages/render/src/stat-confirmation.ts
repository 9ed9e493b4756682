/**
 * Which cached units' files are still as the last render confirmed them, judged by their size,
 * mtime and inode (file-stats.ts), the way git trusts its index. That takes one stat per
 * rendered file: tens of thousands on a large fleet, the largest share of an incremental render
 * when done in line. So with many files it runs on a worker thread started as the render starts,
 * on another core while this one loads the definitions and reads the indexes; with few, here,
 * when first asked.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { UnitCache } from "./cache";
import { heldClaims, type StatClaim } from "./file-stats";
import { requestedWorkers } from "./parallel";
import { WORKER_ENTRY } from "./worker-url";

/** Below this many files a worker costs more to start than the stats it takes off this thread. */
const MIN_FILES_FOR_WORKER = 4000;

/** Whether the claims name at least `enough` files (counted only until then). */
function namesAtLeast(claims: readonly StatClaim[], enough: number): boolean {
  let count = 0;
  for (const [, paths] of claims) {
    if (paths === "") continue;
    count++;
    for (let at = paths.indexOf("\n"); at !== -1 && count < enough; at = paths.indexOf("\n", at + 1)) count++;
    if (count >= enough) return true;
  }
  return false;
}

export interface StatConfirmationOptions {
  /** Worker threads allowed (0: none); `undefined` leaves it to the number of files. */
  readonly workers?: number;
  /** Files from which a worker is used (tests lower it to drive the worker with a small fleet). */
  readonly minFilesForWorker?: number;
}

export class StatConfirmation {
  private worker: Worker | undefined;
  private held: Promise<ReadonlySet<string>> | undefined;

  private constructor(
    private readonly clustersDir: string,
    private readonly claims: readonly StatClaim[],
  ) {}

  /** Starts checking the claims of the last render's unit records, on a worker when there are many files. */
  static start(root: string, units: UnitCache, options: StatConfirmationOptions = {}): StatConfirmation {
    const confirmation = new StatConfirmation(join(root, "clusters"), units.statClaims());
    const workers = requestedWorkers(options.workers);
    if (workers !== 0 && namesAtLeast(confirmation.claims, options.minFilesForWorker ?? MIN_FILES_FOR_WORKER)) confirmation.startWorker();
    return confirmation;
  }

  private startWorker(): void {
    const worker = new Worker(WORKER_ENTRY, { workerData: { role: "confirm-stats", clustersDir: this.clustersDir, claims: this.claims } });
    this.worker = worker;
    this.held = new Promise<ReadonlySet<string>>((resolve) => {
      let answered = false;
      // A worker that fails or exits without an answer leaves the check to this thread.
      const fallBack = () => {
        if (!answered) resolve(this.checkHere());
        answered = true;
      };
      worker.once("message", (ids: string[]) => {
        answered = true;
        resolve(new Set(ids));
      });
      worker.once("error", fallBack);
      worker.once("exit", fallBack);
    });
  }

  private checkHere(): ReadonlySet<string> {
    return new Set(heldClaims(this.clustersDir, this.claims));
  }

  /** Whether the check runs on a worker thread. */
  get onWorker(): boolean {
    return this.worker !== undefined;
  }

  /** Ids of the units whose files are unchanged since their record was made. */
  unchanged(): Promise<ReadonlySet<string>> {
    return (this.held ??= Promise.resolve(this.checkHere()));
  }

  /** Stops a worker still checking (a render that failed before it needed the answer). */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}
