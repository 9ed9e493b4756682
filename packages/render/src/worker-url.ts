/**
 * Where render's worker threads start (worker.ts). The compiled CLI (packages/cli/build/compile.mjs)
 * defines SLIPWAY_COMPILED_WORKER as the URL of its worker bundle, which needs no TypeScript
 * loader; run from the sources, workers start from worker-entry.mjs, which registers one.
 */
declare const SLIPWAY_COMPILED_WORKER: string | undefined;

export const WORKER_ENTRY = typeof SLIPWAY_COMPILED_WORKER === "string" ? new URL(SLIPWAY_COMPILED_WORKER) : new URL("./worker-entry.mjs", import.meta.url);
