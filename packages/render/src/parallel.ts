/**
 * Synthesis of app instances across cores. Each instance is independent (its own cdk8s App), so
 * instances are cut into chunks that the main thread and worker threads take from one queue.
 * Workers receive the loaded fleet once and return finished files (YAML, sha256, index entry).
 *
 * Errors keep their class and message: a chunk that fails in a worker is synthesized again on
 * the main thread, which throws the real error (a PolicyError naming file and field, …).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { RenderedFile } from "./files";
import type { Fleet, AppInstance } from "@slipway/core";
import type { synthesizeChunk } from "./synthesize-chunk";
import { WORKER_ENTRY } from "./worker-url";

/** Synthesis on this thread; loaded only when used, since it loads the construct libraries. */
let local: typeof synthesizeChunk | undefined;
async function localSynthesis(): Promise<typeof synthesizeChunk> {
  return (local ??= (await import("./synthesize-chunk")).synthesizeChunk);
}

/** Below this many instances a worker costs more to start (a second Node, cdk8s loaded again) than it saves. */
const MIN_INSTANCES_FOR_WORKERS = 120;
/** Instances per chunk: large enough to amortize a message, small enough to balance the threads. */
const CHUNK = 40;

export interface SynthesizeOptions {
  /** Worker threads; `undefined` picks one per core beyond the first, when the work is large enough (or `SLIPWAY_WORKERS`). */
  readonly workers?: number;
  /** Instances per chunk (default 40). */
  readonly chunkSize?: number;
}

interface WorkerReply {
  readonly id: number;
  readonly files?: RenderedFile[];
}

function startWorker(fleet: Fleet, onReply: (reply: WorkerReply) => void, onLost: (error: Error) => void): Worker {
  const worker = new Worker(WORKER_ENTRY);
  let lost = false;
  const lose = (error: Error) => {
    if (!lost) onLost(error);
    lost = true;
  };
  worker.on("message", onReply);
  worker.on("error", lose);
  worker.on("exit", (code) => lose(new Error(`render worker exited with code ${code}`)));
  worker.postMessage({ fleet });
  return worker;
}

function workerCount(options: SynthesizeOptions, instances: number, chunks: number): number {
  const env = process.env.SLIPWAY_WORKERS;
  const wanted = options.workers ?? (env !== undefined ? Number(env) : instances >= MIN_INSTANCES_FOR_WORKERS ? availableParallelism() - 1 : 0);
  return Math.max(0, Math.min(wanted, chunks - 1));
}

export async function synthesizeInstances(fleet: Fleet, instances: readonly AppInstance[], options: SynthesizeOptions = {}): Promise<RenderedFile[]> {
  const size = options.chunkSize ?? CHUNK;
  const chunks: AppInstance[][] = [];
  for (let i = 0; i < instances.length; i += size) chunks.push(instances.slice(i, i + size));
  const count = workerCount(options, instances.length, chunks.length);
  if (count === 0) return (await localSynthesis())(fleet, instances);

  const results: RenderedFile[][] = new Array(chunks.length);
  let next = 0;
  let completed = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const settle = () => wake?.();
  const complete = (id: number, files: RenderedFile[]) => {
    results[id] = files;
    completed++;
    settle();
  };
  const workers = Array.from({ length: count }, () => {
    let inFlight = 0;
    const give = () => {
      // Two chunks in flight, so a worker never waits for the main thread to hand it work.
      while (inFlight < 2 && next < chunks.length) {
        const id = next++;
        inFlight++;
        worker.postMessage({ id, instances: chunks[id]! });
      }
    };
    const worker = startWorker(
      fleet,
      (reply) => {
        inFlight--;
        // A failed chunk is redone on the main thread, which throws the real error.
        const files = reply.files ? Promise.resolve(reply.files) : localSynthesis().then((synthesize) => synthesize(fleet, chunks[reply.id]!));
        files.then((done) => (complete(reply.id, done), give()), (error: unknown) => ((failure ??= error), settle()));
      },
      (error) => {
        if (inFlight > 0) failure ??= error;
        settle();
      },
    );
    give();
    return worker;
  });
  try {
    // The main thread takes chunks too, yielding between them so worker replies are handled.
    while (completed < chunks.length && failure === undefined) {
      if (next < chunks.length) {
        const synthesize = await localSynthesis();
        if (next < chunks.length) {
          const id = next++;
          complete(id, synthesize(fleet, chunks[id]!));
        }
        await new Promise((resolve) => setImmediate(resolve));
      } else await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure !== undefined) throw failure;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results.flat();
}
