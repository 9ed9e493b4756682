/**
 * The render pipeline: load → resolve and synthesize (producers) → files → compare with the
 * committed tree → write atomically (or, in check mode, report what differs).
 *
 * Incremental: app instances whose inputs are unchanged since the last render (same hashes, see
 * cache.ts) and whose files on disk still match `rendered.json` are not synthesized again; the
 * rest are synthesized in parallel (parallel.ts) when there are enough of them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RENDERED_INDEX_FILE, RenderCollisionError, SlipwayError, type Cluster, type RenderedFileEntry, type RenderedIndex } from "@slipway/core";
import { DefinitionCache, entriesDigest, sha256Hex, unitKey, UnitCache, type UnitRecord } from "./cache";
import { statDigest } from "./file-stats";
import { clusterReadme, readmeLabel, readmeSummary, type ReadmeSummary } from "./cluster-readme";
import { collectFiles, type RenderedFile } from "./files";
import type { Fleet } from "./fleet";
import { instanceFacts, instanceId, rememberFacts } from "./instance-facts";
import { definitionFiles, loadFleet } from "./load";
import type { SynthesisPool } from "./parallel";
import { planAppInstances, type AppInstance } from "./plan";
import { PreviousIndexes, type IndexEntries, type InstanceBlock } from "./previous-indexes";
import { EarlyComparison, STAGE_BATCH } from "./compare-tree";
import { Staging, applyTreeChange, listTreeFiles, readTreeFile, recoverInterruptedRender } from "./tree";
import type { Producer } from "./producers";
import { StatConfirmation } from "./stat-confirmation";
import { unitInScope, type RenderFilter } from "./units";

export interface RenderOptions {
  readonly root: string;
  /** `write` updates `clusters/`; `check` writes nothing and reports differences. */
  readonly mode: "write" | "check";
  readonly filter?: RenderFilter;
  /** Reuse an already loaded fleet (tests, benchmarks, promotion). */
  readonly fleet?: Fleet;
  /**
   * Use the render cache under `.slipway/cache/` (skip unchanged definitions and app instances).
   * @default true, unless the environment sets `SLIPWAY_CACHE=off`
   */
  readonly cache?: boolean;
  /**
   * Worker threads for synthesis; 0 synthesizes on the main thread.
   * @default one per core beyond the first, when enough app instances need synthesis
   */
  readonly workers?: number;
  /** App instances per unit of work handed to a thread (small values let tests drive workers with a small fleet). */
  readonly chunkSize?: number;
  /** Rendered files from which their stats are checked on a worker thread (see stat-confirmation.ts). */
  readonly minFilesForStatWorker?: number;
}

export interface RenderResult {
  /** Paths relative to the repository root. */
  readonly written: string[];
  readonly deleted: string[];
  readonly unchanged: number;
  /** Check mode: every file that differs from what render would produce, with the reason. */
  readonly differences: string[];
  readonly objects: number;
  /** App instances taken from the cache / synthesized. */
  readonly cache?: {
    readonly hits: number;
    readonly synthesized: number;
    readonly definitionsImported: number;
    readonly definitionsCached: number;
    /** The tenant, add-on and Argo CD units were reused from the last render. */
    readonly platformReused: boolean;
    /** Clusters whose `rendered.json` was updated in place (only the synthesized instances' entries replaced) instead of rewritten whole. */
    readonly indexesSpliced: number;
  };
}

const README = "README.md";

/** An app instance to synthesize, with its unit id and cache key. */
interface Miss {
  readonly instance: AppInstance;
  readonly id: string;
  readonly key: string;
}

function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

type IndexHead = Omit<RenderedIndex, "files">;

/** The index's fields besides its files: the cluster's facts that validation reads. */
function indexHead(fleet: Fleet, cluster: string, facts: Cluster): IndexHead {
  return {
    cluster,
    kubernetesVersion: facts.kubernetesVersion,
    environments: Object.fromEntries(
      facts.environments.map((name) => {
        const { policy } = fleet.environments.get(name)!.def;
        return [name, { guardrails: policy.guardrails, minReplicas: policy.minReplicas, requirePdb: policy.requirePdb, requireDigest: policy.requireDigest, trustedRegistries: [...policy.trustedRegistries] }];
      }),
    ),
  };
}

