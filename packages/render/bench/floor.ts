/**
 * Benchmark baseline "floor": the objects render writes, already in memory, serialized with
 * `yaml` and written one file each. Only that part is timed (printed as JSON).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { header, loadFleet } from "@slipway/render";
import { produceUnits } from "@slipway/render/producers";
import { stringify } from "yaml";
import { objectPath } from "../src/files";

const [root, outdir] = process.argv.slice(2) as [string, string];
const units = produceUnits(await loadFleet(root), {});
const made = new Set<string>();
let objects = 0;
const started = performance.now();
for (const unit of units) {
  for (const object of unit.objects) {
    const path = join(outdir, unit.cluster, objectPath(unit, object));
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(path, header(unit.sourceFile) + stringify(object, { version: "1.1", lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }));
    objects++;
  }
}
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, objects }));
