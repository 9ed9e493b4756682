/**
 * The bootstrap Application: applied once by hand, it makes Argo CD manage the cluster's
 * `argocd/` directory (itself included), and through it every AppProject and ApplicationSet.
 *
 * A spoke (a cluster managed by a hub's Argo CD) has no bootstrap of its own: the hub's
 * `argocd/` directory holds one Application per spoke pointing at the spoke's `argocd/`
 * directory, so the hub adopts a new spoke as soon as it is merged.
 */
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { Annotations } from "@slipway/core";
import { clusterPath } from "./application-set";
import type { ArgocdClusterInput } from "./model";
import { ArgocdAnnotations, IN_CLUSTER_SERVER, RootWave, baseLabels, names } from "./names";
import { bootstrapSyncPolicy } from "./sync-policy";

/**
 * The project of bootstrap Applications. It must exist before anything else (the AppProjects are
 * created by these Applications), so it is Argo CD's built-in `default`; restrict that project
 * to this repository's `clusters/*\/argocd` paths (see README).
 */
export const BOOTSTRAP_PROJECT = "default";

/** The Application syncing `clusters/<cluster>/argocd` into the Argo CD that runs in this cluster (the hub for spokes). */
export function bootstrapApplication(input: ArgocdClusterInput, cluster: string, sourceFile: string, wave?: number): Application {
  const namespace = input.settings.argocd.namespace;
  return new Application({
    metadata: {
      name: names.bootstrap(cluster),
      namespace,
      labels: baseLabels(cluster),
      annotations: {
        [Annotations.source]: sourceFile,
        [ArgocdAnnotations.manifestGeneratePaths]: ".",
        ...(wave === undefined ? {} : { [ArgocdAnnotations.syncWave]: String(wave) }),
      },
    },
    spec: {
      project: BOOTSTRAP_PROJECT,
      source: {
        repoURL: input.settings.repository.url,
        targetRevision: input.settings.repository.revision,
        path: clusterPath(cluster, "argocd"),
        directory: { recurse: false },
      },
      // AppProjects and ApplicationSets live in Argo CD's own namespace, whatever cluster they deploy to.
      destination: { server: IN_CLUSTER_SERVER, namespace },
      syncPolicy: bootstrapSyncPolicy(),
    },
  });
}

/** The bootstrap of this cluster (unless it is a spoke) and one per spoke it manages. */
export function bootstrapApplications(input: ArgocdClusterInput): Application[] {
  const own = input.cluster.argocd.topology === "hub" ? [] : [bootstrapApplication(input, input.cluster.name, input.clusterFile)];
  const spokes = [...input.spokes]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((spoke) => bootstrapApplication(input, spoke.name, spoke.sourceFile, RootWave.spokes));
  return [...own, ...spokes];
}
