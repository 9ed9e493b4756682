/**
 * Monitoring: prometheus-operator (its CRDs synced from upstream), kube-state-metrics, a
 * Prometheus that picks up every ServiceMonitor, PodMonitor and PrometheusRule (apps' included)
 * and sends its alerts to an Alertmanager, which routes each tenant's alerts by the
 * AlertmanagerConfig in the tenant's namespace; ServiceMonitors for the add-ons switched on, and
 * the platform's own alerts.
 */
import { ALERTMANAGER_CONFIG_LABEL } from "@slipway/core";
import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import * as z from "zod";
import { addServiceAccount, roleArn } from "../kit/identity";
import { meta, selectorLabels, SKIP_DRY_RUN } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { addClusterRole, READ, rule } from "../kit/rbac";
import { controllerValues, identityValue, ResourcesValues } from "../kit/values";
import { addService, addWorkload, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { GP3_STORAGE_CLASS } from "./aws-ebs-csi-driver";
import { defineAddonModule, type AddonContext } from "../types";

const NAME = "monitoring";
export const MONITORING_NAMESPACE = "monitoring";
const OPERATOR = "prometheus-operator";
const KSM = "kube-state-metrics";
const PROMETHEUS = "prometheus";
const ALERTMANAGER = "alertmanager";
/** The Alertmanager object's name; the operator names its pods and governing Service after it. */
export const ALERTMANAGER_NAME = "platform";
/**
 * The headless Service prometheus-operator creates for every Alertmanager in a namespace, port
 * `web` (9093): pkg/alertmanager/statefulset.go at v0.85.0 (`defaultOperatedServiceName`,
 * `makeStatefulSetService`).
 */
const ALERTMANAGER_SERVICE = { name: "alertmanager-operated", port: "web" } as const;

/**
 * kube-state-metrics' default resources at v2.16.0 without `secrets`: exporting Secret metadata
 * would need list/watch on every Secret in the cluster, which hands their contents to the
 * exporter's ServiceAccount.
 */
const KSM_RESOURCES = [
  "certificatesigningrequests", "configmaps", "cronjobs", "daemonsets", "deployments", "endpoints", "horizontalpodautoscalers", "ingresses", "jobs", "leases",
  "limitranges", "mutatingwebhookconfigurations", "namespaces", "networkpolicies", "nodes", "persistentvolumes", "persistentvolumeclaims",
  "poddisruptionbudgets", "pods", "replicasets", "replicationcontrollers", "resourcequotas", "services", "statefulsets", "storageclasses",
  "validatingwebhookconfigurations", "volumeattachments",
];
const monitoringCrd = (plural: string, kind: string, version = "v1") => ({ name: `${plural}.monitoring.coreos.com`, kind, versions: [version] });

export const MonitoringValues = z.strictObject({
  ...controllerValues({ replicas: 1, cpu: "100m", memory: "128Mi" }),
  kubeStateMetricsVersion: z.string().regex(/^v\d+\.\d+\.\d+$/).default("v2.16.0"),
  prometheus: z
    .strictObject({
      version: z.string().regex(/^v\d+\.\d+\.\d+$/).default("v3.5.0"),
      replicas: z.number().int().min(1).max(3).default(1),
      retention: z.string().regex(/^\d+(h|d)$/).default("7d"),
      storage: z.string().regex(/^\d+Gi$/).default("50Gi"),
      resources: ResourcesValues.default({ cpu: "500m", memory: "2Gi" }),
    })
    .prefault({}),
  alertmanager: z
    .strictObject({
      /** prometheus-operator v0.85.0's DefaultAlertmanagerVersion (pkg/operator/defaults.go). */
      version: z.string().regex(/^v\d+\.\d+\.\d+$/).default("v0.28.1"),
      /** Replicas gossip to deduplicate notifications; 2 or more survive a node drain. */
      replicas: z.number().int().min(1).max(5).default(1),
      retention: z.string().regex(/^\d+h$/).default("120h"),
      storage: z.string().regex(/^\d+Gi$/).default("2Gi"),
      resources: ResourcesValues.default({ cpu: "50m", memory: "128Mi" }),
      /**
       * Alertmanager publishes to SNS for tenants' `sns` receivers with its own IAM role (SigV4 from
       * the pod's credentials, never keys): `facts.roles.alertmanager` in cluster.ts.
       */
      sns: z.boolean().default(false),
      identity: identityValue,
    })
    .prefault({}),
  /** Alert thresholds. */
  alerts: z
    .strictObject({
      nodeNotReadyFor: z.string().regex(/^\d+m$/).default("10m"),
      podPendingFor: z.string().regex(/^\d+m$/).default("15m"),
      certificateExpiryDays: z.number().int().min(1).default(14),
    })
    .prefault({}),
});
type Values = z.output<typeof MonitoringValues>;

function addOperator(scope: Construct, ctx: AddonContext<Values>): void {
  const v = ctx.values;
  addServiceAccount(scope, ctx, OPERATOR);
  // upstream's example/rbac/prometheus-operator ClusterRole at the tag
  addClusterRole(scope, ctx, OPERATOR, [
    rule(["monitoring.coreos.com"], [
      "alertmanagers", "alertmanagers/finalizers", "alertmanagers/status", "alertmanagerconfigs", "prometheuses", "prometheuses/finalizers",
      "prometheuses/status", "prometheusagents", "prometheusagents/finalizers", "prometheusagents/status", "thanosrulers", "thanosrulers/finalizers",
      "thanosrulers/status", "scrapeconfigs", "servicemonitors", "servicemonitors/status", "podmonitors", "probes", "prometheusrules",
    ], ["*"]),
    rule(["apps"], ["statefulsets"], ["*"]),
    rule([""], ["configmaps", "secrets"], ["*"]),
    rule([""], ["pods"], ["list", "delete"]),
    rule([""], ["services", "services/finalizers"], ["get", "create", "update", "delete"]),
    rule([""], ["nodes"], ["list", "watch"]),
    rule([""], ["namespaces"], READ),
    rule([""], ["events"], ["patch", "create"]),
    rule(["networking.k8s.io"], ["ingresses"], READ),
    rule(["storage.k8s.io"], ["storageclasses"], ["get"]),
    // --kubelet-endpoints: the kubelet Service's Endpoints in kube-system
    rule([""], ["endpoints"], ["get", "create", "update", "delete"]),
  ], OPERATOR);
  addWorkload(scope, ctx, {
    kind: "Deployment", name: OPERATOR, component: "operator", serviceAccount: OPERATOR, replicas: v.replicas, priorityClassName: v.priorityClassName,
    containers: [{
      name: "operator",
      image: `quay.io/prometheus-operator/prometheus-operator:${ctx.version}`,
      resources: v.resources,
      args: [
        "--kubelet-service=kube-system/kubelet",
        `--prometheus-config-reloader=quay.io/prometheus-operator/prometheus-config-reloader:${ctx.version}`,
        "--kubelet-endpoints=true",
        "--kubelet-endpointslice=false",
        `--log-level=${v.logLevel}`,
      ],
      env: [{ name: "GOGC", value: "30" }],
      ports: [{ name: "http", containerPort: 8080 }],
      liveness: httpProbe("/healthz", "http"),
      readiness: httpProbe("/healthz", "http", "HTTP", 5),
    }],
  });
  addService(scope, ctx, OPERATOR, "operator", [{ name: "http", port: 8080, targetPort: "http" }]);
}

function addKubeStateMetrics(scope: Construct, ctx: AddonContext<Values>): void {
  addServiceAccount(scope, ctx, KSM);
  // upstream's examples/standard ClusterRole at the tag, without Secrets (see KSM_RESOURCES) and
  // without the token and access reviews that only --auth-filter (off) uses.
  addClusterRole(scope, ctx, KSM, [
    rule([""], ["configmaps", "nodes", "pods", "services", "serviceaccounts", "resourcequotas", "replicationcontrollers", "limitranges", "persistentvolumeclaims", "persistentvolumes", "namespaces", "endpoints"], ["list", "watch"]),
    rule(["apps"], ["statefulsets", "daemonsets", "deployments", "replicasets"], ["list", "watch"]),
    rule(["batch"], ["cronjobs", "jobs"], ["list", "watch"]),
    rule(["autoscaling"], ["horizontalpodautoscalers"], ["list", "watch"]),
    rule(["policy"], ["poddisruptionbudgets"], ["list", "watch"]),
    rule(["certificates.k8s.io"], ["certificatesigningrequests"], ["list", "watch"]),
    rule(["discovery.k8s.io"], ["endpointslices"], ["list", "watch"]),
    rule(["storage.k8s.io"], ["storageclasses", "volumeattachments"], ["list", "watch"]),
    rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], ["list", "watch"]),
    rule(["networking.k8s.io"], ["networkpolicies", "ingressclasses", "ingresses"], ["list", "watch"]),
    rule(["coordination.k8s.io"], ["leases"], ["list", "watch"]),
    rule(["rbac.authorization.k8s.io"], ["clusterrolebindings", "clusterroles", "rolebindings", "roles"], ["list", "watch"]),
  ], KSM);
  addWorkload(scope, ctx, {
    kind: "Deployment", name: KSM, component: "kube-state-metrics", serviceAccount: KSM, replicas: 1, priorityClassName: ctx.values.priorityClassName,
    containers: [{
      name: "kube-state-metrics",
      image: `registry.k8s.io/kube-state-metrics/kube-state-metrics:${ctx.values.kubeStateMetricsVersion}`,
      resources: { cpu: "100m", memory: "256Mi" },
      args: ["--port=8080", "--telemetry-port=8081", `--resources=${KSM_RESOURCES.join(",")}`],
      ports: [{ name: "http-metrics", containerPort: 8080 }, { name: "telemetry", containerPort: 8081 }],
      liveness: httpProbe("/livez", "http-metrics", "HTTP", 5),
      readiness: httpProbe("/readyz", "telemetry", "HTTP", 5),
    }],
  });
  addService(scope, ctx, KSM, "kube-state-metrics", [{ name: "http-metrics", port: 8080, targetPort: "http-metrics" }]);
}

