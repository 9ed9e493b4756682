/**
 * What the Argo CD generator needs to know about one cluster, decoupled from how the fleet is
 * loaded (render builds it from the fleet; tests build it by hand).
 */
import type { Cluster, Environment, Tenant, FleetSettings } from "@slipway/core";

/** Stands for this repository in a CRD source (the add-on library's `SELF_REPO`). */
export const SELF_REPO = "self";

/** An add-on as Argo CD deploys it: the add-on library describes it (types only; no runtime dependency). */
export type { AddonDescription } from "@slipway/addons";
import type { AddonDescription } from "@slipway/addons";

/**
 * A progressive rollout run by this cluster's Argo CD: the environment's apps sync cluster by
 * cluster, in the environment's `sync.rollout` steps. Every cluster in it is this cluster or one
 * of its spokes.
 */
export interface RolloutInput {
  readonly environment: Environment;
  /** Repository-relative path of the environment's definition (where the steps are written). */
  readonly environmentFile: string;
  /** Rendered app directories of the environment on the rollout's clusters. */
  readonly instances: readonly { readonly cluster: string; readonly app: string; readonly tenant: string; readonly destinationName: string }[];
}

/** A cluster whose Argo CD objects this cluster's Argo CD applies (hub topology). */
export interface SpokeCluster {
  readonly name: string;
  readonly sourceFile: string;
}

export interface ArgocdClusterInput {
  readonly settings: FleetSettings;
  readonly cluster: Cluster;
  /** Repository-relative path of the cluster's `cluster.ts`. */
  readonly clusterFile: string;
  /** The environments the cluster hosts, in promotion order. */
  readonly environments: readonly Environment[];
  readonly tenants: readonly { readonly def: Tenant; readonly file: string }[];
  /** Rendered app directories `clusters/<cluster>/<environment>/<app>`. */
  readonly apps: readonly { readonly environment: string; readonly app: string; readonly tenant: string }[];
  /** Add-ons switched on for the cluster, each rendered to `clusters/<cluster>/addons/<name>`. */
  readonly addons: readonly AddonDescription[];
  /** Clusters managed by this cluster's Argo CD (when it is a hub). */
  readonly spokes: readonly SpokeCluster[];
  /** Rollouts this cluster's Argo CD runs (it hosts, or is the hub of, the environment's clusters). */
  readonly rollouts?: readonly RolloutInput[];
}
