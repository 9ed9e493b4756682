/** Synthesis of a chunk of app instances into files, on whichever thread runs it (see parallel.ts). */
import { collectFiles, type RenderedFile } from "./files";
import type { Fleet } from "./fleet";
import { produceAppUnit, type AppInstance } from "./produce-apps";

export function synthesizeChunk(fleet: Fleet, instances: readonly AppInstance[]): RenderedFile[] {
  return collectFiles(instances.map((instance) => produceAppUnit(fleet, instance)));
}
