/**
 * Kubeflow spark-operator v2.5.2, from the Helm chart templates (read, not rendered) and the
 * cobra flags of cmd/operator/{controller,webhook}/start.go (plus controller-runtime's zap flags,
 * bound into both commands' flag sets).
 */
import { cluster, own, r, type UpstreamFacts } from "./facts";

const READ = ["get", "list", "watch"];
const GROUP = "sparkoperator.k8s.io";
const ZAP = ["zap-devel", "zap-encoder", "zap-log-level", "zap-stacktrace-level", "zap-time-encoding"];
const CONTROLLER_FLAGS = [
  "controller-threads", "namespaces", "namespace-selector", "cache-sync-timeout", "max-tracked-executor-per-app", "workqueue-ratelimiter-bucket-qps",
  "workqueue-ratelimiter-bucket-size", "workqueue-ratelimiter-max-delay", "enable-batch-scheduler", "kube-scheduler-names", "default-batch-scheduler",
  "enable-ui-service", "ingress-class-name", "ingress-url-format", "ingress-tls", "ingress-annotations", "leader-election", "leader-election-lock-name",
  "leader-election-lock-namespace", "leader-election-lease-duration", "leader-election-renew-deadline", "leader-election-retry-period",
  "driver-pod-creation-grace-period", "kube-api-qps", "kube-api-burst", "enable-metrics", "metrics-bind-address", "metrics-endpoint", "metrics-prefix",
  "metrics-labels", "metrics-job-submit-latency-buckets", "metrics-job-start-latency-buckets", "health-probe-bind-address", "secure-metrics",
  "pprof-bind-address", "scheduled-spark-application-timestamp-precision", "feature-gates", ...ZAP,
];
const WEBHOOK_FLAGS = [
  "controller-threads", "namespaces", "label-selector-filter", "cache-sync-timeout", "kube-api-qps", "kube-api-burst", "webhook-cert-dir", "webhook-cert-name",
  "webhook-key-name", "mutating-webhook-name", "validating-webhook-name", "webhook-port", "webhook-secret-name", "webhook-secret-namespace", "webhook-svc-name",
  "webhook-svc-namespace", "enable-resource-quota-enforcement", "enable-cert-manager", "leader-election", "leader-election-lock-name",
  "leader-election-lock-namespace", "leader-election-lease-duration", "leader-election-renew-deadline", "leader-election-retry-period", "enable-metrics",
  "metrics-bind-address", "metrics-endpoint", "metrics-prefix", "metrics-labels", "health-probe-bind-address", "secure-metrics", ...ZAP,
];

