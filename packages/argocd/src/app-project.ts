/**
 * AppProjects: one per tenant, fenced to the tenant's namespaces on the cluster, with no
 * cluster-scoped kinds; one `platform` project for tenants' namespaces, add-ons and CRDs.
 */
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { Annotations, Labels, tenantNamespace, type Environment, type Tenant } from "@slipway/core";
import { crdSource } from "./application-set";
import { appDestination, destination } from "./destination";
import type { ArgocdClusterInput } from "./model";
import { ArgocdAnnotations, RootWave, baseLabels, names } from "./names";

/** Kinds in a tenant namespace the platform owns (rendered under `tenants/`); tenant apps may not touch them. */
const PLATFORM_OWNED_NAMESPACED = [
  { group: "", kind: "ResourceQuota" },
  { group: "", kind: "LimitRange" },
  // The tenant's door to Secrets Manager, with the tenant's IAM role: only the platform writes it.
  { group: "external-secrets.io", kind: "SecretStore" },
];

type RoleName = "viewer" | "developer" | "operator";

/**
 * What each tenant role may do in Argo CD, per environment:
 * - everyone reads the Applications, and their pods' logs where the environment allows logs
 *   (`logs, get`: enforced as its own permission since Argo CD 3.0, no longer implied by `get`);
 * - developers sync only where the environment allows exec: a sync may name any revision of the
 *   repository (`argocd app sync --revision <branch>`), which would deploy what nobody reviewed;
 *   in a reviewed-only environment (prod) changes arrive through Git and only operators sync, as
 *   break-glass;
 * - operators sync and run resource actions (restart, scale);
 * - nobody may `override` (sync local manifests, and, with Argo CD ≥ 3.2's
 *   `application.sync.requireOverridePrivilegeForRevisionSync: "true"`, sync another revision).
 */
export function tenantRoleActions(role: RoleName, environment: Environment): { resource: "applications" | "logs"; action: string }[] {
  const logs = environment.policy.allowLogs ? [{ resource: "logs" as const, action: "get" }] : [];
  const get = [{ resource: "applications" as const, action: "get" }, ...logs];
  const sync = [{ resource: "applications" as const, action: "sync" }];
  switch (role) {
    case "viewer":
      return get;
    case "developer":
      return [...get, ...(environment.policy.allowExec ? sync : [])];
    case "operator":
      return [...get, ...sync, { resource: "applications", action: "action/*" }];
  }
}

const ROLE_DESCRIPTIONS: Record<RoleName, string> = {
  viewer: "Read the tenant's Applications and their logs",
  developer: "Read the tenant's Applications; sync them where the environment allows exec (never in reviewed-only environments)",
  operator: "Sync (break-glass in reviewed-only environments) and run resource actions (restart, scale)",
};

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
  const role = (name: RoleName, groups: readonly string[]) =>
    groups.length === 0
      ? []
      : [{
          name,
          description: ROLE_DESCRIPTIONS[name],
          groups: [...groups],
          policies: [
            ...input.environments.flatMap((env) =>
              tenantRoleActions(name, env).map(({ resource, action }) => `p, proj:${project}:${name}, ${resource}, ${action}, ${project}/${names.app(cluster.name, env.name, "*")}, allow`),
            ),
            `p, proj:${project}:${name}, applications, override, ${project}/*, deny`,
          ],
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
        ...role("viewer", viewers),
        ...role("developer", developers),
        ...role("operator", operators),
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
