/**
 * The render pipeline: plan → synthesize → write.
 *
 *   plan        load the fleet; give every unit (an app instance; the platform) a key; carry over
 *               the units whose key and entries are as the last render recorded (render-plan.ts)
 *   synthesize  the other units: app instances across cores (parallel.ts), the platform's
 *               tenants, add-ons and Argo CD objects on this thread (producers.ts)
 *   write       assemble each cluster's files, index and README, compare them with the tree
 *               (assemble.ts) and apply the difference atomically (tree.ts)
 *
 * `--check` plans without the cache, so every unit is synthesized and every file compared: the
 * verdict never depends on `.slipway/`. It writes nothing. A write first takes the checkout's
 * lock and rolls back a render that was killed; after a roll-back it re-renders everything.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { RENDERED_INDEX_FILE, SlipwayError, unknownName, type RenderedIndex, type Fleet, type RenderFilter } from "@slipway/core";
import { assembleTree, type DesiredTree } from "./assemble";
import { CACHE_DIR } from "./cache-files";
import { collectFiles, type RenderedFile } from "./files";
import { loadFleet } from "./load";
import { withWriteLock } from "./lock";
import { PLATFORM_UNIT, planRender, type Entries, type RenderPlan } from "./render-plan";
import { applyTreeChange, discardJournal, interruptedRenderPending, recoverInterruptedRender } from "./tree";
import { isTreePath } from "./tree-paths";
import { entriesDigest, UnitCache } from "./unit-cache";

export interface RenderOptions {
  readonly root: string;
  /**
   * `write` updates `clusters/`; `check` writes nothing and reports differences; `repair` discards
   * a damaged journal and the cache, re-renders every file and deletes files render does not own.
   */
  readonly mode: "write" | "check" | "repair";
  readonly filter?: RenderFilter;
  /** Reuse an already loaded fleet (tests, benchmarks). */
  readonly fleet?: Fleet;
  /**
   * Use the render cache under `.slipway/cache/` (carry over unchanged units and definitions).
   * @default true in write mode, unless the environment sets `SLIPWAY_CACHE=off`; never for check or repair
   */
  readonly cache?: boolean;
  /** Worker threads for synthesis; 0 synthesizes on the main thread. @default one per core beyond the first, for enough instances */
  readonly workers?: number;
  /** App instances per unit of work handed to a thread (small values let tests drive workers with a small fleet). */
  readonly chunkSize?: number;
}

export interface RenderResult {
  /** Paths relative to the repository root. */
  readonly written: string[];
  readonly deleted: string[];
  readonly unchanged: number;
  /** Check mode: every file that differs from what render would produce, with the reason. */
  readonly differences: string[];
  readonly objects: number;
  readonly cache: {
    /** App instances carried over / synthesized. */
    readonly hits: number;
    readonly synthesized: number;
    readonly definitionsImported: number;
    readonly definitionsCached: number;
    /** The tenant, add-on and Argo CD units were carried over from the last render. */
    readonly platformReused: boolean;
  };
}

export async function renderFleet(options: RenderOptions): Promise<RenderResult> {
  if (options.mode === "check") {
    if (interruptedRenderPending(options.root)) {
      throw new SlipwayError("a render was interrupted and its change is not rolled back yet", { hint: "run `npx slipway render` (it rolls the change back first), then check again" });
    }
    return renderOnce(options, false);
  }
  return withWriteLock(options.root, "render", async () => {
    if (options.mode === "repair") {
      discardJournal(options.root);
      rmSync(join(options.root, CACHE_DIR), { recursive: true, force: true });
      return renderOnce(options, false);
    }
    // A tree that was rolled back is not the one the cache describes: render it whole.
    const recovered = recoverInterruptedRender(options.root);
    return renderOnce(options, !recovered && (options.cache ?? process.env.SLIPWAY_CACHE !== "off"));
  });
}

async function renderOnce(options: RenderOptions, useCache: boolean): Promise<RenderResult> {
  const { root, mode } = options;
  const filter = options.filter ?? {};
  // Plan.
  const stats = { hits: 0, misses: 0 };
  const fleet = options.fleet ?? (await loadFleet(root, { cache: useCache, stats }));
  checkFilter(fleet, filter);
  const previous = readIndexes(root, fleet, mode === "repair");
  const units = useCache ? UnitCache.read(root) : UnitCache.none();
  const plan = planRender(fleet, filter, previous, units);
  // Synthesize.
  const files = await synthesize(fleet, filter, plan, options);
  // Write.
  const tree = assembleTree({ root, fleet, filter, mode, previous, plan, files });
  if (mode !== "check") {
    applyTreeChange(root, tree);
    if (useCache) recordUnits(units, plan, files, filter);
  }
  return result(tree, plan, stats, mode === "check");
}

