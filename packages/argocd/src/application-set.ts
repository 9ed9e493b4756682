/**
 * ApplicationSets: one Application per rendered directory.
 *
 * - apps: one set per environment and tenant, listing the tenant's rendered app directories;
 *   its project is fixed (the tenant's), never templated, so a directory cannot pick a project.
 * - tenants: one set whose git directory generator finds `clusters/<cluster>/tenants/*`.
 * - add-ons: list generators, one element per add-on directory (namespace and wave differ per
 *   add-on). Their CRD sources are plain Applications (crd-applications.ts), so that the
 *   bootstrap can wait for them.
 *
 * All use Go templates with `missingkey=error`. Platform sets (tenants, add-ons, CRDs) keep
 * Applications' resources when an Application or the set is deleted, and only create or update
 * Applications. App sets retire deliberately (see {@link appsCommon}): an app removed from an
 * environment has its Application deleted with cascade, so no workload is left unmanaged.
 */
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { Annotations, Labels, tenantNamespace, type Environment } from "@slipway/core";
import { destination } from "./destination";
import { SELF_REPO, type AddonDescription, type ArgocdClusterInput } from "./model";
import { ArgocdAnnotations, RootWave, STAGE_LABEL, Stage, baseLabels, names } from "./names";
import { HPA_REPLICAS, INJECTED_CA_BUNDLES, addonSyncPolicy, appSyncPolicy, tenantSyncPolicy } from "./sync-policy";

type Spec = ConstructorParameters<typeof ApplicationSet>[0] extends infer T ? (T extends { spec?: infer S } ? NonNullable<S> : never) : never;
type Template = Spec["template"];

/** Path of a cluster's rendered directory, relative to the repository root. */
export function clusterPath(cluster: string, ...segments: string[]): string {
  return ["clusters", cluster, ...segments].join("/");
}

export function setMeta(input: ArgocdClusterInput, name: string, sourceFile: string) {
  return {
    name,
    namespace: input.settings.argocd.namespace,
    labels: baseLabels(input.cluster.name),
    annotations: { [Annotations.source]: sourceFile, [ArgocdAnnotations.syncWave]: String(RootWave.applicationSets) },
  };
}

export function appMeta(input: ArgocdClusterInput, name: string, wave: string, labels: Record<string, string>) {
  return {
    name,
    labels: { ...baseLabels(input.cluster.name), ...labels },
    annotations: {
      [ArgocdAnnotations.syncWave]: wave,
      // A commit refreshes only the Applications whose directory it touches.
      [ArgocdAnnotations.manifestGeneratePaths]: ".",
    },
  };
}

export function common(template: Template): Omit<Spec, "generators"> {
  return {
    goTemplate: true,
    goTemplateOptions: ["missingkey=error"],
    syncPolicy: { preserveResourcesOnDeletion: true, applicationsSync: "create-update" },
    template,
  };
}

/** Argo CD's finalizer that makes deleting an Application delete its resources first (cascade). */
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

/**
 * App sets: an app's Applications are deleted with their workloads when the app leaves the
 * environment (its release removed from the lock file, so render drops its directory and its
 * generator element). `applicationsSync: sync` lets the ApplicationSet controller delete the
 * Application it no longer generates, and the resources finalizer makes that deletion cascade;
 * deleting the whole set garbage-collects its Applications (owner references) with the same
 * cascade. Nothing is left running without an Application: retirement is the reviewed removal in
 * the pull request, which `slipway diff` and `slipway argocd preview` flag as a risk.
 */
export function appsCommon(template: Template): Omit<Spec, "generators"> {
  return {
    ...common({ ...template, metadata: { ...template.metadata, finalizers: [RESOURCES_FINALIZER] } }),
    syncPolicy: { preserveResourcesOnDeletion: false, applicationsSync: "sync" },
  };
}

export function fleetSource(input: ArgocdClusterInput, path: string) {
  return { repoURL: input.settings.repository.url, targetRevision: input.settings.repository.revision, path, directory: { recurse: true } };
}

function gitGenerator(input: ArgocdClusterInput, directories: { path: string; exclude?: boolean }[]) {
  return { git: { repoURL: input.settings.repository.url, revision: input.settings.repository.revision, directories } };
}

/**
 * One set per environment × tenant with at least one rendered app; `undefined` otherwise, and
 * for an environment with a rollout (its Applications come from the rollout sets on the hub).
 */
