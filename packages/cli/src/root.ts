/** Finds the fleet repository root: the nearest directory, upwards, that has `environments/` and `clusters/`. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { SlipwayError } from "@slipway/core";

export function findFleetRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "environments")) && existsSync(join(dir, "clusters"))) return dir;
    if (dirname(dir) === dir) {
      throw new SlipwayError("not inside a Slipway fleet repository", {
        expected: "a directory with `environments/` and `clusters/` here or above",
        hint: "run slipway from the repository root",
      });
    }
  }
}