function addPrometheus(scope: Construct, ctx: AddonContext<Values>): void {
  const p = ctx.values.prometheus;
  addServiceAccount(scope, ctx, PROMETHEUS);
  addClusterRole(scope, ctx, PROMETHEUS, [
    rule([""], ["nodes", "nodes/metrics", "services", "endpoints", "pods"], READ),
    rule(["discovery.k8s.io"], ["endpointslices"], READ),
    rule([""], ["configmaps"], ["get"]),
    rule(["networking.k8s.io"], ["ingresses"], READ),
    { nonResourceUrLs: ["/metrics"], verbs: ["get"] },
  ], PROMETHEUS);
  new ApiObject(scope, "prometheus", {
    apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus",
    metadata: meta(ctx, "platform", { wave: "configuration", annotations: SKIP_DRY_RUN }),
    spec: {
      version: p.version,
      image: `quay.io/prometheus/prometheus:${p.version}`,
      replicas: p.replicas,
      retention: p.retention,
      serviceAccountName: PROMETHEUS,
      priorityClassName: "system-cluster-critical",
      externalLabels: { cluster: ctx.cluster.name },
      // Every namespace: add-ons' ServiceMonitors and the apps' PrometheusRules alike.
      serviceMonitorSelector: {},
      serviceMonitorNamespaceSelector: {},
      podMonitorSelector: {},
      podMonitorNamespaceSelector: {},
      ruleSelector: {},
      ruleNamespaceSelector: {},
      alerting: { alertmanagers: [{ namespace: MONITORING_NAMESPACE, name: ALERTMANAGER_SERVICE.name, port: ALERTMANAGER_SERVICE.port, apiVersion: "v2" }] },
      resources: { requests: { cpu: p.resources.cpu, memory: p.resources.memory }, limits: { memory: p.resources.memoryLimit ?? p.resources.memory } },
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
      // Encrypted gp3 from the EBS CSI driver add-on, bound in the zone the pod is scheduled to.
      storage: { volumeClaimTemplate: { spec: { storageClassName: GP3_STORAGE_CLASS, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: p.storage } } } } },
    },
  });
}

