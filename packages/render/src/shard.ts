/**
 * `slipway render --shard k/n`: one of n runners' share of a render, so a CI matrix renders a
 * very large fleet on many machines. The split is by cluster: each cluster belongs to exactly
 * one shard, which renders all of it — its app instances, tenants, add-ons and Argo CD objects,
 * and the files that describe the whole cluster (rendered.json, README.md). So a shard writes
 * only under `clusters/<its clusters>/`, two shards never write the same file, and the merge is
 * the union of the shards' cluster directories: byte-identical to a single render.
 *
 * Clusters are assigned heaviest first (by app instances, then name) to the shard with the
 * fewest instances so far (the lowest k on a tie): deterministic, and balanced as far as whole
 * clusters allow. A shard with no cluster (n above the number of clusters) renders nothing.
 */
import { UsageError, planAppInstances, type Fleet } from "@slipway/core";
import { loadFleet } from "./load";
import { renderFleet, type RenderOptions, type RenderResult } from "./render";

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** `k/n` with 1 ≤ k ≤ n; anything else is a usage error. */
export function parseShard(spec: string): Shard {
  const m = /^([1-9]\d*)\/([1-9]\d*)$/.exec(spec.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || index > count) {
    throw new UsageError(`\`${spec}\` is not a shard`, { field: "--shard", expected: "k/n with 1 ≤ k ≤ n, e.g. 1/4 for the first of four shards", received: spec, hint: "pass the matrix job's index (from 1) and the number of jobs" });
  }
  return { index, count };
}

/** The clusters of each shard, in shard order, each list sorted by name. */
export function shardClusters(fleet: Fleet, count: number): string[][] {
  const weight = new Map<string, number>([...fleet.clusters.keys()].map((c) => [c, 0]));
  for (const instance of planAppInstances(fleet)) weight.set(instance.cluster, (weight.get(instance.cluster) ?? 0) + 1);
  const order = [...weight].sort(([a, wa], [b, wb]) => wb - wa || (a < b ? -1 : a > b ? 1 : 0));
  const shards = Array.from({ length: count }, () => ({ load: 0, clusters: [] as string[] }));
  for (const [cluster, w] of order) {
    let target = shards[0]!;
    for (const s of shards) if (s.load < target.load) target = s;
    target.clusters.push(cluster);
    target.load += w;
  }
  return shards.map((s) => s.clusters.sort());
}

export interface ShardResult extends RenderResult {
  readonly clusters: readonly string[];
}

/** Renders (or checks) the clusters of one shard, loading the fleet once. */
export async function renderShard(options: Omit<RenderOptions, "filter" | "fleet">, shard: Shard): Promise<ShardResult> {
  const fleet = await loadFleet(options.root, { cache: options.mode === "write" && options.cache !== false && process.env.SLIPWAY_CACHE !== "off" });
  const clusters = shardClusters(fleet, shard.count)[shard.index - 1] ?? [];
  const results: RenderResult[] = [];
  for (const cluster of clusters) results.push(await renderFleet({ ...options, fleet, filter: { cluster } }));
  return {
    clusters,
    written: results.flatMap((r) => r.written),
    deleted: results.flatMap((r) => r.deleted),
    unchanged: results.reduce((n, r) => n + r.unchanged, 0),
    differences: results.flatMap((r) => r.differences),
    objects: results.reduce((n, r) => n + r.objects, 0),
    cache: {
      hits: results.reduce((n, r) => n + r.cache.hits, 0),
      synthesized: results.reduce((n, r) => n + r.cache.synthesized, 0),
      definitionsImported: results.reduce((n, r) => n + r.cache.definitionsImported, 0),
      definitionsCached: results.reduce((n, r) => n + r.cache.definitionsCached, 0),
      platformReused: results.every((r) => r.cache.platformReused),
    },
  };
}
