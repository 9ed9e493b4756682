/**
 * Synthesis of app instances across cores. Each instance is independent (its own cdk8s App),
 * so instances are cut into chunks that the main thread and worker threads take from one
 * queue. Workers receive the loaded fleet once and return finished files (YAML, sha256,
 * index entry), so the main thread only compares and writes.
 *
 * Workers can be started before the fleet is loaded (`SynthesisPool.start`): loading the
 * construct libraries then happens on another core while the main thread loads the fleet and
 * checks the tree, and an edit that re-renders a few instances never loads them on the main thread.
 *
 * Errors keep their class and message: a chunk that fails in a worker is synthesized again on
 * the main thread, which throws the real error (a PolicyError naming file and field, …).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { RenderedFile } from "./files";
import type { Fleet } from "./fleet";
import type { AppInstance } from "./produce-apps";
import type { synthesizeChunk } from "./synthesize-chunk";
import { WORKER_ENTRY } from "./worker-url";

/** Synthesis on this thread; loaded only when used, since it loads the construct libraries. */
let local: typeof synthesizeChunk | undefined;
async function localSynthesis(): Promise<typeof synthesizeChunk> {
  return (local ??= (await import("./synthesize-chunk")).synthesizeChunk);
}

/** Below this many instances a worker costs more to start (tsx, cdk8s) than it saves. */
export const MIN_INSTANCES_FOR_WORKERS = 120;
/** Instances per chunk: large enough to amortize a message, small enough to balance the threads. */
const CHUNK = 40;

export interface SynthesizeOptions {
  /** Worker threads; `undefined` picks one per core beyond the first, when the work is large enough. */
  readonly workers?: number;
  /** Instances per chunk (default 40). */
  readonly chunkSize?: number;
  /** Receives each chunk's files as soon as they are synthesized (in completion order). */
  readonly onChunk?: (files: readonly RenderedFile[]) => void;
  /**
   * Main-thread work to interleave with synthesis, a small batch per call (such as writing the
   * files received so far); returns false when there is nothing to do for now. Preferred over
   * synthesizing on the main thread, since it does not need the workers' CPU.
   */
  readonly background?: () => boolean;
  /** Workers started earlier (`SynthesisPool.start`); whoever started them closes them. */
  readonly pool?: SynthesisPool;
}

interface WorkerReply {
  readonly id: number;
  readonly files?: RenderedFile[];
  readonly failed?: boolean;
}

interface Job {
  reply(reply: WorkerReply): void;
  lost(error: Error): void;
}

/**
 * One synthesis worker: its replies go to the job it works on. Work can be sent while it is
 * still loading its modules: messages wait in its port until it listens.
 */
class SynthesisWorker {
  private readonly worker = new Worker(WORKER_ENTRY, { workerData: { role: "synthesis" } });
  job: Job | undefined;
  /** Set when the worker failed or exited; it takes no more work. */
  dead = false;
  private fleetSent = false;

  constructor() {
    this.worker.on("message", (reply: WorkerReply) => this.job?.reply(reply));
    const lost = (error: Error) => {
      if (this.dead) return;
      this.dead = true;
      this.job?.lost(error);
    };
    this.worker.on("error", lost);
    this.worker.on("exit", (code) => lost(new Error(`render worker exited with code ${code}`)));
  }

  send(fleet: Fleet, id: number, instances: readonly AppInstance[]): void {
    if (!this.fleetSent) this.worker.postMessage({ fleet });
    this.fleetSent = true;
    this.worker.postMessage({ id, instances });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/** Worker threads for synthesis, started ahead of the work they will get. */
export class SynthesisPool {
  private constructor(readonly workers: readonly SynthesisWorker[]) {}

  /** Starts `count` workers now (default: one per core beyond the first). */
  static start(count = availableParallelism() - 1): SynthesisPool {
    return new SynthesisPool(Array.from({ length: Math.max(0, count) }, () => new SynthesisWorker()));
  }

  close(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Worker threads asked for: by the caller, else by `SLIPWAY_WORKERS`; `undefined` leaves it to render. */
export function requestedWorkers(workers: number | undefined): number | undefined {
  return workers ?? (process.env.SLIPWAY_WORKERS === undefined ? undefined : Number(process.env.SLIPWAY_WORKERS));
}

export async function synthesizeInstances(fleet: Fleet, instances: readonly AppInstance[], options: SynthesizeOptions = {}): Promise<RenderedFile[]> {
  const size = options.chunkSize ?? CHUNK;
  const chunks: AppInstance[][] = [];
  for (let i = 0; i < instances.length; i += size) chunks.push(instances.slice(i, i + size));
  // Workers already started are used for any amount of work; new ones only for enough of it.
  const started = options.pool?.workers.length ?? 0;
  const wanted = requestedWorkers(options.workers) ?? (instances.length >= MIN_INSTANCES_FOR_WORKERS ? availableParallelism() - 1 : 0);
  const count = started > 0 ? started : Math.max(0, Math.min(wanted, chunks.length - 1));
  if (count === 0 || chunks.length === 0) {
    const files = (await localSynthesis())(fleet, instances);
    options.onChunk?.(files);
    return files;
  }
  const pool = started > 0 ? options.pool! : SynthesisPool.start(count);

  const results: RenderedFile[][] = new Array(chunks.length);
  let next = 0;
  let completed = 0;
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const all = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  let wake: (() => void) | undefined;
  const complete = (id: number, files: RenderedFile[]) => {
    results[id] = files;
    options.onChunk?.(files);
    if (++completed === chunks.length) finish();
    wake?.();
  };
  let alive = 0;
  for (const worker of pool.workers) {
    if (worker.dead) continue;
    alive++;
    let inFlight = 0;
    const give = () => {
      // Two chunks in flight, so a worker never waits for the main thread to hand it work.
      while (inFlight < 2 && next < chunks.length) {
        const id = next++;
        inFlight++;
        worker.send(fleet, id, chunks[id]!);
      }
    };
    worker.job = {
      reply: (reply) => {
        inFlight--;
        // A failed chunk is redone on the main thread, which throws the real error.
        const files = reply.files ? Promise.resolve(reply.files) : localSynthesis().then((synthesize) => synthesize(fleet, chunks[reply.id]!));
        files.then((done) => {
          complete(reply.id, done);
          give();
        }, fail);
      },
      lost: (error) => {
        alive--;
        if (inFlight > 0) fail(error);
        wake?.();
      },
    };
    give();
  }
  let failed = false;
  all.catch(() => (failed = true));
  try {
    // The main thread does background work when there is some, else takes chunks too, yielding
    // between steps so worker replies are handled. With few chunks and warm workers, it leaves
    // them to the workers: synthesizing here would first load the construct libraries here.
    const leaveToWorkers = pool === options.pool && chunks.length <= pool.workers.length * 2;
    while (next < chunks.length && !failed) {
      if (leaveToWorkers && alive > 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      if (!options.background?.()) {
        const synthesize = await localSynthesis();
        // Another thread may have taken the last chunk meanwhile.
        if (next < chunks.length) {
          const id = next++;
          complete(id, synthesize(fleet, chunks[id]!));
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    // While the workers finish their last chunks, keep doing background work.
    while (completed < chunks.length && !failed) {
      if (options.background?.()) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    await all;
  } finally {
    for (const worker of pool.workers) worker.job = undefined;
    // Workers started here are stopped here, even one still starting up; a pool given stays for its owner.
    if (pool !== options.pool) await pool.close();
  }
  return results.flat();
}