function addAlertmanager(scope: Construct, ctx: AddonContext<Values>): void {
  const a = ctx.values.alertmanager;
  addServiceAccount(scope, ctx, ALERTMANAGER, a.sns ? { mode: a.identity, roleArn: roleArn(ctx, ALERTMANAGER) } : undefined);
  new ApiObject(scope, "alertmanager", {
    apiVersion: "monitoring.coreos.com/v1", kind: "Alertmanager",
    metadata: meta(ctx, ALERTMANAGER_NAME, { wave: "configuration", annotations: SKIP_DRY_RUN }),
    spec: {
      version: a.version,
      image: `quay.io/prometheus/alertmanager:${a.version}`,
      replicas: a.replicas,
      retention: a.retention,
      serviceAccountName: ALERTMANAGER,
      priorityClassName: "system-cluster-critical",
      // Tenants' AlertmanagerConfigs, in their own namespaces, labelled by the tenants library.
      alertmanagerConfigSelector: { matchLabels: { ...ALERTMANAGER_CONFIG_LABEL } },
      alertmanagerConfigNamespaceSelector: { matchExpressions: [{ key: "slipway.dev/tenant", operator: "Exists" }] },
      // Each config's routes see only alerts whose `namespace` label is the config's namespace, so
      // one tenant's routes never receive another's alerts. OnNamespace is the CRD's default; it is
      // written out because the isolation depends on it.
      alertmanagerConfigMatcherStrategy: { type: "OnNamespace" },
      resources: { requests: { cpu: a.resources.cpu, memory: a.resources.memory }, limits: { memory: a.resources.memoryLimit ?? a.resources.memory } },
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
      storage: { volumeClaimTemplate: { spec: { storageClassName: GP3_STORAGE_CLASS, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: a.storage } } } } },
    },
  });
}

