/**
 * Names, labels and sync waves of the Argo CD objects Slipway generates. Every name starts
 * with the cluster so one Argo CD (a hub) can hold several clusters' objects side by side.
 */
import { Labels, MANAGED_BY } from "@slipway/core";

/** Label on every generated Argo CD object and Application: the cluster it deploys to. */
export const CLUSTER_LABEL = "slipway.dev/cluster";
/** Label on generated Applications: the ordering stage, for RollingSync steps and filtering. */
export const STAGE_LABEL = "slipway.dev/stage";

/** Argo CD annotation keys Slipway writes. */
export const ArgocdAnnotations = {
  syncWave: "argocd.argoproj.io/sync-wave",
  manifestGeneratePaths: "argocd.argoproj.io/manifest-generate-paths",
} as const;

/** The API server address of the cluster Argo CD runs in. */
export const IN_CLUSTER_SERVER = "https://kubernetes.default.svc";
/** The name Argo CD registers its own cluster under (destinations by name, as in rollouts). */
export const IN_CLUSTER_NAME = "in-cluster";

/**
 * Order in which Argo CD brings a cluster up: namespaces and CRDs, add-on controllers, add-on
 * configuration, tenants, apps. Add-ons take their wave from the add-on library (below
 * `tenants`); an add-on's CRD source syncs one wave before the add-on.
 */
export const Stage = {
  crds: { name: "crds" },
  addons: { name: "addons" },
  tenants: { name: "tenants", wave: 50 },
  apps: { name: "apps", wave: 60 },
} as const;
export type StageName = (typeof Stage)[keyof typeof Stage]["name"];

/**
 * Waves of the objects the bootstrap Application applies: projects before the sets that use
 * them, and the add-ons' CRD Applications before every set (the bootstrap waits for them to be
 * healthy, i.e. every CRD served, before it creates the sets whose Applications use them).
 */
export const RootWave = { projects: -30, spokes: -25, crds: -22, applicationSets: -20 } as const;

export const names = {
  bootstrap: (cluster: string) => `${cluster}-bootstrap`,
  platformProject: (cluster: string) => `${cluster}-platform`,
  tenantProject: (cluster: string, tenant: string) => `${cluster}-${tenant}`,
  appsSet: (cluster: string, env: string, tenant: string) => `${cluster}-${env}-${tenant}`,
  tenantsSet: (cluster: string) => `${cluster}-tenants`,
  addonsSet: (cluster: string, serverSideApply: boolean) => `${cluster}-addons${serverSideApply ? "-ssa" : ""}`,
  /** A rollout set lives on the hub and generates the app's Applications on every cluster of the rollout. */
  rolloutSet: (hub: string, env: string, app: string) => `${hub}-rollout-${env}-${app}`,
  /** Readable Application names; the template forms use the generator's parameters. */
  app: (cluster: string, env: string, app: string) => `${cluster}-${env}-${app}`,
  tenant: (cluster: string, tenant: string) => `${cluster}-tenant-${tenant}`,
  addon: (cluster: string, addon: string) => `${cluster}-addon-${addon}`,
  addonCrds: (cluster: string, addon: string) => `${cluster}-addon-${addon}-crds`,
};

/** Labels every generated Argo CD object carries. */
export function baseLabels(cluster: string): Record<string, string> {
  return { [Labels.managedBy]: MANAGED_BY, [Labels.partOf]: "slipway-argocd", [CLUSTER_LABEL]: cluster };
}
