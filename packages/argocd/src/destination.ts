/** Where a cluster's Applications deploy: the Argo CD's own cluster, or a cluster registered in a hub. */
import type { Cluster } from "@slipway/core";
import { IN_CLUSTER_SERVER } from "./names";

export interface Destination {
  server?: string;
  name?: string;
  namespace?: string;
}

export function destination(cluster: Cluster, namespace?: string): Destination {
  const target = cluster.argocd.topology === "hub" ? { name: cluster.argocd.registeredName } : { server: IN_CLUSTER_SERVER };
  return namespace === undefined ? target : { ...target, namespace };
}
