/** A synthesis worker (see parallel.ts): gets the fleet once, then chunks of instances; returns files. */
import { parentPort } from "node:worker_threads";
import type { Fleet } from "./fleet";
import { synthesizeChunk } from "./synthesize-chunk";
import type { AppInstance } from "./produce-apps";

let fleet: Fleet | undefined;
parentPort!.on("message", (message: { fleet: Fleet } | { id: number; instances: AppInstance[] }) => {
  if ("fleet" in message) {
    fleet = message.fleet;
    return;
  }
  try {
    parentPort!.postMessage({ id: message.id, files: synthesizeChunk(fleet!, message.instances) });
  } catch {
    parentPort!.postMessage({ id: message.id, failed: true });
  }
});
