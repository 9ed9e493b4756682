/**
 * Roles for the tenant's identity-provider groups (never individual users), in each of its
 * namespaces. Deploys go through git, so even operators get no write access to workloads'
 * specs beyond restarts and scaling; nobody reads Secrets (they come from AWS Secrets Manager).
 */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, type TenantInstanceContext } from "./context";

const READ = ["get", "list", "watch"];

/** Everything a tenant may see in its namespaces: every kind it deploys, never Secrets. */
const VIEW: k8s.PolicyRule[] = [
  { apiGroups: [""], resources: ["pods", "pods/log", "services", "endpoints", "configmaps", "events", "persistentvolumeclaims", "serviceaccounts", "resourcequotas", "limitranges"], verbs: READ },
  { apiGroups: ["apps"], resources: ["deployments", "replicasets", "statefulsets", "daemonsets"], verbs: READ },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: READ },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: READ },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: READ },
  { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: READ },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
  { apiGroups: ["external-secrets.io"], resources: ["externalsecrets"], verbs: READ },
  { apiGroups: ["monitoring.coreos.com"], resources: ["prometheusrules", "servicemonitors", "podmonitors"], verbs: READ },
];

/** Deploy-adjacent actions: restart a pod, run a CronJob now, reach a pod, force a secret refresh. */
const DEVELOP: k8s.PolicyRule[] = [
  { apiGroups: [""], resources: ["pods"], verbs: ["delete"] },
  { apiGroups: [""], resources: ["pods/portforward"], verbs: ["create"] },
  { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "delete"] },
  { apiGroups: ["external-secrets.io"], resources: ["externalsecrets"], verbs: ["patch"] },
];

/** On-call actions: rollout restarts, scaling, evictions; exec only where the environment allows it. */
function operate(allowExec: boolean): k8s.PolicyRule[] {
  return [
    { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: ["patch"] },
    { apiGroups: ["apps"], resources: ["deployments/scale", "statefulsets/scale"], verbs: ["get", "update", "patch"] },
    { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
    ...(allowExec ? [{ apiGroups: [""], resources: ["pods/exec", "pods/attach"], verbs: ["create", "get"] }] : []),
  ];
}

export type TenantRole = "viewer" | "developer" | "operator";

export function roleRules(role: TenantRole, allowExec: boolean): k8s.PolicyRule[] {
  switch (role) {
    case "viewer":
      return VIEW;
    case "developer":
      return [...VIEW, ...DEVELOP];
    case "operator":
      return [...VIEW, ...DEVELOP, ...operate(allowExec)];
  }
}

const GROUPS: Record<TenantRole, "viewers" | "developers" | "operators"> = { viewer: "viewers", developer: "developers", operator: "operators" };

export function addRbac(scope: Construct, ctx: TenantInstanceContext): void {
  for (const role of ["viewer", "developer", "operator"] as const) {
    const groups = ctx.tenant.groups[GROUPS[role]];
    const name = `${ctx.tenant.name}-${role}`;
    const annotations: Record<string, string> = role === "operator" && !ctx.environment.policy.allowExec ? { "slipway.dev/exec": `denied: environment ${ctx.environment.name} does not allow exec` } : {};
    new k8s.KubeRole(scope, `role-${role}`, { metadata: metadata(ctx, name, { annotations }), rules: roleRules(role, ctx.environment.policy.allowExec) });
    if (groups.length === 0) continue;
    new k8s.KubeRoleBinding(scope, `binding-${role}`, {
      metadata: metadata(ctx, name),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [...groups].sort().map((group) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group })),
    });
  }
}
