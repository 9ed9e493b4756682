/**
 * API lifecycle: which apiVersions a Kubernetes minor version serves. Facts from the
 * Kubernetes deprecation guide; `introduced` is the first minor serving the version
 * (only where it matters for the versions EKS has supported), `removed` the first that
 * no longer does. Field-level additions follow for the fields a golden-path app uses.
 */
import type { FieldSinceTable } from "./schema/dts";

export interface ApiLifecycle {
  readonly apiVersion: string;
  /** Kinds this row covers; `*` for every kind of the apiVersion. */
  readonly kinds: readonly string[];
  readonly introduced?: number;
  readonly deprecated?: number;
  readonly removed?: number;
  /** Replacement apiVersion, or a sentence when there is none. */
  readonly replacement: string;
}

const row = (apiVersion: string, kinds: string[], deprecated: number | undefined, removed: number | undefined, replacement: string, introduced?: number): ApiLifecycle => ({
  apiVersion,
  kinds,
  ...(introduced !== undefined ? { introduced } : {}),
  ...(deprecated !== undefined ? { deprecated } : {}),
  ...(removed !== undefined ? { removed } : {}),
  replacement,
});

export const API_LIFECYCLE: readonly ApiLifecycle[] = [
  // removed in 1.16
  row("extensions/v1beta1", ["Deployment", "DaemonSet", "ReplicaSet"], 9, 16, "apps/v1"),
  row("extensions/v1beta1", ["NetworkPolicy"], 9, 16, "networking.k8s.io/v1"),
  row("extensions/v1beta1", ["PodSecurityPolicy"], 11, 16, "policy/v1beta1 (itself removed in 1.25: use Pod Security Admission namespace labels)"),
  row("apps/v1beta1", ["*"], 9, 16, "apps/v1"),
  row("apps/v1beta2", ["*"], 9, 16, "apps/v1"),
  // removed in 1.22
  row("extensions/v1beta1", ["Ingress"], 14, 22, "networking.k8s.io/v1"),
  row("networking.k8s.io/v1beta1", ["Ingress", "IngressClass"], 19, 22, "networking.k8s.io/v1"),
  row("admissionregistration.k8s.io/v1beta1", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], 16, 22, "admissionregistration.k8s.io/v1"),
  row("apiextensions.k8s.io/v1beta1", ["*"], 16, 22, "apiextensions.k8s.io/v1"),
  row("apiregistration.k8s.io/v1beta1", ["*"], 19, 22, "apiregistration.k8s.io/v1"),
  row("authentication.k8s.io/v1beta1", ["*"], 19, 22, "authentication.k8s.io/v1"),
  row("authorization.k8s.io/v1beta1", ["*"], 19, 22, "authorization.k8s.io/v1"),
  row("certificates.k8s.io/v1beta1", ["*"], 19, 22, "certificates.k8s.io/v1"),
  row("coordination.k8s.io/v1beta1", ["*"], 19, 22, "coordination.k8s.io/v1"),
  row("rbac.authorization.k8s.io/v1beta1", ["*"], 17, 22, "rbac.authorization.k8s.io/v1"),
  row("scheduling.k8s.io/v1beta1", ["*"], 14, 22, "scheduling.k8s.io/v1"),
  row("storage.k8s.io/v1beta1", ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], 19, 22, "storage.k8s.io/v1"),
  // removed in 1.25
  row("batch/v1beta1", ["CronJob"], 21, 25, "batch/v1"),
  row("discovery.k8s.io/v1beta1", ["EndpointSlice"], 21, 25, "discovery.k8s.io/v1"),
  row("events.k8s.io/v1beta1", ["Event"], 19, 25, "events.k8s.io/v1"),
  row("autoscaling/v2beta1", ["HorizontalPodAutoscaler"], 22, 25, "autoscaling/v2"),
  row("policy/v1beta1", ["PodDisruptionBudget"], 21, 25, "policy/v1"),
  row("policy/v1beta1", ["PodSecurityPolicy"], 21, 25, "no replacement: PodSecurityPolicy is gone; use Pod Security Admission (pod-security.kubernetes.io/enforce namespace labels)"),
  row("node.k8s.io/v1beta1", ["RuntimeClass"], 20, 25, "node.k8s.io/v1"),
  // removed in 1.26, 1.27, 1.29, 1.32
  row("flowcontrol.apiserver.k8s.io/v1beta1", ["FlowSchema", "PriorityLevelConfiguration"], 23, 26, "flowcontrol.apiserver.k8s.io/v1 (1.29+) or v1beta3"),
  row("autoscaling/v2beta2", ["HorizontalPodAutoscaler"], 23, 26, "autoscaling/v2"),
  row("storage.k8s.io/v1beta1", ["CSIStorageCapacity"], 24, 27, "storage.k8s.io/v1"),
  row("flowcontrol.apiserver.k8s.io/v1beta2", ["FlowSchema", "PriorityLevelConfiguration"], 26, 29, "flowcontrol.apiserver.k8s.io/v1 (1.29+) or v1beta3", 23),
  row("flowcontrol.apiserver.k8s.io/v1beta3", ["FlowSchema", "PriorityLevelConfiguration"], 29, 32, "flowcontrol.apiserver.k8s.io/v1", 26),
  // introduced only (so older clusters reject them)
  row("networking.k8s.io/v1", ["Ingress", "IngressClass"], undefined, undefined, "networking.k8s.io/v1beta1", 19),
  row("policy/v1", ["PodDisruptionBudget"], undefined, undefined, "policy/v1beta1", 21),
  row("batch/v1", ["CronJob"], undefined, undefined, "batch/v1beta1", 21),
  row("discovery.k8s.io/v1", ["EndpointSlice"], undefined, undefined, "discovery.k8s.io/v1beta1", 21),
  row("node.k8s.io/v1", ["RuntimeClass"], undefined, undefined, "node.k8s.io/v1beta1", 20),
  row("autoscaling/v2", ["HorizontalPodAutoscaler"], undefined, undefined, "autoscaling/v2beta2", 23),
  row("storage.k8s.io/v1", ["CSIStorageCapacity"], undefined, undefined, "storage.k8s.io/v1beta1", 24),
  row("flowcontrol.apiserver.k8s.io/v1", ["FlowSchema", "PriorityLevelConfiguration"], undefined, undefined, "flowcontrol.apiserver.k8s.io/v1beta3", 29),
  row("admissionregistration.k8s.io/v1", ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"], undefined, undefined, "admissionregistration.k8s.io/v1beta1 (1.28–1.29)", 30),
  // Custom resources: what each add-on serves comes from its CRDs (schemas/crds/), not from here.
];

