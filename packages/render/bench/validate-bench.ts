/**
 * Validation of a rendered tree, in a child process: parse-only time (read + `yaml` parse of
 * every file), validation on files (`validateCluster`), validation in memory
 * (`validateManifests` on already-parsed objects, with the options fleet mode uses for the
 * same cluster, so both find the same errors; the median of BENCH_RUNS passes after a warm-up
 * pass). Prints JSON.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const [root] = process.argv.slice(2) as [string];
const validate = (await import("@slipway/validate").catch(() => ({}))) as Record<string, unknown>;
const clusters = (validate.findRenderedClusters as ((root: string) => { cluster: string; dir: string; indexPath: string }[]) | undefined)?.(root);
if (!clusters || typeof validate.validateManifests !== "function" || typeof validate.validateCluster !== "function") {
  console.log(JSON.stringify({ available: false }));
  process.exit(0);
}

interface Index { kubernetesVersion: string; files: Record<string, unknown> }
const perCluster = clusters.map((c) => {
  const index = JSON.parse(readFileSync(c.indexPath, "utf8")) as Index;
  return { c, index, files: Object.keys(index.files).map((rel) => ({ path: join(c.dir, rel), name: `clusters/${c.cluster}/${rel}` })) };
});

let started = performance.now();
const parsed: { cluster: string; file: string; object: unknown }[] = [];
for (const { c, files } of perCluster) {
  for (const file of files) for (const doc of parseAllDocuments(readFileSync(file.path, "utf8")) as { toJS(): unknown }[]) parsed.push({ cluster: c.cluster, file: file.name, object: doc.toJS() });
}
const parseSeconds = (performance.now() - started) / 1000;

started = performance.now();
let fileErrors = 0;
for (const { c } of perCluster) {
  const report = (validate.validateCluster as (root: string, c: unknown, o: object) => { summary: { errors: number } })(root, c, {});
  fileErrors += report.summary.errors;
}
const filesSeconds = (performance.now() - started) / 1000;

// In memory, the same objects are validated as fleet mode validates their files: the same
// file names, Kubernetes version, per-environment guardrail policy and cross-object checks
// (only the Argo CD preview, which reads the tree from disk, is left out).
const fleetOptions = validate.clusterValidateOptions as ((c: unknown, index: unknown) => object) | undefined;
const inputs = perCluster.map(({ index, c }) => ({
  sources: parsed.filter((p) => p.cluster === c.cluster).map((p) => ({ file: p.file, object: p.object })),
  options: fleetOptions ? fleetOptions(c, index) : { kubernetesVersion: index.kubernetesVersion, crossObject: true },
}));
// In-memory validation is short (well under a second at N = 2,000): after one warm-up pass, so
// the compiled code is measured rather than V8 compiling it, the median of BENCH_RUNS passes.
const passes: number[] = [];
let memoryErrors = 0;
for (let pass = -1; pass < Number(process.env.BENCH_RUNS ?? 3); pass++) {
  started = performance.now();
  memoryErrors = 0;
  for (const { sources, options } of inputs) {
    const report = (validate.validateManifests as (s: unknown[], o: object) => { summary: { errors: number } })(sources, options);
    memoryErrors += report.summary.errors;
  }
  if (pass >= 0) passes.push((performance.now() - started) / 1000);
}
const memorySeconds = [...passes].sort((a, b) => a - b)[Math.floor((passes.length - 1) / 2)]!;
console.log(JSON.stringify({ available: true, objects: parsed.length, parseSeconds, filesSeconds, memorySeconds, memoryPasses: passes, fileErrors, memoryErrors }));
