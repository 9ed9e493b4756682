/** Synthesis of a chunk of app instances into files, on whichever thread runs it (see parallel.ts). */
import { collectFiles, type RenderedFile } from "./files";
import type { Fleet, AppInstance } from "@slipway/core";
import { produceAppUnit } from "@slipway/workloads";

export function synthesizeChunk(fleet: Fleet, instances: readonly AppInstance[]): RenderedFile[] {
  return collectFiles(instances.map((instance) => produceAppUnit(fleet, instance)));
}