const byApiVersion = new Map<string, ApiLifecycle[]>();
for (const l of API_LIFECYCLE) {
  const list = byApiVersion.get(l.apiVersion) ?? [];
  list.push(l);
  byApiVersion.set(l.apiVersion, list);
}

export function lifecycleOf(apiVersion: string, kind: string): ApiLifecycle | undefined {
  const rows = byApiVersion.get(apiVersion);
  if (!rows) return undefined;
  return rows.find((l) => l.kinds.includes(kind)) ?? rows.find((l) => l.kinds.includes("*"));
}

/**
 * Fields added after Kubernetes 1.23 (the oldest version we model), by definition and
 * field: the first minor where the field is served by default (beta or GA). The
 * bundled schemas are 1.33's, so an older target must not accept them.
 */
export const FIELD_SINCE: FieldSinceTable = {
  IoK8sApiCoreV1PodSpec: { hostUsers: 25, schedulingGates: 27, resourceClaims: 26, resources: 34 },
  IoK8sApiCoreV1Container: { resizePolicy: 27, restartPolicy: 29 },
  IoK8sApiCoreV1SecurityContext: { appArmorProfile: 30 },
  IoK8sApiCoreV1PodSecurityContext: { appArmorProfile: 30, supplementalGroupsPolicy: 33, seLinuxChangePolicy: 33 },
  IoK8sApiCoreV1LifecycleHandler: { sleep: 30 },
  IoK8sApiCoreV1Lifecycle: { stopSignal: 34 },
  IoK8sApiCoreV1Volume: { image: 33 },
  IoK8sApiCoreV1TopologySpreadConstraint: { matchLabelKeys: 27, nodeAffinityPolicy: 26, nodeTaintsPolicy: 26 },
  IoK8sApiCoreV1ServiceSpec: { trafficDistribution: 31 },
  IoK8sApiPolicyV1PodDisruptionBudgetSpec: { unhealthyPodEvictionPolicy: 27 },
  IoK8sApiAppsV1StatefulSetSpec: { persistentVolumeClaimRetentionPolicy: 27, ordinals: 27 },
  IoK8sApiBatchV1JobSpec: { podFailurePolicy: 26, backoffLimitPerIndex: 29, maxFailedIndexes: 29, podReplacementPolicy: 29, successPolicy: 31, managedBy: 32 },
  IoK8sApiBatchV1CronJobSpec: { timeZone: 25 },
};

/** The Kubernetes version of the bundled kubernetes-models schemas. */
export const SCHEMA_MINOR = 33;
export const OLDEST_MINOR = 16;
export const NEWEST_MINOR = 35;
