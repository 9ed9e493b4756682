/** monitoring: prometheus-operator v0.85.0 (its example/rbac manifests and flags) and kube-state-metrics v2.16.0 (its examples/standard manifests and options). */
import { cluster, r, type UpstreamFacts } from "./facts";

const LW = ["list", "watch"];
const READ = ["get", "list", "watch"];
const KSM_SECRETS = r([""], ["secrets"], LW);

export const monitoringFacts: UpstreamFacts = {
  addon: "monitoring",
  version: "v0.85.0",
  compared: [
    "example/rbac/prometheus-operator/prometheus-operator-{deployment,cluster-role,service}.yaml@v0.85.0",
    "example/rbac/prometheus/prometheus-cluster-role.yaml@v0.85.0",
    "cmd/operator/main.go, pkg/operator/config.go@v0.85.0 (flags; /healthz on the web listener)",
    "example/prometheus-operator-crd@v0.85.0",
    "kubernetes/kube-state-metrics:examples/standard/{deployment,cluster-role,service}.yaml@v2.16.0",
    "kubernetes/kube-state-metrics:pkg/options/options.go, resource.go@v2.16.0 (flags; default resources)",
  ],
  images: { operator: "quay.io/prometheus-operator/prometheus-operator", "kube-state-metrics": "registry.k8s.io/kube-state-metrics/kube-state-metrics" },
  flags: {
    operator: [
      "alertmanager-default-base-image", "alertmanager-instance-selector", "annotations", "apiserver", "as", "auto-gomemlimit-ratio", "ca-file", "cert-file",
      "cluster-domain", "config-reloader-cpu-limit", "config-reloader-cpu-request", "config-reloader-memory-limit", "config-reloader-memory-request",
      "controller-id", "disable-unmanaged-prometheus-configuration", "enable-config-reloader-probes", "key-file", "kubelet-endpoints", "kubelet-endpointslice",
      "kubelet-node-address-priority", "kubelet-selector", "kubelet-service", "kubelet-sync-period", "labels", "localhost", "log-format", "log-level",
      "prometheus-config-reloader", "prometheus-default-base-image", "prometheus-instance-selector", "secret-field-selector", "secret-label-selector",
      "thanos-default-base-image", "thanos-ruler-instance-selector", "tls-insecure", "watch-referenced-objects-in-all-namespaces", "web.cert-file",
      "web.client-ca-file", "web.enable-tls", "web.key-file", "web.listen-address", "web.tls-cipher-suites", "web.tls-min-version", "web.tls-reload-interval",
    ],
    "kube-state-metrics": [
      "apiserver", "auth-filter", "auto-gomemlimit", "auto-gomemlimit-ratio", "config", "custom-resource-state-config", "custom-resource-state-config-file",
      "custom-resource-state-only", "enable-gzip-encoding", "host", "kubeconfig", "metric-allowlist", "metric-annotations-allowlist", "metric-denylist",
      "metric-labels-allowlist", "metric-opt-in-list", "namespaces", "namespaces-denylist", "node", "object-limit", "pod", "pod-namespace", "port", "resources",
      "server-idle-timeout", "server-read-header-timeout", "server-read-timeout", "server-write-timeout", "shard", "telemetry-host", "telemetry-port",
      "tls-config", "total-shards", "track-unscheduled-pods", "use-apiserver-cache",
    ],
  },
  env: { operator: ["GOGC"] },
  rbac: {
    "prometheus-operator": [cluster(
      r(["monitoring.coreos.com"], [
        "alertmanagers", "alertmanagers/finalizers", "alertmanagers/status", "alertmanagerconfigs", "prometheuses", "prometheuses/finalizers",
        "prometheuses/status", "prometheusagents", "prometheusagents/finalizers", "prometheusagents/status", "thanosrulers", "thanosrulers/finalizers",
        "thanosrulers/status", "scrapeconfigs", "servicemonitors", "servicemonitors/status", "podmonitors", "probes", "prometheusrules",
      ], ["*"]),
      r(["apps"], ["statefulsets"], ["*"]),
      r([""], ["configmaps", "secrets"], ["*"]),
      r([""], ["pods"], ["list", "delete"]),
      r([""], ["services", "services/finalizers"], ["get", "create", "update", "delete"]),
      r([""], ["nodes"], LW),
      r([""], ["namespaces"], READ),
      r([""], ["events"], ["patch", "create"]),
      r(["networking.k8s.io"], ["ingresses"], READ),
      r(["storage.k8s.io"], ["storageclasses"], ["get"]),
      r([""], ["endpoints"], ["get", "create", "update", "delete"]),
    )],
    "kube-state-metrics": [cluster(
      r([""], ["configmaps", "nodes", "pods", "services", "serviceaccounts", "resourcequotas", "replicationcontrollers", "limitranges", "persistentvolumeclaims", "persistentvolumes", "namespaces", "endpoints"], LW),
      KSM_SECRETS,
      r(["apps"], ["statefulsets", "daemonsets", "deployments", "replicasets"], LW),
      r(["batch"], ["cronjobs", "jobs"], LW),
      r(["autoscaling"], ["horizontalpodautoscalers"], LW),
      r(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
      r(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
      r(["policy"], ["poddisruptionbudgets"], LW),
      r(["certificates.k8s.io"], ["certificatesigningrequests"], LW),
      r(["discovery.k8s.io"], ["endpointslices"], LW),
      r(["storage.k8s.io"], ["storageclasses", "volumeattachments"], LW),
      r(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], LW),
      r(["networking.k8s.io"], ["networkpolicies", "ingressclasses", "ingresses"], LW),
      r(["coordination.k8s.io"], ["leases"], LW),
      r(["rbac.authorization.k8s.io"], ["clusterrolebindings", "clusterroles", "rolebindings", "roles"], LW),
    )],
    prometheus: [cluster(
      r([""], ["nodes", "nodes/metrics", "services", "endpoints", "pods"], READ),
      r([""], ["configmaps"], ["get"]),
      r(["discovery.k8s.io"], ["endpointslices"], READ),
      r(["networking.k8s.io"], ["ingresses"], READ),
      { nonResourceUrLs: ["/metrics"], verbs: ["get"] },
    )],
  },
  omitted: {
    "kube-state-metrics": [
      {
        why: "list/watch on every Secret of the cluster would give the exporter their contents; it runs with --resources set to its defaults without `secrets`, so no kube_secret_* metrics",
        grants: [cluster(KSM_SECRETS)],
      },
      {
        why: "token and access reviews serve only --auth-filter, which stays off (Prometheus scrapes it inside the cluster network)",
        grants: [cluster(r(["authentication.k8s.io"], ["tokenreviews"], ["create"]), r(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]))],
      },
    ],
  },
};