export function appsSet(input: ArgocdClusterInput, environment: Environment, tenant: { name: string; file: string }): ApplicationSet | undefined {
  if (environment.sync.rollout) return undefined;
  const cluster = input.cluster.name;
  const dirs = input.apps
    .filter((a) => a.environment === environment.name && a.tenant === tenant.name)
    .map((a) => a.app)
    .sort();
  if (dirs.length === 0) return undefined;
  return new ApplicationSet({
    metadata: setMeta(input, names.appsSet(cluster, environment.name, tenant.name), tenant.file),
    spec: {
      generators: [gitGenerator(input, dirs.map((app) => ({ path: clusterPath(cluster, environment.name, app) })))],
      ...appsCommon({
        metadata: appMeta(input, names.app(cluster, environment.name, "{{.path.basename}}"), String(Stage.apps.wave), {
          [Labels.environment]: environment.name,
          [Labels.tenant]: tenant.name,
          [Labels.app]: "{{.path.basename}}",
          [STAGE_LABEL]: Stage.apps.name,
        }),
        spec: {
          project: names.tenantProject(cluster, tenant.name),
          source: fleetSource(input, "{{.path.path}}"),
          destination: destination(input.cluster, tenantNamespace(tenant.name, environment.name)),
          syncPolicy: appSyncPolicy(environment),
          ignoreDifferences: HPA_REPLICAS,
        },
      }),
    },
  });
}

export function tenantsSet(input: ArgocdClusterInput): ApplicationSet | undefined {
  if (input.tenants.length === 0) return undefined;
  const cluster = input.cluster.name;
  return new ApplicationSet({
    metadata: setMeta(input, names.tenantsSet(cluster), input.clusterFile),
    spec: {
      generators: [gitGenerator(input, [{ path: clusterPath(cluster, "tenants", "*") }])],
      ...common({
        metadata: appMeta(input, names.tenant(cluster, "{{.path.basename}}"), String(Stage.tenants.wave), {
          [Labels.tenant]: "{{.path.basename}}",
          [STAGE_LABEL]: Stage.tenants.name,
        }),
        spec: {
          project: names.platformProject(cluster),
          source: fleetSource(input, "{{.path.path}}"),
          destination: destination(input.cluster),
          syncPolicy: tenantSyncPolicy(),
        },
      }),
    },
  });
}

/** Add-on directories, split by apply mode (a sync option cannot be templated per element). */
export function addonsSet(input: ArgocdClusterInput, serverSideApply: boolean): ApplicationSet | undefined {
  const cluster = input.cluster.name;
  const addons = input.addons.filter((a) => a.serverSideApply === serverSideApply);
  if (addons.length === 0) return undefined;
  return new ApplicationSet({
    metadata: setMeta(input, names.addonsSet(cluster, serverSideApply), input.clusterFile),
    spec: {
      generators: [{
        list: {
          elements: addons.map((a) => ({ addon: a.name, namespace: a.namespace, wave: String(addonWave(a)), dir: clusterPath(cluster, "addons", a.name) })),
        },
      }],
      ...common({
        metadata: appMeta(input, names.addon(cluster, "{{.addon}}"), "{{.wave}}", { [Labels.addon]: "{{.addon}}", [STAGE_LABEL]: Stage.addons.name }),
        spec: {
          project: names.platformProject(cluster),
          source: fleetSource(input, "{{.dir}}"),
          destination: destination(input.cluster, "{{.namespace}}"),
          syncPolicy: addonSyncPolicy(serverSideApply),
          ignoreDifferences: [...HPA_REPLICAS, ...INJECTED_CA_BUNDLES],
        },
      }),
    },
  });
}

/** Where an add-on's CRDs come from, with this repository substituted for {@link SELF_REPO}. */
export function crdSource(input: ArgocdClusterInput, addon: AddonDescription): { repoURL: string; targetRevision: string; path: string } | undefined {
  if (!addon.crds) return undefined;
  return addon.crds.repoURL === SELF_REPO
    ? { repoURL: input.settings.repository.url, targetRevision: input.settings.repository.revision, path: addon.crds.path }
    : { repoURL: addon.crds.repoURL, targetRevision: addon.crds.targetRevision, path: addon.crds.path };
}

/** An add-on's Application wave: the library's, kept before tenants (and after the CRD wave just below it). */
export function addonWave(addon: AddonDescription): number {
  return Math.min(Stage.tenants.wave - 1, Math.trunc(addon.syncWave));
}
