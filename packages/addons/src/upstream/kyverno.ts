/** Kyverno v1.14.4, from the Helm chart templates (read, not rendered) and the flag definitions of its binaries. */
import { builtin, cluster, own, r, type Grant, type UpstreamFacts } from "./facts";

const READ = ["get", "list", "watch"];
const ALL = ["create", "delete", "get", "list", "patch", "update", "watch", "deletecollection"];
const CONFIG_MAPS = ["kyverno", "kyverno-metrics"];
// cmd/internal/flag.go (logging, metrics, tracing, kubeconfig, config-map caching, leader election,
// reporting, …: every one of the three binaries configures all of these) and klog's flags.
const INTERNAL = [
  "allowInsecureRegistry", "cleanupServerPort", "clientRateLimitBurst", "clientRateLimitQPS", "crdWatcher", "disableMetrics", "enableConfigMapCaching",
  "enableDeferredLoading", "enablePolicyException", "enableReporting", "enableTracing", "enableTuf", "eventsRateLimitBurst", "eventsRateLimitQPS",
  "exceptionNamespace", "imagePullSecrets", "imageVerifyCacheEnabled", "imageVerifyCacheMaxSize", "imageVerifyCacheTTLDuration", "kubeconfig",
  "leaderElectionRetryPeriod", "loggingFormat", "loggingtsFormat", "metricsPort", "otelCollector", "otelConfig", "profile", "profileAddress",
  "profilePort", "registryCredentialHelpers", "resyncPeriod", "tracingAddress", "tracingCreds", "tracingPort", "transportCreds", "tufMirror", "tufRoot",
  "tufRootRaw", "v", "vmodule", "logtostderr", "alsologtostderr", "stderrthreshold", "log_dir", "log_file",
];
const leases = (lock: string) => [r(["coordination.k8s.io"], ["leases"], ["create"]), r(["coordination.k8s.io"], ["leases"], ["delete", "get", "patch", "update"], [lock])];
const view: Grant = builtin("view");

