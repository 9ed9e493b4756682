/**
 * The add-ons' CRD sources: one Application per source, written as a plain Application in the
 * cluster's `argocd/` directory, applied server-side and never pruned.
 *
 * Why plain Applications and not an ApplicationSet: sync waves on Applications an ApplicationSet
 * generates order nothing — the ApplicationSet controller creates them all at once, and a wave
 * only matters to a parent Application that syncs the Applications as its own resources. The
 * bootstrap Application is that parent for these: it applies them one wave before every
 * ApplicationSet and, as for any wave, waits for them to be healthy before going on. With the
 * Application health check Slipway documents (README: "Bootstrap order"), an Application is
 * healthy once its resources are — CRDs once they are Established — so no add-on, tenant or app
 * Application exists before every CRD of the cluster is served.
 */
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { Annotations, Labels } from "@slipway/core";
import { crdSource } from "./application-set";
import { destination } from "./destination";
import type { AddonDescription, ArgocdClusterInput } from "./model";
import { ArgocdAnnotations, RootWave, STAGE_LABEL, Stage, baseLabels, names } from "./names";
import { INJECTED_CA_BUNDLES, crdSyncPolicy } from "./sync-policy";

function crdApplication(input: ArgocdClusterInput, addon: AddonDescription): Application {
  const cluster = input.cluster.name;
  const crds = addon.crds!;
  const source = crdSource(input, addon)!;
  return new Application({
    metadata: {
      name: names.addonCrds(cluster, addon.name),
      namespace: input.settings.argocd.namespace,
      labels: { ...baseLabels(cluster), [Labels.addon]: addon.name, [STAGE_LABEL]: Stage.crds.name },
      annotations: {
        [Annotations.source]: input.clusterFile,
        [ArgocdAnnotations.syncWave]: String(RootWave.crds),
        [ArgocdAnnotations.manifestGeneratePaths]: ".",
      },
    },
    spec: {
      project: names.platformProject(cluster),
      source: {
        ...source,
        // A kustomization fetching a release's CRD file; otherwise CRD files, and only those.
        ...(crds.kustomize ? { kustomize: {} } : { directory: { recurse: Boolean(crds.recurse), include: crds.include ?? "*.yaml" } }),
      },
      destination: destination(input.cluster),
      syncPolicy: crdSyncPolicy(),
      ignoreDifferences: INJECTED_CA_BUNDLES.filter((d) => d.kind === "CustomResourceDefinition"),
    },
  });
}

/** One Application per add-on CRD source of the cluster, by add-on name. */
export function crdApplications(input: ArgocdClusterInput): Application[] {
  return input.addons
    .filter((a) => a.crds)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((a) => crdApplication(input, a));
}
