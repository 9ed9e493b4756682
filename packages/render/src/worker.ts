/** A synthesis worker (see parallel.ts): gets the fleet once, then chunks of instances; returns files. */
import { parentPort, workerData } from "node:worker_threads";
import type { Fleet } from "./fleet";
import { synthesizeChunk } from "./parallel";
import type { AppInstance } from "./produce-apps";

const fleet = (workerData as { fleet: Fleet }).fleet;
parentPort!.on("message", ({ id, instances }: { id: number; instances: AppInstance[] }) => {
  try {
    parentPort!.postMessage({ id, files: synthesizeChunk(fleet, instances) });
  } catch {
    parentPort!.postMessage({ id, failed: true });
  }
});
parentPort!.postMessage("ready");
