/**
 * ClusterRoles and Roles bound to an add-on's ServiceAccount. Every module writes its rules out
 * as its upstream release grants them at the pinned version (recorded in `src/upstream/`, where
 * the tests compare the two), so there are deliberately no shared "read everything" or
 * "leader election" bundles here: each controller gets the verbs it uses, on the names it uses.
 */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import type { AddonContext } from "../types";
import { meta } from "./meta";

export type Rule = k8s.PolicyRule;

export function rule(apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): Rule {
  return { apiGroups, resources, verbs, ...(resourceNames ? { resourceNames } : {}) };
}

export const READ = ["get", "list", "watch"];

/**
 * client-go leader election on Leases: create (a create cannot be limited to a name), then read
 * and renew only the named locks.
 */
export function leaseLock(locks: string[], verbs: string[] = ["get", "update", "patch"]): Rule[] {
  return [rule(["coordination.k8s.io"], ["leases"], ["create"]), rule(["coordination.k8s.io"], ["leases"], verbs, locks)];
}

export function addClusterRole(scope: Construct, ctx: AddonContext, name: string, rules: Rule[], serviceAccount?: string, extraLabels: Record<string, string> = {}): void {
  new k8s.KubeClusterRole(scope, `cr-${name}`, { metadata: meta(ctx, name, { namespace: null, wave: "foundation", labels: extraLabels }), rules });
  if (serviceAccount) bindClusterRole(scope, ctx, name, name, serviceAccount);
}

export function bindClusterRole(scope: Construct, ctx: AddonContext, name: string, clusterRole: string, serviceAccount: string, namespace = ctx.namespace): void {
  new k8s.KubeClusterRoleBinding(scope, `crb-${name}`, {
    metadata: meta(ctx, name, { namespace: null, wave: "foundation" }),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
    subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace }],
  });
}

export function addRole(scope: Construct, ctx: AddonContext, name: string, rules: Rule[], serviceAccount: string, namespace = ctx.namespace): void {
  new k8s.KubeRole(scope, `role-${namespace}-${name}`, { metadata: meta(ctx, name, { namespace, wave: "foundation" }), rules });
  new k8s.KubeRoleBinding(scope, `rb-${namespace}-${name}`, {
    metadata: meta(ctx, name, { namespace, wave: "foundation" }),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace: ctx.namespace }],
  });
}