/** The list under `key`, created empty if missing. */
function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function isFiltered(filter: RenderFilter): boolean {
  return Boolean(filter.app || filter.cluster || filter.env);
}

/**
 * The index's files, by path in sorted order. Usually they have the same paths as at the last
 * render: then the last index's object, already in that order, is updated in place (assigning
 * existing keys keeps their order) instead of thousands of paths being sorted again.
 */
function sortedFiles(entries: ReadonlyMap<string, RenderedFileEntry>, previous: Record<string, RenderedFileEntry> | undefined): Record<string, RenderedFileEntry> {
  if (previous) {
    let count = 0;
    let last = "";
    let reusable = true;
    for (const path in previous) {
      if ((count > 0 && !(last < path)) || !entries.has(path)) {
        reusable = false;
        break;
      }
      last = path;
      count++;
    }
    if (reusable && count === entries.size) {
      for (const [path, entry] of entries) previous[path] = entry;
      return previous;
    }
  }
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The app producer is the first of `producers` (producers.ts): render runs it itself, through
 * the cache and the worker pool; the other producers (tenants, add-ons, Argo CD) run as they are.
 * Both are imported only when something has to be synthesized: the construct libraries are most
 * of a render's start-up time, and an incremental render often needs none of them.
 */
async function otherProducers(): Promise<Producer[]> {
  return (await import("./producers")).producers.slice(1);
}

/** The record fields that let the next render trust `paths` (relative to `clusters/`, as they now are on disk) by their stats alone. */
function confirmedOnDisk(root: string, paths: readonly string[]): Pick<UnitRecord, "stat" | "paths"> {
  const stat = statDigest(join(root, "clusters"), paths);
  return stat === undefined ? {} : { stat, paths: paths.join("\n") };
}

function fileMatches(root: string, cluster: string, path: string, sha256: string): boolean {
  try {
    return sha256Hex(readFileSync(join(root, "clusters", cluster, path), "utf8")) === sha256;
  } catch {
    return false;
  }
}

/** Hash of the fleet-wide definitions every unit depends on (environments, clusters, tenants, add-ons). */
function fleetWideKey(fleet: Fleet): string {
  return sha256Hex(JSON.stringify({
    environments: [...fleet.environments].map(([name, e]) => [name, e.def, e.file]),
    clusters: [...fleet.clusters].map(([name, c]) => [name, c.def, c.file]),
    tenants: [...fleet.tenants].map(([name, t]) => [name, t.def, t.file]),
    addons: [...fleet.addons].map(([name, a]) => [name, a.def, a.file]),
  }));
}

/** Hash inputs of an app instance: the fleet-wide definitions, its app, its release. */
function instanceKeys(fleet: Fleet, global: string): (instance: AppInstance) => string {
  // Each app's definition hashed once, not once per instance: it is most of the bytes.
  const apps = new Map<string, string>();
  return (instance) => {
    let app = apps.get(instance.app);
    if (app === undefined) apps.set(instance.app, (app = sha256Hex(JSON.stringify(fleet.apps.get(instance.app)))));
    const release = JSON.stringify(fleet.environments.get(instance.environment)!.releases.apps[instance.app]);
    return unitKey([global, instance.cluster, instance.environment, instance.app, app, release]);
  };
}

export async function renderFleet(options: RenderOptions): Promise<RenderResult> {
  const { root } = options;
  const useCache = options.cache ?? process.env.SLIPWAY_CACHE !== "off";
  // Even a check first undoes a render that was killed while applying: it compares against the
  // tree as it was before that render, which is the tree the repository has.
  recoverInterruptedRender(root);
  const definitions = useCache && !options.fleet ? new DefinitionCache(root) : undefined;
  const units = new UnitCache(root, useCache);
  const onDisk = StatConfirmation.start(root, units, { workers: options.workers, minFilesForWorker: options.minFilesForStatWorker });
  // Listed once: both the decision to start workers early and the loading need them.
  const sources = options.fleet ? undefined : definitionFiles(root);
  const pool = sources ? await earlyPool(sources, options, definitions, units) : undefined;
  try {
    return await renderWith(options, definitions, units, onDisk, pool, sources);
  } finally {
    await Promise.all([pool?.close(), onDisk.close()]);
  }
}

/**
 * Starts the synthesis workers before the fleet is loaded when the definitions that changed since
 * the last render will make enough instances to synthesize to be worth workers: they load the
 * construct libraries on another core meanwhile. An edit to a few apps is synthesized here: on
 * two cores, starting a worker (a second Node, the libraries loaded again) costs more than it saves.
 * A release or a hand edit that needs synthesis starts workers later, if it needs enough of it.
 */
async function earlyPool(sources: readonly string[], options: RenderOptions, definitions: DefinitionCache | undefined, units: UnitCache): Promise<SynthesisPool | undefined> {
  const { MIN_INSTANCES_FOR_WORKERS, requestedWorkers, SynthesisPool } = await import("./parallel");
  const workers = requestedWorkers(options.workers);
  if (workers === 0) return undefined;
  const expected = expectedSyntheses(sources, definitions, units.ids().length);
  return expected >= (workers === undefined ? MIN_INSTANCES_FOR_WORKERS : 1) ? SynthesisPool.start(workers) : undefined;
}

const APP_DEFINITION = /^apps\/[^/]+\/[^/]+\/app\.ts$/;

/**
 * How many app instances the changed definitions will have synthesized, roughly: all of them when
 * there is no last render or a fleet-wide definition changed (every instance's key includes the
 * environments, clusters, tenants and add-ons); otherwise the changed apps' share of the instances.
 */
function expectedSyntheses(files: readonly string[], definitions: DefinitionCache | undefined, recordedUnits: number): number {
  if (recordedUnits === 0 || !definitions) return Number.POSITIVE_INFINITY;
  const changed = files.filter((file) => !definitions.holds(file));
  if (changed.some((file) => !APP_DEFINITION.test(file))) return Number.POSITIVE_INFINITY;
  const apps = files.filter((file) => APP_DEFINITION.test(file)).length;
  return apps === 0 ? 0 : (changed.length * recordedUnits) / apps;
}

async function renderWith(
  options: RenderOptions,
  definitions: DefinitionCache | undefined,
  units: UnitCache,
  onDisk: StatConfirmation,
  pool: SynthesisPool | undefined,
  sources: readonly string[] | undefined,
): Promise<RenderResult> {
  const { root, mode } = options;
  const filter = options.filter ?? {};
  const useCache = units.enabled;
  const fleet = options.fleet ?? (await loadFleet(root, { cache: definitions, ...(sources ? { files: sources } : {}) }));
  if (filter.cluster && !fleet.clusters.has(filter.cluster)) {
    throw new SlipwayError(`unknown cluster \`${filter.cluster}\``, { expected: [...fleet.clusters.keys()].join(" | "), hint: "pass one of the clusters under clusters/" });
  }
  if (filter.env && !fleet.environments.has(filter.env)) {
    throw new SlipwayError(`unknown environment \`${filter.env}\``, { expected: [...fleet.environments.keys()].join(" | ") });
  }
  if (filter.app && !fleet.apps.has(filter.app)) {
    throw new SlipwayError(`unknown app \`${filter.app}\``, { expected: [...fleet.apps.keys()].sort().join(" | ") });
  }

  const clusterNames = [...new Set([...fleet.clusters.keys(), ...listOwnedClusters(root)])].sort();
  const indexUntouched = (cluster: string) => units.indexUntouched(cluster);
  const previous = new PreviousIndexes(root, clusterNames, indexUntouched);

  // In write mode, files that differ from the tree are staged as their chunks arrive, while
  // other chunks are still being synthesized; what the tree holds is compared once.
  const staging = mode === "write" ? new Staging(root) : undefined;
  const early = new EarlyComparison(root, staging);
  // The indexes were just read: comparing the new ones needs no second read.
  for (const [path, text] of previous.read()) early.remember(path, text);
  try {
    return await finishRender();
  } catch (error) {
    staging?.discard();
    throw error;
  }

  async function finishRender(): Promise<RenderResult> {
    const global = fleetWideKey(fleet);
    const keyOf = instanceKeys(fleet, global);
    const entriesOf = (instance: AppInstance) => previous.instanceEntries(instance.cluster, instance.environment, instance.app);
    /** Whether `record` was made from the instance's index entries: known while the index is untouched, else by hashing them. */
    const describes = (record: UnitRecord, instance: AppInstance) => indexUntouched(instance.cluster) || record.files === entriesDigest(entriesOf(instance));
    // Loaded now: work handed to the workers below must leave before this thread's next wait.
    const { synthesizeInstances } = await import("./parallel");
    const synthesize = (batch: readonly Miss[]): Promise<RenderedFile[]> =>
      synthesizeInstances(fleet, batch.map((m) => m.instance), {
        workers: options.workers,
        ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
        ...(pool ? { pool } : {}),
        ...(staging ? { onChunk: (chunk: readonly RenderedFile[]) => early.enqueue(chunk), background: () => early.compareSome(STAGE_BATCH) } : {}),
      });

    // App instances whose inputs changed since the last render go to the workers at once; the
    // others are checked meanwhile: reused when the cache vouches for them and the disk confirms it.
    const changed: Miss[] = [];
    const unchangedInputs: (Miss & { record: UnitRecord })[] = [];
    for (const instance of planAppInstances(fleet, filter)) {
      const id = instanceId(instance);
      const key = keyOf(instance);
      const record = units.lookup(id, key);
      if (record?.facts && describes(record, instance)) unchangedInputs.push({ instance, id, key, record });
      else changed.push({ instance, id, key });
    }
    const changedFiles = changed.length > 0 ? synthesize(changed) : undefined;
    // Handled when awaited below; until then a failure must not count as unhandled.
    changedFiles?.catch(() => undefined);

    const cached: AppInstance[] = [];
    const edited: Miss[] = [];
    // Files whose size, mtime and inode are as last confirmed are not read again; others are hashed.
    const unchangedOnDisk = await onDisk.unchanged();
    for (const { instance, id, key, record } of unchangedInputs) {
      if (unchangedOnDisk.has(id)) units.record(id, record);
      else {
        const entries = entriesOf(instance);
        if (!entries.every(([path, e]) => fileMatches(root, instance.cluster, path, e.sha256))) {
          edited.push({ instance, id, key });
          continue;
        }
        units.record(id, { ...record, ...confirmedOnDisk(root, entries.map(([path]) => `${instance.cluster}/${path}`)) });
      }
      cached.push(instance);
      rememberFacts(fleet, instance, record.facts!);
    }
    // Instances synthesized again whose files are as last confirmed: their new files are compared
    // with the recorded hashes instead of being read.
    for (const { instance, id } of changed) {
      const record = units.previousRecord(id);
      if (!record || !unchangedOnDisk.has(id) || !describes(record, instance)) continue;
      for (const [path, entry] of entriesOf(instance)) early.vouch(`${instance.cluster}/${path}`, entry.sha256);
    }
    const misses = [...changed, ...edited];
    // Tenants, add-ons and Argo CD: reused whole while nothing they are made from changed;
    // otherwise produced on the main thread while worker threads synthesize app instances.
    const platform = platformUnits(root, fleet, filter, global, units, (cluster) => previous.platformEntries(cluster), unchangedOnDisk, indexUntouched);
    const platformFiles = platform.cached ? [] : collectFiles((await otherProducers()).flatMap((produce) => produce(fleet, filter)));
    const synthesized = [...((await changedFiles) ?? []), ...(edited.length > 0 ? await synthesize(edited) : [])];
    const files = [...synthesized, ...platformFiles];

    const byCluster = new Map<string, RenderedFile[]>();
    for (const file of files) listIn(byCluster, file.cluster).push(file);
    /** The synthesized files of each instance, by unit id. */
    const byInstance = new Map<string, RenderedFile[]>();
    for (const file of synthesized) listIn(byInstance, `${file.cluster}/${file.entry.environment}/${file.entry.app}`).push(file);
    const heads = new Map([...fleet.clusters].map(([name, facts]) => [name, indexHead(fleet, name, facts.def)]));

    const write = new Map<string, string>();
    const remove = new Set<string>();
    const differences: string[] = [];
    let unchanged = 0;
    let objects = 0;
    /** What each cluster's README says of its files, as written. */
    const readmes = new Map<string, ReadmeSummary>();
    /** Each cluster's index entries as written, by path (when the indexes were written whole). */
    const indexEntries = new Map<string, Map<string, RenderedFileEntry>>();

    const desire = (path: string, content: string, owned: boolean) => {
      const tree = early.result(path, content);
      if (tree === "same") {
        unchanged++;
        return;
      }
      if (tree === "differs" && !owned) {
        throw new SlipwayError("render would overwrite a file it does not own", {
          file: `clusters/${path}`,
          hint: "move or delete that file (render only replaces files listed in rendered.json)",
        });
      }
      write.set(path, content);
      differences.push(`clusters/${path}: ${tree === "missing" ? "missing (render would create it)" : "differs from what render produces (edited by hand, or stale)"}`);
    };
    const removeOwned = (path: string) => {
      remove.add(path);
      if (readTreeFile(root, path) !== undefined) differences.push(`clusters/${path}: no longer rendered (render would delete it)`);
    };
    const desireReadme = (cluster: string, readme: ReadmeSummary, owned: boolean) => {
      const facts = fleet.clusters.get(cluster)!;
      readmes.set(cluster, readme);
      desire(`${cluster}/${README}`, clusterReadme(heads.get(cluster)!, readme, facts.file, facts.def, facts.def.environments.map((name) => fleet.environments.get(name)!.def)), owned);
    };

    const spliced = mode === "write" && platform.cached && !isFiltered(filter) ? spliceIndexes(previous, units, clusterNames, heads, byInstance, misses) : undefined;
    if (spliced) {
      // Only the synthesized instances' entries changed, each within its own directory.
      checkCollisions(files, []);
      for (const [cluster, index] of spliced) {
        for (const file of byCluster.get(cluster) ?? []) desire(`${cluster}/${file.path}`, file.content, index.owned.has(file.path));
        for (const path of index.removed) removeOwned(`${cluster}/${path}`);
        unchanged += index.kept;
        objects += index.readme.count;
        desire(`${cluster}/${RENDERED_INDEX_FILE}`, index.text, true);
        desireReadme(cluster, index.readme, true);
      }
    } else {
      const cachedEntries = cached.map((instance) => ({ instance, entries: entriesOf(instance) }));
      if (platform.cached) for (const cluster of fleet.clusters.keys()) cachedEntries.push({ instance: { cluster, environment: "", app: "" }, entries: previous.platformEntries(cluster) });
      checkCollisions(files, cachedEntries);
      const cachedByCluster = new Map<string, [string, RenderedFileEntry][]>();
      for (const { instance, entries } of cachedEntries) listIn(cachedByCluster, instance.cluster).push(...entries);
      objects = files.length + cachedEntries.reduce((n, c) => n + c.entries.length, 0);

      for (const cluster of clusterNames) {
        if (filter.cluster && filter.cluster !== cluster) continue;
        const last = previous.index(cluster);
        const head = heads.get(cluster);
        // The files render owned in this cluster: those of the last index.
        const owned: Record<string, RenderedFileEntry> = last?.files ?? {};
        const entries = new Map<string, RenderedFileEntry>();
        indexEntries.set(cluster, entries);
        // Entries outside the filter's scope are kept as they were.
        if (head && isFiltered(filter)) {
          for (const [path, entry] of Object.entries(owned)) {
            if (!unitInScope(entry, cluster, filter)) entries.set(path, entry);
          }
        }
        for (const file of byCluster.get(cluster) ?? []) {
          entries.set(file.path, file.entry);
          desire(`${cluster}/${file.path}`, file.content, Object.hasOwn(owned, file.path));
        }
        // Cached instances: their files were just confirmed on disk, byte for byte (by sha256).
        for (const [path, entry] of cachedByCluster.get(cluster) ?? []) {
          entries.set(path, entry);
          unchanged++;
        }
        for (const path in owned) if (!entries.has(path)) removeOwned(`${cluster}/${path}`);
        if (mode === "check") {
          for (const path of unownedRenderedFiles(root, cluster, entries, byCluster.get(cluster) ?? [])) {
            differences.push(`clusters/${path}: not rendered by slipway (hand-added?); move it out of the rendered directories or delete it`);
          }
        }
        if (!head) {
          // The cluster was removed from the fleet: its rendered files go, its index and README too.
          for (const name of [RENDERED_INDEX_FILE, README]) {
            if (readTreeFile(root, `${cluster}/${name}`) !== undefined) {
              remove.add(`${cluster}/${name}`);
              differences.push(`clusters/${cluster}/${name}: cluster no longer defined (render would delete it)`);
            }
          }
          continue;
        }
        desire(`${cluster}/${RENDERED_INDEX_FILE}`, stableJson({ ...head, files: sortedFiles(entries, last?.files) }), true);
        desireReadme(cluster, readmeSummary(entries), last !== undefined);
      }
    }

    if (mode === "write") {
      applyTreeChange(root, { write, remove }, {}, staging);
      if (useCache) {
        definitions?.save();
        // Record what each synthesized instance now has on disk; keep records a filter left out.
        for (const { id, key, instance } of misses) {
          const entries = (byInstance.get(id) ?? []).map((file): [string, RenderedFileEntry] => [file.path, file.entry]);
          units.record(id, { key, files: entriesDigest(entries), facts: instanceFacts(fleet, instance), ...confirmedOnDisk(root, entries.map(([path]) => `${instance.cluster}/${path}`)) });
        }
        if (platform.key && !platform.cached) {
          const entries = [...fleet.clusters.keys()].flatMap((cluster) => [...(indexEntries.get(cluster) ?? [])].filter(([, entry]) => !entry.app).map(([path, entry]): [string, RenderedFileEntry] => [`${cluster}/${path}`, entry]));
          units.record(PLATFORM_UNIT, { key: platform.key, files: entriesDigest(entries), ...confirmedOnDisk(root, entries.map(([path]) => path)) });
        }
        if (isFiltered(filter)) for (const id of units.ids()) units.keep(id);
        // Only a render that decided every unit's entries vouches for the indexes as a whole
        // (a filtered one keeps other units' entries as it found them, edited or not).
        else for (const cluster of fleet.clusters.keys()) units.recordIndex(cluster, readmes.get(cluster)!);
        units.save();
      }
    }
    const toRoot = (path: string) => `clusters/${path}`;
    return {
      written: [...write.keys()].sort().map(toRoot),
      deleted: [...remove].sort().map(toRoot),
      unchanged,
      differences: differences.sort(),
      objects,
      cache: {
        hits: cached.length,
        synthesized: misses.length,
        definitionsImported: definitions?.misses ?? 0,
        definitionsCached: definitions?.hits ?? 0,
        platformReused: platform.cached === true,
        indexesSpliced: spliced?.size ?? 0,
      },
    };
  }
}

const PLATFORM_UNIT = "(platform)";

/** A cluster's new index, made from the last one's text (see `spliceIndexes`). */
interface SplicedIndex {
  readonly text: string;
  readonly readme: ReadmeSummary;
  /** The last index's paths under the directories of the instances synthesized again. */
  readonly owned: ReadonlySet<string>;
  /** Those of them no longer rendered. */
  readonly removed: readonly string[];
  /** Entries kept as they were: everything but the synthesized instances'. */
  readonly kept: number;
}

/** The names a README lists for these entries, as one comparable string. */
function readmeLabels(entries: readonly (readonly [string, RenderedFileEntry])[]): string {
  return [...new Set(entries.map(([path, entry]) => readmeLabel(path, entry)))].sort().join("\n");
}

/**
 * Each cluster's new index and README made from the last ones without reading the whole index:
 * the synthesized instances' entries replaced in its text (index-text.ts), and the README's
 * summary, recorded with the index, updated by their counts. Only when that is exactly what
 * rewriting the index whole would give: every index untouched since the unfiltered render that
 * recorded it, with the same head; the same instances and platform entries as then (the caller
 * asks only when the platform units were reused, whose key includes the instance list); each
 * synthesized instance's files, old and new, under its own directory and listed by the README as
 * before. Otherwise `undefined`, and the caller rewrites the indexes whole.
 */
function spliceIndexes(
  previous: PreviousIndexes,
  units: UnitCache,
  clusters: readonly string[],
  heads: ReadonlyMap<string, IndexHead>,
  /** The synthesized files (the only files of this render), by unit id. */
  byInstance: ReadonlyMap<string, readonly RenderedFile[]>,
  misses: readonly Miss[],
): Map<string, SplicedIndex> | undefined {
  for (const files of byInstance.values()) {
    for (const { path, entry } of files) if (!entry.app || !entry.environment || !path.startsWith(`${entry.environment}/${entry.app}/`)) return undefined;
  }
  const replaced = new Map<string, { block: InstanceBlock; files: readonly RenderedFile[] }[]>();
  for (const { id, instance } of misses) {
    const block = previous.block(instance.cluster, instance.environment, instance.app);
    const now = byInstance.get(id);
    if (!block?.clean || !now) return undefined;
    if (readmeLabels(block.entries) !== readmeLabels(now.map((f) => [f.path, f.entry]))) return undefined;
    listIn(replaced, instance.cluster).push({ block, files: now });
  }
  if (misses.length !== byInstance.size) return undefined;
  const out = new Map<string, SplicedIndex>();
  for (const cluster of clusters) {
    const head = heads.get(cluster);
    const view = previous.view(cluster);
    const readme = units.indexReadme(cluster);
    if (!head || !view?.hasHead(head) || !readme) return undefined;
    const blocks = replaced.get(cluster) ?? [];
    const owned = new Set(blocks.flatMap(({ block }) => block.entries.map(([path]) => path)));
    const rendered = new Set(blocks.flatMap(({ files: now }) => now.map((f) => f.path)));
    const kept = readme.count - owned.size;
    out.set(cluster, {
      text: blocks.length === 0 ? view.text : view.splice(blocks.map(({ block, files: now }) => ({ block, entries: now.map((f): [string, RenderedFileEntry] => [f.path, f.entry]) }))),
      readme: { count: kept + rendered.size, sections: readme.sections },
      owned,
      removed: [...owned].filter((path) => !rendered.has(path)),
      kept,
    });
  }
  return out;
}

/**
 * The tenant, add-on and Argo CD units depend on the fleet-wide definitions, the fleet settings,
 * which app instances exist (and what they need: secrets, ingress hosts) — not on the apps'
 * contents. When none of that changed since the last unfiltered render and their files are as
 * written, their entries are reused and their producers (and checks, which passed then) skipped.
 */
function platformUnits(
  root: string,
  fleet: Fleet,
  filter: RenderFilter,
  global: string,
  units: UnitCache,
  /** The cluster's platform entries in its last index, paths relative to the cluster. */
  platformEntries: (cluster: string) => IndexEntries,
  unchangedOnDisk: ReadonlySet<string>,
  indexUntouched: (cluster: string) => boolean,
): { key?: string; cached?: boolean } {
  if (isFiltered(filter) || !units.enabled) return {};
  const instances = planAppInstances(fleet).map((i) => [instanceId(i), fleet.apps.get(i.app)!.tenant, instanceFacts(fleet, i)]);
  const settingsPath = join(root, "slipway.config.ts");
  const settings = existsSync(settingsPath) ? readFileSync(settingsPath, "utf8") : "";
  const key = unitKey([PLATFORM_UNIT, global, JSON.stringify(instances), settings]);
  const record = units.lookup(PLATFORM_UNIT, key);
  if (!record) return { key };
  const clusters = [...fleet.clusters.keys()];
  // Relative to `clusters/`, as the record was made; only needed when the stats do not vouch.
  const all = () => clusters.flatMap((cluster) => platformEntries(cluster).map(([path, e]): [string, RenderedFileEntry] => [`${cluster}/${path}`, e]));
  if (!clusters.every(indexUntouched) && record.files !== entriesDigest(all())) return { key };
  if (unchangedOnDisk.has(PLATFORM_UNIT)) units.record(PLATFORM_UNIT, record);
  else {
    const entries = all();
    if (!entries.every(([path, e]) => fileMatches(root, path.split("/")[0]!, path.slice(path.indexOf("/") + 1), e.sha256))) return { key };
    units.record(PLATFORM_UNIT, { ...record, ...confirmedOnDisk(root, entries.map(([path]) => path)) });
  }
  return { key, cached: true };
}

/**
 * Two objects, one path: an error, never an overwrite (across worker chunks and cached instances
 * too). Cached entries come from one index per cluster, so they cannot collide with each other:
 * only the synthesized files are collected, and the cached entries looked up among them.
 */
function checkCollisions(files: readonly RenderedFile[], cached: readonly { instance: AppInstance; entries: [string, RenderedFileEntry][] }[]): void {
  const synthesized = new Map<string, RenderedFileEntry>();
  const describe = (e: RenderedFileEntry) => `${e.kind} ${e.namespace ? `${e.namespace}/` : ""}${e.name} (from ${e.app ? `app ${e.app}` : e.addon ? `add-on ${e.addon}` : e.tenant ? `tenant ${e.tenant}` : "render"})`;
  const collision = (cluster: string, key: string, first: RenderedFileEntry, second: RenderedFileEntry) =>
    new RenderCollisionError(`two objects would be written to clusters/${key}`, {
      cluster,
      expected: "one object per path",
      received: `${describe(first)} and ${describe(second)}`,
      hint: "rename one of the objects; render never overwrites one resource with another",
    });
  for (const file of files) {
    const key = `${file.cluster}/${file.path}`;
    const previous = synthesized.get(key);
    if (previous) throw collision(file.cluster, key, previous, file.entry);
    synthesized.set(key, file.entry);
  }
  if (synthesized.size === 0) return;
  for (const { instance, entries } of cached) {
    for (const [path, entry] of entries) {
      const other = synthesized.get(`${instance.cluster}/${path}`);
      if (other) throw collision(instance.cluster, `${instance.cluster}/${path}`, entry, other);
    }
  }
}

/** Clusters that have a rendered tree on disk (possibly no longer in the fleet). */
function listOwnedClusters(root: string): string[] {
  const dir = join(root, "clusters");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, RENDERED_INDEX_FILE)))
    .map((e) => e.name);
}

/** YAML files inside directories render owns that are not in the index: someone added them by hand. */
function unownedRenderedFiles(root: string, cluster: string, entries: ReadonlyMap<string, RenderedFileEntry>, files: readonly RenderedFile[]): string[] {
  const dirs = new Set(files.map((f) => f.path.split("/").slice(0, -1).join("/")));
  for (const path of entries.keys()) dirs.add(path.split("/").slice(0, -1).join("/"));
  const out: string[] = [];
  for (const dir of dirs) {
    if (!dir) continue;
    for (const path of listTreeFiles(root, `${cluster}/${dir}`)) {
      const relative = path.slice(cluster.length + 1);
      if (relative.split("/").slice(0, -1).join("/") === dir && /\.ya?ml$/.test(path) && !entries.has(relative)) out.push(path);
    }
  }
  return [...new Set(out)].sort();
}