export const sparkOperatorFacts: UpstreamFacts = {
  addon: "spark-operator",
  version: "v2.5.2",
  compared: [
    "charts/spark-operator-chart/templates/controller/deployment.yaml, rbac.yaml, _helpers.tpl@v2.5.2",
    "charts/spark-operator-chart/templates/webhook/deployment.yaml, rbac.yaml, service.yaml, _helpers.tpl@v2.5.2",
    "charts/spark-operator-chart/templates/webhook/mutatingwebhookconfiguration.yaml, validatingwebhookconfiguration.yaml@v2.5.2",
    "charts/spark-operator-chart/templates/spark/rbac.yaml@v2.5.2 (the driver's Role, rendered per app by @slipway/workloads)",
    "charts/spark-operator-chart/values.yaml@v2.5.2",
    "cmd/operator/controller/start.go, cmd/operator/webhook/start.go@v2.5.2 (flags, cert-manager mode)",
    "config/crd/bases@v2.5.2",
  ],
  images: { controller: "ghcr.io/kubeflow/spark-operator/controller", webhook: "ghcr.io/kubeflow/spark-operator/controller" },
  flags: { controller: CONTROLLER_FLAGS, webhook: WEBHOOK_FLAGS },
  rbac: {
    // With `spark.jobNamespaceSelector` set, the chart grants the policy rules cluster-wide and
    // namespaces read; the Role in the release namespace has the leader lock and events.
    "spark-operator-controller": [
      cluster(
        r([""], ["namespaces"], READ),
        r([""], ["pods"], [...READ, "create", "update", "delete"]),
        r([""], ["configmaps"], [...READ, "create", "update", "patch"]),
        r([""], ["services"], [...READ, "create", "update", "patch", "delete"]),
        r([""], ["events"], ["create", "update", "patch"]),
        r(["extensions", "networking.k8s.io"], ["ingresses"], ["get", "create", "update", "delete"]),
        r([GROUP], ["sparkapplications"], [...READ, "create", "delete"]),
        r([GROUP], ["scheduledsparkapplications", "sparkconnects"], READ),
        r([GROUP], ["sparkapplications/status", "sparkconnects/status", "scheduledsparkapplications/status"], ["update"]),
        r([GROUP], ["sparkapplications/finalizers"], ["update"]),
        r([GROUP], ["scheduledsparkapplications/finalizers"], ["update"]),
        r([GROUP], ["sparkconnects/finalizers"], ["update"]),
        r(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["get"]),
      ),
      own(
        r(["coordination.k8s.io"], ["leases"], ["create"]),
        r(["coordination.k8s.io"], ["leases"], ["get", "update"], ["spark-operator-controller-lock"]),
        r([""], ["events"], ["create", "update", "patch"]),
      ),
    ],
    "spark-operator-webhook": [
      cluster(
        r(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], ["list", "watch"]),
        r(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], ["get", "update"], ["spark-operator-webhook"]),
        r([""], ["resourcequotas"], ["list"]),
        r([""], ["pods"], ["list", "watch"]),
        r([GROUP], ["sparkapplications", "scheduledsparkapplications"], READ),
      ),
      own(
        r([""], ["events"], ["create", "update", "patch"]),
        r([""], ["secrets"], ["create"]),
        r([""], ["secrets"], ["get", "update"], ["spark-operator-webhook-certs"]),
        r(["coordination.k8s.io"], ["leases"], ["create"]),
        r(["coordination.k8s.io"], ["leases"], ["get", "update"], ["spark-operator-webhook-lock"]),
      ),
    ],
  },
  webhooks: [
    { type: "mutating", name: "mutate--v1-pod.sparkoperator.k8s.io", path: "/mutate--v1-pod", failurePolicy: "Fail" },
    { type: "mutating", name: "mutate-sparkoperator-k8s-io-v1beta2-sparkapplication.sparkoperator.k8s.io", path: "/mutate-sparkoperator-k8s-io-v1beta2-sparkapplication", failurePolicy: "Fail" },
    { type: "mutating", name: "mutate-sparkoperator-k8s-io-v1beta2-scheduledsparkapplication.sparkoperator.k8s.io", path: "/mutate-sparkoperator-k8s-io-v1beta2-scheduledsparkapplication", failurePolicy: "Fail" },
    { type: "mutating", name: "mutate-sparkoperator-k8s-io-v1alpha1-sparkconnect.sparkoperator.k8s.io", path: "/mutate-sparkoperator-k8s-io-v1alpha1-sparkconnect", failurePolicy: "Fail" },
    { type: "validating", name: "validate-sparkoperator-k8s-io-v1beta2-sparkapplication.sparkoperator.k8s.io", path: "/validate-sparkoperator-k8s-io-v1beta2-sparkapplication", failurePolicy: "Fail" },
    { type: "validating", name: "validate-sparkoperator-k8s-io-v1beta2-scheduledsparkapplication.sparkoperator.k8s.io", path: "/validate-sparkoperator-k8s-io-v1beta2-scheduledsparkapplication", failurePolicy: "Fail" },
    { type: "validating", name: "validate-sparkoperator-k8s-io-v1alpha1-sparkconnect.sparkoperator.k8s.io", path: "/validate-sparkoperator-k8s-io-v1alpha1-sparkconnect", failurePolicy: "Fail" },
  ],
};
