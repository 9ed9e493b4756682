/** ConfigMap for plain config, ExternalSecrets for everything secret (never a Secret in git). */
import { TENANT_SECRET_STORE } from "@slipway/core";
import { ApiObject } from "cdk8s";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, type AppInstanceContext } from "./context";
import { configMapName, secretName } from "./pod-spec";

/**
 * The namespaced SecretStore every ExternalSecret reads through: one per tenant namespace
 * (rendered with the tenant), using the tenant's own IAM role, so an app can only ever read what
 * its tenant may. Never the add-on's ClusterSecretStore.
 */
export const SECRET_STORE_REF = { kind: "SecretStore", name: TENANT_SECRET_STORE } as const;

export function addConfig(scope: Construct, ctx: AppInstanceContext): void {
  const entries = Object.entries(ctx.app.config).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return;
  new k8s.KubeConfigMap(scope, "config", {
    metadata: metadata(ctx, configMapName(ctx)),
    data: Object.fromEntries(entries),
  });
}

export function addExternalSecrets(scope: Construct, ctx: AppInstanceContext): void {
  for (const secret of ctx.app.secrets) {
    const data = Object.entries(secret.env ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([envVar, property]) => ({ secretKey: envVar, remoteRef: { key: secret.from, property } }));
    new ApiObject(scope, `external-secret-${secret.name}`, {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: metadata(ctx, secretName(ctx, secret.name)),
      spec: {
        refreshInterval: secret.refreshInterval,
        secretStoreRef: { ...SECRET_STORE_REF },
        target: { name: secretName(ctx, secret.name), creationPolicy: "Owner", deletionPolicy: "Retain" },
        ...(data.length ? { data } : {}),
        // A mounted secret carries every property of the AWS secret as a file.
        ...(secret.mountPath ? { dataFrom: [{ extract: { key: secret.from } }] } : {}),
      },
    });
  }
}
