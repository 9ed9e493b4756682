/** A render worker thread (parallel.ts): gets the fleet once, then chunks of instances; returns their files. */
import { parentPort } from "node:worker_threads";
import type { Fleet, AppInstance } from "@slipway/core";

// Loaded at once: the construct libraries load while the main thread hands out work.
const synthesis = import("./synthesize-chunk");
let fleet: Fleet | undefined;
parentPort!.on("message", async (message: { fleet: Fleet } | { id: number; instances: AppInstance[] }) => {
  if ("fleet" in message) {
    fleet = message.fleet;
    return;
  }
  try {
    const { synthesizeChunk } = await synthesis;
    parentPort!.postMessage({ id: message.id, files: synthesizeChunk(fleet!, message.instances) });
  } catch {
    parentPort!.postMessage({ id: message.id });
  }
});
