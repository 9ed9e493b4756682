/**
 * How generated Applications sync: per environment for apps, fixed for the platform's own
 * Applications. Platform Applications never cascade a deletion (their sets preserve resources);
 * app Applications do, when the app is retired (application-set.ts, `appsCommon`).
 */
import type { Environment } from "@slipway/core";

type Retry = { limit: number; backoff: { duration: string; factor: number; maxDuration: string } };
type IgnoreDifference = { group?: string; kind: string; jsonPointers?: string[]; jqPathExpressions?: string[] };

export interface SyncPolicy {
  automated?: { prune: boolean; selfHeal: boolean; allowEmpty: boolean };
  syncOptions: string[];
  retry: Retry;
}

/** Transient failures (a CRD not yet established, a webhook not yet ready) are retried, backing off to 5 minutes. */
export const RETRY: Retry = { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } };

/** Sync options every generated Application uses. */
const COMMON_OPTIONS = ["PruneLast=true", "RespectIgnoreDifferences=true"];

/** Apps: automated (prune + self-heal) or manual, as the environment says; sync windows live on the AppProjects. */
export function appSyncPolicy(environment: Environment): SyncPolicy {
  return {
    ...(environment.sync.mode === "automated" ? { automated: { prune: true, selfHeal: true, allowEmpty: false } } : {}),
    syncOptions: [...COMMON_OPTIONS, "ApplyOutOfSyncOnly=true"],
    retry: RETRY,
  };
}

/**
 * Apps of a rolled-out environment: `automated: { prune: true }` in the template. With progressive
 * syncs on, the ApplicationSet controller switches automation off on each Application it steers and
 * triggers the step's syncs itself, taking the sync's prune flag from the template's
 * `automated.prune` (argo-cd v3.x applicationset/progressivesync, SyncDesiredApplications); without
 * it a rollout would never delete what git dropped. With progressive syncs off on the controller,
 * the same template makes every cluster sync at once, automatically (no stepping).
 */
export function rolloutSyncPolicy(): SyncPolicy {
  return { automated: { prune: true, selfHeal: true, allowEmpty: false }, syncOptions: [...COMMON_OPTIONS, "ApplyOutOfSyncOnly=true"], retry: RETRY };
}

/** Tenants: namespaces, RBAC, quotas. Self-healed but never pruned automatically (pruning a Namespace deletes everything in it). */
export function tenantSyncPolicy(): SyncPolicy {
  return { automated: { prune: false, selfHeal: true, allowEmpty: false }, syncOptions: [...COMMON_OPTIONS], retry: RETRY };
}

/** Add-ons: automated; their configuration may name kinds whose CRDs another Application installs. */
export function addonSyncPolicy(serverSideApply: boolean): SyncPolicy {
  return {
    automated: { prune: true, selfHeal: true, allowEmpty: false },
    syncOptions: [...COMMON_OPTIONS, "CreateNamespace=true", "SkipDryRunOnMissingResource=true", ...(serverSideApply ? ["ServerSideApply=true"] : [])],
    retry: RETRY,
  };
}

/** CRDs: server-side apply (they exceed the client-side annotation limit); never pruned (that would delete every custom resource). */
export function crdSyncPolicy(): SyncPolicy {
  return { automated: { prune: false, selfHeal: true, allowEmpty: false }, syncOptions: [...COMMON_OPTIONS, "ServerSideApply=true"], retry: RETRY };
}

/** The bootstrap Application: keeps AppProjects and ApplicationSets exactly as rendered. */
export function bootstrapSyncPolicy(): SyncPolicy {
  return { automated: { prune: true, selfHeal: true, allowEmpty: false }, syncOptions: [...COMMON_OPTIONS], retry: RETRY };
}

/** Replicas an HorizontalPodAutoscaler owns: never reverted by a sync. */
export const HPA_REPLICAS: IgnoreDifference[] = [
  { group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] },
  { group: "apps", kind: "StatefulSet", jsonPointers: ["/spec/replicas"] },
];

/** CA bundles injected at runtime (cert-manager's cainjector, controllers that rotate their own certificates). */
export const INJECTED_CA_BUNDLES: IgnoreDifference[] = [
  { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration", jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"] },
  { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration", jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"] },
  { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", jqPathExpressions: [".spec.conversion.webhook.clientConfig.caBundle"] },
  { group: "apiregistration.k8s.io", kind: "APIService", jsonPointers: ["/spec/caBundle"] },
];
