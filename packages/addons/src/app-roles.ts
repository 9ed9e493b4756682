/**
 * The apps' half of the AWS resources summary: every IAM role the cluster's app instances name,
 * with the trust policy each needs, and the role of each tenant's SecretStore with the secrets it
 * may read. Render collects them (it sees the apps); this adds them to the cluster's summary.
 */
import { awsPartition, type Cluster, type KubeObject } from "@slipway/core";
import type { IamTrust } from "./types";

/** One app instance naming a role: IRSA trusts its ServiceAccount, Pod Identity its association. */
export interface AppRoleUse {
  readonly arn: string;
  readonly identity: "irsa" | "pod-identity";
  readonly tenant: string;
  readonly app: string;
  readonly environment: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** A tenant's SecretStore role on the cluster: trusted by its ServiceAccount in each tenant namespace. */
export interface TenantSecretsRole {
  readonly arn: string;
  readonly tenant: string;
  readonly namespaces: readonly string[];
  readonly serviceAccount: string;
  readonly secretPrefixes: readonly string[];
}

function trustOf(cluster: Cluster, use: Pick<AppRoleUse, "identity" | "namespace" | "serviceAccount">): IamTrust {
  return use.identity === "irsa"
    ? { mode: "irsa", oidcProvider: cluster.aws.oidcProvider, subject: `system:serviceaccount:${use.namespace}:${use.serviceAccount}`, audience: "sts.amazonaws.com" }
    : { mode: "pod-identity", principal: "pods.eks.amazonaws.com", namespace: use.namespace, serviceAccount: use.serviceAccount };
}

const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** The summary with `spec.appRoles` and `spec.tenantSecretsRoles` added (both sorted by ARN). */
export function withAppRoles(summary: KubeObject, cluster: Cluster, uses: readonly AppRoleUse[], tenantRoles: readonly TenantSecretsRole[]): KubeObject {
  const roles = new Map<string, AppRoleUse[]>();
  for (const use of uses) (roles.get(use.arn) ?? roles.set(use.arn, []).get(use.arn)!).push(use);
  const partition = awsPartition(cluster.aws.region);
  const appRoles = [...roles].sort(([a], [b]) => (a < b ? -1 : 1)).map(([arn, list]) => ({
    arn,
    tenant: list[0]!.tenant,
    usedBy: [...list].sort(byKey((u) => `${u.app}/${u.environment}`)).map((u) => ({ app: u.app, environment: u.environment })),
    // One statement per ServiceAccount: IRSA `sub` = system:serviceaccount:<ns>:<sa>, `aud` = sts.amazonaws.com; Pod Identity: the association.
    trust: [...list].sort(byKey((u) => `${u.namespace}/${u.serviceAccount}/${u.identity}`)).map((u) => trustOf(cluster, u)),
  }));
  const tenantSecretsRoles = [...tenantRoles].sort(byKey((r) => r.arn)).map((r) => ({
    arn: r.arn,
    tenant: r.tenant,
    trust: [...r.namespaces].sort().map((namespace) => trustOf(cluster, { identity: "irsa", namespace, serviceAccount: r.serviceAccount })),
    allow: {
      actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      resources: r.secretPrefixes.map((p) => `arn:${partition}:secretsmanager:${cluster.aws.region}:${cluster.aws.accountId}:secret:${p}*`),
    },
  }));
  const spec = (summary as { spec?: Record<string, unknown> }).spec ?? {};
  return { ...summary, spec: { ...spec, appRoles, tenantSecretsRoles } };
}
