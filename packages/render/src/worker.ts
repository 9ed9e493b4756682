/**
 * A render worker thread, in one of two roles given by `workerData.role`:
 * - `synthesis` (parallel.ts): gets the fleet once, then chunks of instances; returns files;
 * - `confirm-stats` (stat-confirmation.ts): checks the claims it is given; returns the ids that hold.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Fleet } from "./fleet";
import type { AppInstance } from "./produce-apps";
import { heldClaims, type StatClaim } from "./file-stats";

const task = workerData as { role: "synthesis" } | { role: "confirm-stats"; clustersDir: string; claims: StatClaim[] };

if (task.role === "confirm-stats") {
  parentPort!.postMessage(heldClaims(task.clustersDir, task.claims));
} else {
  // Loaded only in this role: it brings the construct libraries.
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
      parentPort!.postMessage({ id: message.id, failed: true });
    }
  });
}