export const kyvernoFacts: UpstreamFacts = {
  addon: "kyverno",
  version: "v1.14.4",
  compared: [
    "charts/kyverno/templates/admission-controller/{deployment,clusterrole,clusterrolebinding,role}.yaml@v1.14.4",
    "charts/kyverno/templates/background-controller/{deployment,clusterrole,clusterrolebinding,role}.yaml@v1.14.4",
    "charts/kyverno/templates/reports-controller/{deployment,clusterrole,clusterrolebinding,role}.yaml@v1.14.4",
    "charts/kyverno/templates/config/configmap.yaml, values.yaml@v1.14.4",
    "cmd/kyverno/main.go, cmd/background-controller/main.go, cmd/reports-controller/main.go, cmd/internal/flag.go@v1.14.4 (flags)",
    "pkg/config/config.go@v1.14.4 (ConfigMap keys: `webhooks` is one WebhookConfig object)",
    "config/crds@v1.14.4",
  ],
  images: {
    "kyverno-pre": "ghcr.io/kyverno/kyvernopre",
    kyverno: "ghcr.io/kyverno/kyverno",
    "controller@kyverno-background-controller": "ghcr.io/kyverno/background-controller",
    "controller@kyverno-reports-controller": "ghcr.io/kyverno/reports-controller",
  },
  flags: {
    "kyverno-pre": ["kubeconfig", "loggingFormat", "loggingtsFormat", "v", "vmodule", "clientRateLimitBurst", "clientRateLimitQPS"],
    kyverno: [
      ...INTERNAL,
      "admissionReports", "autoDeleteWebhooks", "autoUpdateWebhooks", "backgroundServiceAccountName", "caSecretName", "controllerRuntimeMetricsAddress",
      "dumpPayload", "forceFailurePolicyIgnore", "maxAPICallResponseLength", "maxAdmissionReports", "maxAuditCapacity", "maxAuditWorkers", "maxQueuedEvents",
      "omitEvents", "renewBefore", "reportsServiceAccountName", "serverIP", "servicePort", "tlsSecretName", "webhookRegistrationTimeout",
      "webhookServerPort", "webhookTimeout",
    ],
    "controller@kyverno-background-controller": [...INTERNAL, "genWorkers", "maxAPICallResponseLength", "maxBackgroundReports", "maxQueuedEvents", "omitEvents"],
    "controller@kyverno-reports-controller": [
      ...INTERNAL,
      "admissionReports", "aggregateReports", "aggregationWorkers", "backgroundScan", "backgroundScanInterval", "backgroundScanWorkers",
      "maxAPICallResponseLength", "maxBackgroundReports", "maxQueuedEvents", "omitEvents", "policyReports", "reportsCRDsSanityChecks",
      "skipResourceFilters", "validatingAdmissionPolicyReports",
    ],
  },
  env: {
    "kyverno-pre": ["KYVERNO_SERVICEACCOUNT_NAME", "KYVERNO_ROLE_NAME", "INIT_CONFIG", "METRICS_CONFIG", "KYVERNO_NAMESPACE", "KYVERNO_POD_NAME", "KYVERNO_DEPLOYMENT", "KYVERNO_SVC"],
    kyverno: ["INIT_CONFIG", "METRICS_CONFIG", "KYVERNO_NAMESPACE", "KYVERNO_POD_NAME", "KYVERNO_SERVICEACCOUNT_NAME", "KYVERNO_ROLE_NAME", "KYVERNO_SVC", "TUF_ROOT", "KYVERNO_DEPLOYMENT"],
    "controller@kyverno-background-controller": ["KYVERNO_SERVICEACCOUNT_NAME", "KYVERNO_DEPLOYMENT", "INIT_CONFIG", "METRICS_CONFIG", "KYVERNO_POD_NAME", "KYVERNO_NAMESPACE"],
    "controller@kyverno-reports-controller": ["KYVERNO_SERVICEACCOUNT_NAME", "KYVERNO_DEPLOYMENT", "INIT_CONFIG", "METRICS_CONFIG", "KYVERNO_POD_NAME", "KYVERNO_NAMESPACE", "TUF_ROOT"],
  },
  rbac: {
    "kyverno-admission-controller": [
      cluster(
        r(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["get"]),
        r(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], ALL),
        r(["rbac.authorization.k8s.io"], ["roles", "clusterroles", "rolebindings", "clusterrolebindings"], READ),
        r(["kyverno.io"], ["policies", "policies/status", "clusterpolicies", "clusterpolicies/status", "updaterequests", "updaterequests/status", "globalcontextentries", "globalcontextentries/status"], ALL),
        r(["kyverno.io"], ["policyexceptions"], ["create", "get", "list", "patch", "update", "watch"]),
        r(["policies.kyverno.io"], ["validatingpolicies", "validatingpolicies/status", "imagevalidatingpolicies", "imagevalidatingpolicies/status"], ALL),
        r(["policies.kyverno.io"], ["policyexceptions"], ["create", "get", "list", "patch", "update", "watch"]),
        r(["reports.kyverno.io"], ["ephemeralreports", "clusterephemeralreports"], ALL),
        r(["wgpolicyk8s.io"], ["policyreports", "policyreports/status", "clusterpolicyreports", "clusterpolicyreports/status"], ALL),
        r(["", "events.k8s.io"], ["events"], ["create", "update", "patch"]),
        r(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
        r([""], ["configmaps", "namespaces"], READ),
        r(["coordination.k8s.io"], ["leases"], ["create", "update", "patch", "get", "list", "watch"]),
      ),
      own(
        r([""], ["secrets", "serviceaccounts"], ["get", "list", "watch", "patch", "create", "update", "delete"]),
        r([""], ["configmaps"], READ, CONFIG_MAPS),
        r(["coordination.k8s.io"], ["leases"], ["create", "delete", "get", "patch", "update"]),
        r(["apps"], ["deployments", "deployments/scale"], [...READ, "patch", "update"]),
      ),
      view,
    ],
    "kyverno-background-controller": [
      cluster(
        r(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["get"]),
        r(["kyverno.io"], ["policies", "policies/status", "clusterpolicies", "clusterpolicies/status", "policyexceptions", "updaterequests", "updaterequests/status", "globalcontextentries", "globalcontextentries/status"], ALL),
        r([""], ["namespaces", "configmaps"], READ),
        r(["", "events.k8s.io"], ["events"], ["create", "get", "list", "patch", "update", "watch"]),
        r(["reports.kyverno.io"], ["ephemeralreports", "clusterephemeralreports"], ALL),
      ),
      own(r([""], ["configmaps"], READ, CONFIG_MAPS), ...leases("kyverno-background-controller"), r([""], ["secrets"], READ)),
      view,
    ],
    "kyverno-reports-controller": [
      cluster(
        r(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["get"]),
        r([""], ["configmaps", "namespaces"], READ),
        r(["kyverno.io"], ["globalcontextentries", "globalcontextentries/status", "policyexceptions", "policies", "clusterpolicies"], ALL),
        r(["policies.kyverno.io"], ["validatingpolicies", "validatingpolicies/status", "imagevalidatingpolicies", "imagevalidatingpolicies/status"], ALL),
        r(["policies.kyverno.io"], ["policyexceptions", "policyexceptions/status"], READ),
        r(["reports.kyverno.io"], ["ephemeralreports", "clusterephemeralreports"], ALL),
        r(["wgpolicyk8s.io"], ["policyreports", "policyreports/status", "clusterpolicyreports", "clusterpolicyreports/status"], ALL),
        r(["", "events.k8s.io"], ["events"], ["create", "patch"]),
      ),
      own(r([""], ["configmaps"], READ, CONFIG_MAPS), r([""], ["secrets"], READ), ...leases("kyverno-reports-controller")),
      view,
    ],
  },
  omitted: {
    "kyverno-admission-controller": [{
      why: "patch/update of its Deployment and deployments/scale serve the chart's Helm pre-delete hook (webhooksCleanup), which scales Kyverno down before Helm deletes the webhooks; there is no Helm here, so nothing uses them",
      grants: [own(r(["apps"], ["deployments"], ["patch", "update"]), r(["apps"], ["deployments/scale"], [...READ, "patch", "update"]))],
    }],
  },
};