function addServiceMonitors(scope: Construct, ctx: AddonContext<Values>): void {
  const targets = [
    ...ctx.scrapeTargets,
    { addon: NAME, namespace: MONITORING_NAMESPACE, selector: selectorLabels(ctx, "kube-state-metrics"), port: "http-metrics", honorLabels: true },
    { addon: `${NAME}-operator`, namespace: MONITORING_NAMESPACE, selector: selectorLabels(ctx, "operator"), port: "http" },
  ];
  const byName = new Map<string, (typeof targets)[number]>();
  for (const t of targets) byName.set(t.addon === NAME ? KSM : t.addon === `${NAME}-operator` ? OPERATOR : t.addon, t);
  for (const [name, t] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    new ApiObject(scope, `service-monitor-${name}`, {
      apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor",
      metadata: meta(ctx, name, { wave: "configuration", annotations: SKIP_DRY_RUN }),
      spec: {
        namespaceSelector: { matchNames: [t.namespace] },
        selector: { matchLabels: { ...t.selector } },
        endpoints: [{
          port: t.port, interval: "30s", ...("path" in t && t.path ? { path: t.path } : {}), ...("scheme" in t && t.scheme ? { scheme: t.scheme } : {}),
          // kube-state-metrics' `namespace` label is the described object's, not the exporter's.
          ...("honorLabels" in t && t.honorLabels ? { honorLabels: true } : {}),
        }],
      },
    });
  }
}

