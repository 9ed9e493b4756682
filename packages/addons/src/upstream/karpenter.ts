/** Karpenter 1.6.3 (karpenter-provider-aws v1.6.3), from the Helm chart templates (read, not rendered). The controller is configured through env, not flags. */
import { cluster, inNamespace, own, r, type UpstreamFacts } from "./facts";

const READ = ["get", "list", "watch"];

export const karpenterFacts: UpstreamFacts = {
  addon: "karpenter",
  version: "1.6.3",
  compared: [
    "charts/karpenter/templates/deployment.yaml@v1.6.3",
    "charts/karpenter/templates/clusterrole-core.yaml, clusterrole.yaml, role.yaml, rolebinding.yaml@v1.6.3",
    "charts/karpenter/values.yaml@v1.6.3 (feature gates, batching, tolerations, priority class)",
    "pkg/apis/crds@v1.6.3",
  ],
  images: { controller: "public.ecr.aws/karpenter/controller" },
  flags: { controller: [] },
  env: {
    controller: [
      "KUBERNETES_MIN_VERSION", "KARPENTER_SERVICE", "LOG_LEVEL", "LOG_OUTPUT_PATHS", "LOG_ERROR_OUTPUT_PATHS", "METRICS_PORT", "HEALTH_PROBE_PORT",
      "SYSTEM_NAMESPACE", "MEMORY_LIMIT", "FEATURE_GATES", "BATCH_MAX_DURATION", "BATCH_IDLE_DURATION", "PREFERENCE_POLICY", "MIN_VALUES_POLICY",
      "CLUSTER_CA_BUNDLE", "CLUSTER_NAME", "CLUSTER_ENDPOINT", "ISOLATED_VPC", "EKS_CONTROL_PLANE", "VM_MEMORY_OVERHEAD_PERCENT", "INTERRUPTION_QUEUE",
      "RESERVED_ENIS", "DISABLE_DRY_RUN",
    ],
  },
  rbac: {
    karpenter: [
      cluster(
        r(["karpenter.sh"], ["nodepools", "nodepools/status", "nodeclaims", "nodeclaims/status"], READ),
        r([""], ["pods", "nodes", "persistentvolumes", "persistentvolumeclaims", "replicationcontrollers", "namespaces"], READ),
        r(["storage.k8s.io"], ["storageclasses", "csinodes", "volumeattachments"], READ),
        r(["apps"], ["daemonsets", "deployments", "replicasets", "statefulsets"], ["list", "watch"]),
        r(["policy"], ["poddisruptionbudgets"], READ),
        r([""], ["events"], READ),
        r(["karpenter.sh"], ["nodeclaims", "nodeclaims/status"], ["create", "delete", "update", "patch"]),
        r(["karpenter.sh"], ["nodepools", "nodepools/status"], ["update", "patch"]),
        r([""], ["events"], ["create", "patch"]),
        r([""], ["nodes"], ["patch", "delete", "update"]),
        r([""], ["pods/eviction"], ["create"]),
        r([""], ["pods"], ["delete"]),
      ),
      cluster(
        r(["karpenter.k8s.aws"], ["ec2nodeclasses"], READ),
        r(["karpenter.k8s.aws"], ["ec2nodeclasses", "ec2nodeclasses/status"], ["patch", "update"]),
      ),
      own(
        r(["coordination.k8s.io"], ["leases"], ["get", "watch"]),
        r(["coordination.k8s.io"], ["leases"], ["patch", "update"], ["karpenter-leader-election"]),
        r(["coordination.k8s.io"], ["leases"], ["create"]),
      ),
      inNamespace("kube-system", r([""], ["services"], ["get"], ["kube-dns"])),
    ],
  },
};