/** The units the plan does not carry over, synthesized: app instances across cores, the platform here meanwhile. */
async function synthesize(fleet: Fleet, filter: RenderFilter, plan: RenderPlan, options: RenderOptions): Promise<RenderedFile[]> {
  const instances = plan.instances.filter((p) => !p.reuse).map((p) => p.instance);
  const { synthesizeInstances } = await import("./parallel");
  const apps = instances.length > 0 ? synthesizeInstances(fleet, instances, { ...(options.workers !== undefined ? { workers: options.workers } : {}), ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}) }) : Promise.resolve([]);
  // Handled when awaited below; until then a failure must not count as unhandled.
  apps.catch(() => undefined);
  // The construct libraries are loaded only when something is synthesized.
  const platform = plan.platform.reuse ? [] : collectFiles((await import("./producers")).platformProducers.flatMap((produce) => produce(fleet, filter)));
  return [...(await apps), ...platform];
}

/** What each synthesized unit now has in the index, for the next render to carry over. */
function recordUnits(units: UnitCache, plan: RenderPlan, files: readonly RenderedFile[], filter: RenderFilter): void {
  const written = new Map<string, Entries>();
  const platform: Entries = [];
  for (const file of files) {
    if (!file.entry.app || !file.entry.environment) platform.push([`${file.cluster}/${file.path}`, file.entry]);
    else {
      const id = `${file.cluster}/${file.entry.environment}/${file.entry.app}`;
      (written.get(id) ?? written.set(id, []).get(id)!).push([file.path, file.entry]);
    }
  }
  for (const { id, key, reuse } of plan.instances) units.record(id, { key, files: entriesDigest(reuse ?? written.get(id) ?? []) });
  if (plan.platform.key) {
    const carried = [...(plan.platform.reuse ?? [])].flatMap(([cluster, entries]) => entries.map(([path, entry]): Entries[number] => [`${cluster}/${path}`, entry]));
    units.record(PLATFORM_UNIT, { key: plan.platform.key, files: entriesDigest(plan.platform.reuse ? carried : platform) });
  }
  // Units a filter left alone keep their records.
  if (filter.app || filter.cluster || filter.env) for (const id of units.ids()) units.keep(id);
  units.save();
}

function result(tree: DesiredTree, plan: RenderPlan, stats: { hits: number; misses: number }, check: boolean): RenderResult {
  const toRoot = (path: string) => `clusters/${path}`;
  return {
    written: check ? [] : [...tree.write.keys()].sort().map(toRoot),
    deleted: check ? [] : [...tree.remove].sort().map(toRoot),
    unchanged: tree.unchanged,
    differences: tree.differences,
    objects: tree.objects,
    cache: {
      hits: plan.instances.filter((p) => p.reuse).length,
      synthesized: plan.instances.filter((p) => !p.reuse).length,
      definitionsImported: stats.misses,
      definitionsCached: stats.hits,
      platformReused: plan.platform.reuse !== undefined,
    },
  };
}

function checkFilter(fleet: Fleet, filter: RenderFilter): void {
  const check = (kind: string, flag: string, value: string | undefined, known: readonly string[]) => {
    if (value !== undefined && !known.includes(value)) throw unknownName(kind, value, [...known].sort(), { flag });
  };
  check("cluster", "--cluster", filter.cluster, [...fleet.clusters.keys()]);
  check("environment", "--env", filter.env, [...fleet.environments.keys()]);
  check("app", "--app", filter.app, [...fleet.apps.keys()]);
}

/** Each cluster's index as the last render left it: of the fleet's clusters, and of directories that still have one. */
function readIndexes(root: string, fleet: Fleet, repair: boolean): Map<string, RenderedIndex> {
  const dir = join(root, "clusters");
  const names = new Set(fleet.clusters.keys());
  if (existsSync(dir)) for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) names.add(entry.name);
  const indexes = new Map<string, RenderedIndex>();
  for (const cluster of [...names].sort()) {
    const file = join(dir, cluster, RENDERED_INDEX_FILE);
    if (!existsSync(file)) continue;
    let index: RenderedIndex;
    try {
      index = JSON.parse(readFileSync(file, "utf8")) as RenderedIndex;
      if (typeof index?.files !== "object" || index.files === null) throw new Error("it has no `files`");
    } catch (error) {
      // A repair owns every file under the cluster's directory anyway, and rewrites the index.
      if (repair) continue;
      throw new SlipwayError(`the index of rendered files is not valid JSON: ${(error as Error).message}`, { file: `clusters/${cluster}/${RENDERED_INDEX_FILE}`, hint: "restore it from git (`git checkout -- <file>`), or run `npx slipway render --repair`" });
    }
    const paths = Object.keys(index.files);
    const outside = paths.find((path) => !isTreePath(path));
    if (outside !== undefined) {
      if (repair) continue;
      throw new SlipwayError(`the index of rendered files names ${JSON.stringify(outside)}, which is not a path inside the cluster's directory`, { file: `clusters/${cluster}/${RENDERED_INDEX_FILE}`, hint: "restore it from git (`git checkout -- <file>`), or run `npx slipway render --repair`" });
    }
    indexes.set(cluster, index);
  }
  return indexes;
}