function addPlatformAlerts(scope: Construct, ctx: AddonContext<Values>): void {
  const a = ctx.values.alerts;
  const labels = { severity: "page", team: "platform" };
  const rules: Record<string, unknown>[] = [
    {
      alert: "SlipwayNodeNotReady",
      expr: 'kube_node_status_condition{job="kube-state-metrics", condition="Ready", status="true"} == 0',
      for: a.nodeNotReadyFor, labels,
      annotations: { summary: `node {{ $labels.node }} on ${ctx.cluster.name} has not been Ready for ${a.nodeNotReadyFor}` },
    },
    {
      alert: "SlipwayPodsPending",
      expr: 'sum by (namespace) (kube_pod_status_phase{job="kube-state-metrics", phase="Pending"}) > 0',
      for: a.podPendingFor, labels: { ...labels, severity: "ticket" },
      annotations: { summary: `pods in {{ $labels.namespace }} on ${ctx.cluster.name} have been Pending for ${a.podPendingFor} (capacity or scheduling constraints)` },
    },
  ];
  if (ctx.enabled.has("karpenter")) {
    rules.push(
      {
        alert: "SlipwayKarpenterCloudProviderErrors",
        expr: 'sum by (controller, method) (rate(karpenter_cloudprovider_errors_total{job="karpenter"}[5m])) > 0',
        for: "15m", labels,
        annotations: { summary: `Karpenter on ${ctx.cluster.name} gets errors from EC2 ({{ $labels.method }}): nodes may not launch` },
      },
      {
        alert: "SlipwayKarpenterReconcileErrors",
        expr: 'sum by (controller) (rate(controller_runtime_reconcile_errors_total{job="karpenter", namespace="karpenter"}[5m])) > 0',
        for: "15m", labels: { ...labels, severity: "ticket" },
        annotations: { summary: `Karpenter controller {{ $labels.controller }} on ${ctx.cluster.name} keeps failing to reconcile` },
      },
    );
  }
  if (ctx.enabled.has("cert-manager")) {
    rules.push(
      {
        alert: "SlipwayCertificateExpiringSoon",
        expr: `(certmanager_certificate_expiration_timestamp_seconds{job="cert-manager"} - time()) < ${a.certificateExpiryDays} * 86400`,
        for: "1h", labels,
        annotations: { summary: `certificate {{ $labels.namespace }}/{{ $labels.name }} on ${ctx.cluster.name} expires in less than ${a.certificateExpiryDays} days and was not renewed` },
      },
      {
        alert: "SlipwayCertificateNotReady",
        expr: 'max by (namespace, name) (certmanager_certificate_ready_status{job="cert-manager", condition="False"}) == 1',
        for: "30m", labels: { ...labels, severity: "ticket" },
        annotations: { summary: `certificate {{ $labels.namespace }}/{{ $labels.name }} on ${ctx.cluster.name} is not Ready` },
      },
    );
  }
  new ApiObject(scope, "platform-rules", {
    apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule",
    metadata: meta(ctx, "slipway-platform", { wave: "configuration", annotations: SKIP_DRY_RUN }),
    spec: { groups: [{ name: "slipway.platform", rules }] },
  });
}

export const monitoring = defineAddonModule({
  name: NAME,
  description: "prometheus-operator, kube-state-metrics, Prometheus, Alertmanager (tenants route their own alerts), ServiceMonitors for add-ons and the platform's alerts.",
  namespace: MONITORING_NAMESPACE,
  defaultVersion: "v0.85.0",
  upstream: "https://github.com/prometheus-operator/prometheus-operator",
  values: MonitoringValues,
  // Prometheus keeps its data on a claim of the `gp3` StorageClass.
  requires: ["aws-ebs-csi-driver"],
  identity: (v) => (v.alertmanager.sns ? { serviceAccount: ALERTMANAGER, roleFact: ALERTMANAGER, purpose: "publish tenants' alerts to their SNS topics (sns:Publish)" } : undefined),
  syncWave: AddonWave.observers,
  serverSideApply: true,
  crds: {
    source: { from: "upstream", repoURL: "https://github.com/prometheus-operator/prometheus-operator", path: "example/prometheus-operator-crd" },
    required: [
      monitoringCrd("alertmanagerconfigs", "AlertmanagerConfig", "v1alpha1"),
      monitoringCrd("alertmanagers", "Alertmanager"),
      monitoringCrd("podmonitors", "PodMonitor"),
      monitoringCrd("probes", "Probe"),
      monitoringCrd("prometheusagents", "PrometheusAgent", "v1alpha1"),
      monitoringCrd("prometheuses", "Prometheus"),
      monitoringCrd("prometheusrules", "PrometheusRule"),
      monitoringCrd("scrapeconfigs", "ScrapeConfig", "v1alpha1"),
      monitoringCrd("servicemonitors", "ServiceMonitor"),
      monitoringCrd("thanosrulers", "ThanosRuler"),
    ],
  },
  comparedWith: [
    "example/rbac/prometheus-operator, example/rbac/prometheus@v0.85.0", "cmd/operator/main.go@v0.85.0", "example/prometheus-operator-crd@v0.85.0",
    "example/user-guides/alerting/alertmanager-selector-example.yaml, pkg/alertmanager/statefulset.go, pkg/operator/defaults.go@v0.85.0",
    "kubernetes/kube-state-metrics:examples/standard@v2.16.0", "kubernetes/kube-state-metrics:pkg/options@v2.16.0",
  ],
  generate(scope, ctx) {
    addNamespace(scope, ctx);
    addOperator(scope, ctx);
    addKubeStateMetrics(scope, ctx);
    addPrometheus(scope, ctx);
    addAlertmanager(scope, ctx);
    addServiceMonitors(scope, ctx);
    addPlatformAlerts(scope, ctx);
  },
});
