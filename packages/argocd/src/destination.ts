/** Where a cluster's Applications deploy: the Argo CD's own cluster, or a cluster registered in a hub. */
import type { Cluster, Environment } from "@slipway/core";
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from "./names";

export interface Destination {
  server?: string;
  name?: string;
  namespace?: string;
}

export function destination(cluster: Cluster, namespace?: string): Destination {
  const target = cluster.argocd.topology === "hub" ? { name: cluster.argocd.registeredName } : { server: IN_CLUSTER_SERVER };
  return namespace === undefined ? target : { ...target, namespace };
}

/** The cluster's name in the Argo CD that manages it: its registered name on a hub, `in-cluster` on its own. */
export function destinationName(cluster: Cluster): string {
  return cluster.argocd.topology === "hub" ? cluster.argocd.registeredName : IN_CLUSTER_NAME;
}

/**
 * Where an environment's apps deploy on the cluster. A rollout's Applications name their
 * cluster (one template serves every cluster of the rollout), so the projects of a rolled-out
 * environment allow the cluster by name.
 */
export function appDestination(cluster: Cluster, environment: Environment, namespace: string): Destination {
  return environment.sync.rollout ? { name: destinationName(cluster), namespace } : destination(cluster, namespace);
}
