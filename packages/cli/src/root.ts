/**
 * Where the fleet is: the nearest directory, upwards from where slipway runs, that has
 * `environments/` and `clusters/`. Every command finds it this way, so each works from any
 * directory of the repository.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { SlipwayError } from "@slipway/core";

/** The fleet root above `start`, or `undefined` outside a fleet (validate checks any YAML there). */
export function locateFleetRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "environments")) && existsSync(join(dir, "clusters"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export function findFleetRoot(start: string): string {
  const root = locateFleetRoot(start);
  if (root === undefined) {
    throw new SlipwayError("not inside a Slipway fleet repository", {
      expected: "a directory with `environments/` and `clusters/`, here or above",
      received: start,
      hint: "run slipway inside the fleet repository (the root or any directory in it)",
    });
  }
  return root;
}
