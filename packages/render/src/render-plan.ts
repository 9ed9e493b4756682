/**
 * Which units a render synthesizes and which it carries over. Every unit has a key — the hash of
 * everything it is made from — and the last render's record of it (unit-cache.ts): a unit whose
 * key is unchanged, and whose entries in the last `rendered.json` are the ones recorded, keeps
 * them; every other unit is synthesized and replaces its entries. The units:
 * - each app instance: made from the fleet-wide definitions, its app's definition and its release;
 * - the platform (tenants, add-ons, Argo CD, of every cluster): made from the fleet-wide
 *   definitions, from which app instances exist, and from the three app fields the platform reads
 *   (`ingress` and `aws`: the fleet-wide host and role checks, the AWS resources summary's app roles,
 *   the namespaces' readiness-gate label; `backup`: the velero add-on's per-app Schedules).
 */
import {
  planAppInstances,
  type AppInstance,
  type Fleet,
  type RenderedFileEntry,
  type RenderedIndex,
  type RenderFilter,
} from "@slipway/core";
import { sha256Hex } from "./cache-files";
import { platformAppInputs } from "@slipway/tenants";
import { addonPinsKey } from "./pinned-addons";
import { entriesDigest, unitKey, type UnitCache } from "./unit-cache";

export type Entries = [string, RenderedFileEntry][];

export interface PlannedInstance {
  readonly instance: AppInstance;
  /** `<cluster>/<environment>/<app>`. */
  readonly id: string;
  readonly key: string;
  /** The entries carried over from the last index; `undefined`: synthesize it. */
  readonly reuse?: Entries;
}

export interface RenderPlan {
  readonly instances: readonly PlannedInstance[];
  /** The platform unit: its key (none for a filtered render, which produces it in its scope) and the entries carried over, per cluster. */
  readonly platform: { readonly key?: string; readonly reuse?: ReadonlyMap<string, Entries> };
}

export const PLATFORM_UNIT = "(platform)";

export function instanceId(instance: AppInstance): string {
  return `${instance.cluster}/${instance.environment}/${instance.app}`;
}

export function isFiltered(filter: RenderFilter): boolean {
  return Boolean(filter.app || filter.cluster || filter.env);
}

/** The last index's entries by unit: app instances by id, the rest (the platform's) by cluster. */
export function entriesByUnit(previous: ReadonlyMap<string, RenderedIndex>): { instances: Map<string, Entries>; platform: Map<string, Entries> } {
  const instances = new Map<string, Entries>();
  const platform = new Map<string, Entries>();
  const add = (map: Map<string, Entries>, id: string, entry: [string, RenderedFileEntry]) => (map.get(id) ?? map.set(id, []).get(id)!).push(entry);
  for (const [cluster, index] of previous) {
    for (const [path, entry] of Object.entries(index.files)) {
      if (entry.app && entry.environment) add(instances, `${cluster}/${entry.environment}/${entry.app}`, [path, entry]);
      else add(platform, cluster, [path, entry]);
    }
  }
  return { instances, platform };
}

/** Hash of the definitions every unit depends on: environments (not their releases), clusters, tenants, add-ons, settings. */
function fleetWideKey(fleet: Fleet): string {
  return sha256Hex(JSON.stringify({
    environments: [...fleet.environments].map(([name, e]) => [name, e.def, e.file]),
    clusters: [...fleet.clusters].map(([name, c]) => [name, c.def, c.file]),
    tenants: [...fleet.tenants].map(([name, t]) => [name, t.def, t.file]),
    addons: [...fleet.addons].map(([name, a]) => [name, a.def, a.file]),
    settings: fleet.settings ?? null,
  }));
}

export function planRender(fleet: Fleet, filter: RenderFilter, previous: ReadonlyMap<string, RenderedIndex>, cache: UnitCache): RenderPlan {
  const global = fleetWideKey(fleet);
  const last = entriesByUnit(previous);
  const carried = (id: string, key: string, entries: Entries | undefined) => {
    const record = cache.lookup(id, key);
    return record && entries && record.files === entriesDigest(entries) ? entries : undefined;
  };
  // Each app's definition hashed once, not once per instance: it is most of the bytes.
  const appHashes = new Map([...fleet.apps].map(([name, app]) => [name, sha256Hex(JSON.stringify(app))]));
  const instances = planAppInstances(fleet, filter).map((instance): PlannedInstance => {
    const id = instanceId(instance);
    const release = JSON.stringify(fleet.environments.get(instance.environment)!.releases.apps[instance.app]);
    const key = unitKey([global, id, appHashes.get(instance.app)!, release]);
    const reuse = carried(id, key, last.instances.get(id));
    return { instance, id, key, ...(reuse ? { reuse } : {}) };
  });
  if (isFiltered(filter)) return { instances, platform: {} };
  const key = unitKey([PLATFORM_UNIT, global, JSON.stringify(instances.map((i) => i.id)), JSON.stringify(platformAppInputs(fleet)), addonPinsKey(fleet)]);
  const clusters = [...fleet.clusters.keys()];
  const all = clusters.flatMap((cluster) => (last.platform.get(cluster) ?? []).map(([path, entry]): [string, RenderedFileEntry] => [`${cluster}/${path}`, entry]));
  const reused = carried(PLATFORM_UNIT, key, all);
  return { instances, platform: { key, ...(reused ? { reuse: new Map(clusters.map((cluster) => [cluster, last.platform.get(cluster) ?? []])) } : {}) } };
}
