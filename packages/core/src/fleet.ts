/**
 * The loaded fleet: every definition, checked, with the file it came from; and which app
 * instances it deploys (cheap to compute: render decides what to synthesize from it).
 */
import type { AddonChoice, Cluster, Environment, ReleasesFile, Tenant } from "./fleet-schema";
import type { ResolvedApp } from "./app-schema";
import { resolveApp, type LoadedApp } from "./resolve";
import type { RenderedFileEntry } from "./rendered-index";
import type { FleetSettings } from "./settings";

export interface Sourced<T> {
  readonly def: T;
  /** Repository-relative path, POSIX separators. */
  readonly file: string;
}

export interface LoadedEnvironment extends Sourced<Environment> {
  readonly releases: ReleasesFile;
  readonly releasesFile: string;
  /**
   * The app definitions this environment's lock file pins (`definition: <commit>`), by app: the
   * base of the app's definition as of that fleet commit. An app not listed renders from the
   * working tree (the first environment always does). The app's `environments.<env>` block is
   * never pinned: it comes from the working tree, reviewed by the environment's owners.
   */
  readonly definitions: Readonly<Record<string, PinnedDefinition>>;
  /**
   * The add-on definitions this environment's lock file pins, by add-on, then by cluster
   * (render's pinned-addons.ts). An add-on not listed for a cluster renders from the working tree.
   */
  readonly addons?: Readonly<Record<string, Readonly<Record<string, PinnedAddon>>>>;
}

export interface PinnedAddon {
  /** The full fleet commit. */
  readonly commit: string;
  /** `version` and `values` of `addons/<addon>.ts` at that commit. */
  readonly version: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface PinnedDefinition {
  /** The full fleet commit. */
  readonly commit: string;
  readonly base: LoadedApp["base"];
}

export interface FleetApp extends LoadedApp {
  readonly name: string;
  readonly tenant: string;
}

export interface Fleet {
  /** Absolute path of the repository root. */
  readonly root: string;
  /** In promotion order: the first environment of the chain first. */
  readonly environments: ReadonlyMap<string, LoadedEnvironment>;
  readonly clusters: ReadonlyMap<string, Sourced<Cluster>>;
  readonly tenants: ReadonlyMap<string, Sourced<Tenant>>;
  readonly apps: ReadonlyMap<string, FleetApp>;
  readonly addons: ReadonlyMap<string, Sourced<AddonChoice>>;
  /** `slipway.config.ts`: where the repository lives for Argo CD; without it no Argo CD objects are rendered. */
  readonly settings?: FleetSettings;
}

/** Directory names under `clusters/<cluster>/` that are not environments. */
export const RESERVED_CLUSTER_DIRS = ["argocd", "addons", "tenants"] as const;

/** What a filter selects: everything, or a cluster, an environment, an app (combinable). */
export interface RenderFilter {
  readonly cluster?: string;
  readonly env?: string;
  readonly app?: string;
}

/** Whether a unit owned by `owner` on `cluster` is selected by `filter`. */
export function unitInScope(owner: Pick<RenderedFileEntry, "environment" | "tenant" | "app" | "addon">, cluster: string, filter: RenderFilter): boolean {
  if (filter.cluster && filter.cluster !== cluster) return false;
  if (filter.env && owner.environment !== filter.env) return false;
  if (filter.app && owner.app !== filter.app) return false;
  return true;
}

export interface AppInstance {
  readonly cluster: string;
  readonly environment: string;
  readonly app: string;
}

/** The app instances a fleet deploys: an app runs in an environment once it has a release there. */
export function planAppInstances(fleet: Fleet, filter: RenderFilter = {}): AppInstance[] {
  const out: AppInstance[] = [];
  for (const [clusterName, { def: cluster }] of [...fleet.clusters].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const envName of cluster.environments) {
      const env = fleet.environments.get(envName)!;
      for (const appName of [...fleet.apps.keys()].sort()) {
        if (!env.releases.apps[appName]) continue;
        const app = fleet.apps.get(appName)!;
        if (!unitInScope({ environment: envName, tenant: app.tenant, app: appName }, clusterName, filter)) continue;
        out.push({ cluster: clusterName, environment: envName, app: appName });
      }
    }
  }
  return out;
}

const resolvedByFleet = new WeakMap<Fleet, Map<string, ResolvedApp>>();

/**
 * An app resolved for an instance. Clusters hosting the same environment with the same
 * `appDefaults` resolve an app identically, so the result is shared between them: resolving
 * (layering plus a full schema check) is a large part of synthesizing an instance.
 */
export function resolveInstance(fleet: Fleet, instance: AppInstance): ResolvedApp {
  let memo = resolvedByFleet.get(fleet);
  if (!memo) resolvedByFleet.set(fleet, (memo = new Map()));
  const cluster = fleet.clusters.get(instance.cluster)!.def;
  const key = `${instance.app}\u0000${instance.environment}\u0000${JSON.stringify(cluster.appDefaults)}`;
  let app = memo.get(key);
  if (!app) {
    const environment = fleet.environments.get(instance.environment)!;
    const loaded = fleet.apps.get(instance.app)!;
    // The base as the lock file pins it (later environments), else the working tree's (the first).
    const pinned = environment.definitions[instance.app];
    app = resolveApp(pinned ? { ...loaded, base: pinned.base } : loaded, environment.def, cluster);
    memo.set(key, app);
  }
  return app;
}

/** The environment whose lock file pins a cluster's add-ons: the latest of the chain it hosts. */
export function governingEnvironmentName(fleet: Fleet, hosted: readonly string[]): string | undefined {
  return [...fleet.environments.keys()].filter((e) => hosted.includes(e)).at(-1);
}
