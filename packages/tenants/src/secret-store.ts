/**
 * The tenant's own door to AWS Secrets Manager: in each tenant namespace, a ServiceAccount bound
 * by IRSA to the tenant's secrets role (`<cluster>-<tenant>-secrets`, allowed to read only the
 * tenant's `aws.secretPrefixes`), and a namespaced SecretStore that authenticates as it. Every
 * ExternalSecret of the tenant's apps reads through this store, never through a ClusterSecretStore,
 * so one tenant cannot read another's secrets even by naming their path.
 *
 * external-secrets v0.18 (`external-secrets.io/v1` SecretStore, AWS provider): with
 * `auth.jwt.serviceAccountRef` the controller requests a token for that ServiceAccount (audience
 * `sts.amazonaws.com`) and calls AssumeRoleWithWebIdentity on the role in its
 * `eks.amazonaws.com/role-arn` annotation; for a namespaced store the ServiceAccount is always in
 * the store's own namespace.
 */
import { TENANT_SECRET_STORE, TENANT_SECRETS_SERVICE_ACCOUNT, tenantSecretsRoleArn } from "@slipway/core";
import { ApiObject } from "cdk8s";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, type TenantInstanceContext } from "./context";

/** The add-on that serves SecretStores; without it on the cluster there is nothing to render. */
export const EXTERNAL_SECRETS_ADDON = "external-secrets";

export function addSecretStore(scope: Construct, ctx: TenantInstanceContext): void {
  if (!Object.hasOwn(ctx.cluster.addons, EXTERNAL_SECRETS_ADDON)) return;
  new k8s.KubeServiceAccount(scope, "secrets-service-account", {
    metadata: metadata(ctx, TENANT_SECRETS_SERVICE_ACCOUNT, {
      annotations: { "eks.amazonaws.com/role-arn": tenantSecretsRoleArn(ctx.tenant.name, ctx.cluster) },
    }),
    // Only the external-secrets controller uses it, through a requested token; no pod mounts it.
    automountServiceAccountToken: false,
  });
  new ApiObject(scope, "secret-store", {
    apiVersion: "external-secrets.io/v1",
    kind: "SecretStore",
    metadata: metadata(ctx, TENANT_SECRET_STORE, {
      // The SecretStore kind's CRD comes with the add-on, which may sync after the tenant.
      annotations: { "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true" },
    }),
    spec: {
      provider: {
        aws: {
          service: "SecretsManager",
          region: ctx.cluster.aws.region,
          auth: { jwt: { serviceAccountRef: { name: TENANT_SECRETS_SERVICE_ACCOUNT } } },
        },
      },
    },
  });
}
