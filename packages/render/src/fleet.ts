/** The loaded fleet: every definition, checked, with the file it came from. */
import type { FleetSettings } from "@slipway/argocd";
import type { AddonChoice, Cluster, Environment, LoadedApp, ReleasesFile, Tenant } from "@slipway/core";

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
   * (pinned-addons.ts). An add-on not listed for a cluster renders from the working tree.
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
