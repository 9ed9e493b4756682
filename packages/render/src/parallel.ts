/**
 * Synthesis of app instances across cores. Each instance is independent (its own cdk8s App),
 * so instances are cut into chunks that the main thread and worker threads take from one
 * queue. Workers receive the loaded fleet once and return finished files (YAML, sha256,
 * index entry), so the main thread only compares and writes.
 *
 * Errors keep their class and message: a chunk that fails in a worker is synthesized again on
 * the main thread, which throws the real error (a PolicyError naming file and field, …).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { collectFiles, type RenderedFile } from "./files";
import type { Fleet } from "./fleet";
import { produceAppUnit, type AppInstance } from "./produce-apps";

/**
 * The compiled CLI (packages/cli/build/compile.mjs) defines this as the URL of its worker bundle,
 * which needs no TypeScript loader; run from the sources, workers start from worker-entry.mjs.
 */
declare const SLIPWAY_COMPILED_WORKER: string | undefined;
const WORKER_ENTRY = typeof SLIPWAY_COMPILED_WORKER === "string" ? new URL(SLIPWAY_COMPILED_WORKER) : new URL("./worker-entry.mjs", import.meta.url);

/** Below this many instances a worker costs more to start (tsx, cdk8s) than it saves. */
const MIN_INSTANCES_FOR_WORKERS = 120;
/** Instances per chunk: large enough to amortize a message, small enough to balance the threads. */
const CHUNK = 40;

export interface SynthesizeOptions {
  /** Worker threads; `undefined` picks one per core beyond the first, when the work is large enough. */
  readonly workers?: number;
  /** Instances per chunk (default 40). */
  readonly chunkSize?: number;
  /** Other main-thread work, done while the workers start and take the first chunks. */
  readonly alongside?: () => void;
  /** Receives each chunk's files as soon as they are synthesized (in completion order). */
  readonly onChunk?: (files: readonly RenderedFile[]) => void;
  /**
   * Main-thread work to interleave with synthesis, a small batch per call (such as writing the
   * files received so far); returns false when there is nothing to do for now. Preferred over
   * synthesizing on the main thread, since it does not need the workers' CPU.
   */
  readonly background?: () => boolean;
}

export function synthesizeChunk(fleet: Fleet, instances: readonly AppInstance[]): RenderedFile[] {
  return collectFiles(instances.map((instance) => produceAppUnit(fleet, instance)));
}

interface WorkerReply {
  readonly id: number;
  readonly files?: RenderedFile[];
  readonly failed?: boolean;
}

export async function synthesizeInstances(fleet: Fleet, instances: readonly AppInstance[], options: SynthesizeOptions = {}): Promise<RenderedFile[]> {
  const envWorkers = process.env.SLIPWAY_WORKERS === undefined ? undefined : Number(process.env.SLIPWAY_WORKERS);
  const wanted = options.workers ?? envWorkers ?? (instances.length >= MIN_INSTANCES_FOR_WORKERS ? availableParallelism() - 1 : 0);
  const chunks: AppInstance[][] = [];
  const size = options.chunkSize ?? CHUNK;
  for (let i = 0; i < instances.length; i += size) chunks.push(instances.slice(i, i + size));
  const count = Math.max(0, Math.min(wanted, chunks.length - 1));
  if (count === 0) {
    options.alongside?.();
    const files = synthesizeChunk(fleet, instances);
    options.onChunk?.(files);
    return files;
  }

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
  const workers: Worker[] = [];
  for (let w = 0; w < count; w++) {
    const worker = new Worker(WORKER_ENTRY, { workerData: { fleet } });
    workers.push(worker);
    let inFlight = 0;
    const give = () => {
      // Two chunks in flight, so a worker never waits for the main thread to hand it work.
      while (inFlight < 2 && next < chunks.length) {
        const id = next++;
        inFlight++;
        worker.postMessage({ id, instances: chunks[id] });
      }
    };
    worker.on("message", (reply: WorkerReply | "ready") => {
      if (reply === "ready") return give();
      inFlight--;
      try {
        // A failed chunk is redone on the main thread, which throws the real error.
        complete(reply.id, reply.files ?? synthesizeChunk(fleet, chunks[reply.id]!));
        give();
      } catch (error) {
        fail(error);
      }
    });
    worker.on("error", (error) => {
      fail(error);
      wake?.();
    });
    worker.on("exit", (code) => {
      if (inFlight > 0) fail(new Error(`render worker exited with code ${code}`));
      wake?.();
    });
  }
  let failed = false;
  all.catch(() => (failed = true));
  try {
    options.alongside?.();
    // The main thread does background work when there is some, else takes chunks too, yielding
    // between steps so worker replies are handled.
    while (next < chunks.length && !failed) {
      if (!options.background?.()) {
        const id = next++;
        complete(id, synthesizeChunk(fleet, chunks[id]!));
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
    // A worker still starting up when the main thread finished is simply stopped.
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results.flat();
}
