/**
 * AppProjects: one per tenant, fenced to the tenant's namespaces on the cluster, with no
 * cluster-scoped kinds; one `platform` project for tenants' namespaces, add-ons and CRDs.
 */
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { Annotations, Labels, tenantNamespace, type Tenant } from "@slipway/core";
import { crdSource } from "./application-set";
import { appDestination, destination } from "./destination";
import type { ArgocdClusterInput } from "./model";
import { ArgocdAnnotations, RootWave, baseLabels, names } from "./names";

/** Kinds in a tenant namespace the platform owns (rendered under `tenants/`); tenant apps may not touch them. */
const PLATFORM_OWNED_NAMESPACED = [
  { group: "", kind: "ResourceQuota" },
  { group: "", kind: "LimitRange" },
];

function projectMeta(input: ArgocdClusterInput, name: string, sourceFile: string, extraLabels: Record<string, string> = {}) {
  return {
    name,
    namespace: input.settings.argocd.namespace,
    labels: { ...baseLabels(input.cluster.name), ...extraLabels },
    annotations: { [Annotations.source]: sourceFile, [ArgocdAnnotations.syncWave]: String(RootWave.projects) },
  };
}

export function tenantProject(input: ArgocdClusterInput, tenant: { def: Tenant; file: string }): AppProject {
  const { cluster } = input;
  const project = names.tenantProject(cluster.name, tenant.def.name);
  const role = (name: string, groups: readonly string[], actions: readonly string[], description: string) =>
    groups.length === 0
      ? []
      : [{
          name,
          description,
          groups: [...groups],
          policies: actions.map((action) => `p, proj:${project}:${name}, applications, ${action}, ${project}/*, allow`),
        }];
  const { viewers, developers, operators } = tenant.def.groups;
  return new AppProject({
    metadata: projectMeta(input, project, tenant.file, { [Labels.tenant]: tenant.def.name }),
    spec: {
      description: `Apps of tenant ${tenant.def.name} on ${cluster.name}${tenant.def.description ? `: ${tenant.def.description}` : ""}`,
      sourceRepos: [input.settings.repository.url],
      destinations: input.environments.map((env) => appDestination(cluster, env, tenantNamespace(tenant.def.name, env.name))),
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: PLATFORM_OWNED_NAMESPACED,
      orphanedResources: { warn: true },
      roles: [
        ...role("viewer", viewers, ["get"], "Read the tenant's Applications"),
        ...role("developer", developers, ["get", "sync"], "Read and sync the tenant's Applications"),
        ...role("operator", operators, ["get", "sync", "action/*"], "Sync and run resource actions (restart, scale)"),
      ],
      syncWindows: input.environments.flatMap((env) =>
        env.sync.windows.map((w) => ({
          kind: w.kind,
          schedule: w.schedule,
          duration: w.duration,
          timeZone: w.timeZone,
          applications: [`${names.app(cluster.name, env.name, "*")}`],
          // Operators can still sync by hand (break-glass); windows gate automated syncs. A
          // rollout's steps are syncs Argo CD counts as manual, so a rolled-out environment's
          // windows hold manual syncs too, or a freeze would not stop the rollout.
          manualSync: !env.sync.rollout,
        })),
      ),
    },
  });
}

export function platformProject(input: ArgocdClusterInput): AppProject {
  const { cluster } = input;
  const crdRepos = input.addons.flatMap((a) => crdSource(input, a)?.repoURL ?? []);
  return new AppProject({
    metadata: projectMeta(input, names.platformProject(cluster.name), input.clusterFile),
    spec: {
      description: `Platform on ${cluster.name}: tenants' namespaces, add-ons and their CRDs`,
      sourceRepos: [...new Set([input.settings.repository.url, ...crdRepos])].sort(),
      destinations: [destination(cluster, "*")],
      clusterResourceWhitelist: [{ group: "*", kind: "*" }],
    },
  });
}
