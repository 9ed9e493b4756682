/**
 * prometheus-adapter: serves the custom (`custom.metrics.k8s.io` v1beta1, v1beta2) and external
 * (`external.metrics.k8s.io` v1beta1) metrics APIs from the monitoring add-on's Prometheus, so an
 * app's HPA can scale on its own series (`scaling.metrics` in app.ts). Not the resource metrics
 * API: metrics-server serves that, and two servers cannot register `v1beta1.metrics.k8s.io`.
 *
 * Compared with kubernetes-sigs/prometheus-adapter v0.12.0: deploy/manifests (Deployment, Service,
 * RBAC, the auth-delegator and auth-reader bindings, the HPA controller's binding), the flags of
 * cmd/adapter/adapter.go and sigs.k8s.io/custom-metrics-apiserver v1.30.0's serving flags,
 * docs/config.md and docs/externalmetrics.md (rules, externalRules, namespaced external metrics).
 * v0.12.0's manifests register only the resource metrics API; the custom and external
 * APIServices are those its v0.8 manifests registered (custom-metrics-apiservice.yaml), which the
 * binary serves whenever its config has `rules` / `externalRules`.
 */
import { k8s } from "cdk8s-plus-28";
import * as z from "zod";
import { addServiceAccount } from "../kit/identity";
import { meta } from "../kit/meta";
import { addClusterRole, bindClusterRole, READ, rule } from "../kit/rbac";
import { controllerValues } from "../kit/values";
import { addService, addWorkload, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";
import { MONITORING_NAMESPACE } from "./monitoring";

const NAME = "prometheus-adapter";
/** The Service prometheus-operator creates for every Prometheus of a namespace, port `web`. */
const PROMETHEUS_URL = `http://prometheus-operated.${MONITORING_NAMESPACE}.svc:9090/`;

export const PrometheusAdapterValues = z.strictObject({
  ...controllerValues({ replicas: 2, cpu: "100m", memory: "180Mi" }),
  /** How often the adapter rediscovers the series it serves (`--metrics-relist-interval`). */
  relistInterval: z.string().regex(/^\d+(s|m)$/).default("1m"),
  /** The window counters are turned into rates over. */
  rateWindow: z.string().regex(/^\d+(s|m)$/).default("2m"),
});
type Values = z.output<typeof PrometheusAdapterValues>;

/**
 * Every series with a `namespace` and a `pod` label is a per-pod custom metric: counters
 * (`_total`) as `<name>_per_second` rates, everything else as is. Every series with a `namespace`
 * label is an external metric, read only in the HPA's own namespace (namespaced, upstream's
 * default), so one tenant's HPA never reads another tenant's series.
 */
export function adapterConfig(v: Values): Record<string, unknown> {
  const podResources = { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } };
  const series = '{namespace!="",pod!=""}';
  return {
    rules: [
      {
        seriesQuery: series,
        seriesFilters: [{ is: "^.+_total$" }],
        resources: podResources,
        name: { matches: "^(.+)_total$", as: "${1}_per_second" },
        metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>}[${v.rateWindow}])) by (<<.GroupBy>>)`,
      },
      {
        seriesQuery: series,
        seriesFilters: [{ isNot: "^.+_total$" }],
        resources: podResources,
        name: { matches: "^(.+)$", as: "${1}" },
        metricsQuery: "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)",
      },
    ],
    externalRules: [
      {
        seriesQuery: '{namespace!=""}',
        resources: { overrides: { namespace: { resource: "namespace" } } },
        name: { matches: "^(.+)$", as: "${1}" },
        metricsQuery: "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)",
      },
    ],
  };
}

const API_SERVICES = [
  { group: "custom.metrics.k8s.io", version: "v1beta1", versionPriority: 100 },
  { group: "custom.metrics.k8s.io", version: "v1beta2", versionPriority: 200 },
  { group: "external.metrics.k8s.io", version: "v1beta1", versionPriority: 100 },
] as const;

export const prometheusAdapter = defineAddonModule({
  name: NAME,
  description: "Custom and external metrics APIs from Prometheus, for HPAs scaling on an app's own series.",
  // Beside the Prometheus it reads.
  namespace: MONITORING_NAMESPACE,
  defaultVersion: "v0.12.0",
  upstream: "https://github.com/kubernetes-sigs/prometheus-adapter",
  values: PrometheusAdapterValues,
  requires: ["monitoring"],
  syncWave: AddonWave.observers + 1,
  serverSideApply: false,
  comparedWith: [
    "deploy/manifests@v0.12.0", "cmd/adapter/adapter.go@v0.12.0", "docs/config.md, docs/externalmetrics.md@v0.12.0",
    "deploy/manifests/custom-metrics-apiservice.yaml@v0.8.4 (the custom and external APIServices)",
  ],
  generate(scope, ctx) {
    const v = ctx.values;
    addServiceAccount(scope, ctx, NAME);
    addClusterRole(scope, ctx, NAME, [rule([""], ["nodes", "namespaces", "pods", "services"], READ)], NAME);
    bindClusterRole(scope, ctx, `${NAME}:system:auth-delegator`, "system:auth-delegator", NAME);
    new k8s.KubeRoleBinding(scope, "auth-reader", {
      metadata: meta(ctx, `${NAME}-auth-reader`, { namespace: "kube-system", wave: "foundation" }),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "extension-apiserver-authentication-reader" },
      subjects: [{ kind: "ServiceAccount", name: NAME, namespace: ctx.namespace }],
    });
    // The HPA controller reads both APIs (upstream binds it to a role on them; read is all it needs).
    new k8s.KubeClusterRole(scope, "cr-hpa", {
      metadata: meta(ctx, "custom-metrics-server-resources", { namespace: null, wave: "foundation" }),
      rules: [rule(["custom.metrics.k8s.io", "external.metrics.k8s.io"], ["*"], READ)],
    });
    new k8s.KubeClusterRoleBinding(scope, "crb-hpa", {
      metadata: meta(ctx, "hpa-controller-custom-metrics", { namespace: null, wave: "foundation" }),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "custom-metrics-server-resources" },
      subjects: [{ kind: "ServiceAccount", name: "horizontal-pod-autoscaler", namespace: "kube-system" }],
    });
    new k8s.KubeConfigMap(scope, "config", {
      metadata: meta(ctx, `${NAME}-config`, { wave: "foundation" }),
      data: { "config.yaml": `${JSON.stringify(adapterConfig(v), null, 2)}\n` },
    });
    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "metrics-adapter", serviceAccount: NAME, replicas: v.replicas, priorityClassName: v.priorityClassName,
      containers: [{
        name: NAME,
        image: `registry.k8s.io/prometheus-adapter/prometheus-adapter:${ctx.version}`,
        resources: v.resources,
        args: [
          "--cert-dir=/var/run/serving-cert",
          "--config=/etc/adapter/config.yaml",
          `--metrics-relist-interval=${v.relistInterval}`,
          `--prometheus-url=${PROMETHEUS_URL}`,
          "--secure-port=6443",
        ],
        ports: [{ name: "https", containerPort: 6443 }],
        liveness: httpProbe("/livez", "https", "HTTPS", 30),
        readiness: httpProbe("/readyz", "https", "HTTPS", 30),
        mounts: [
          { name: "tmpfs", mountPath: "/tmp" },
          { name: "serving-cert", mountPath: "/var/run/serving-cert" },
          { name: "config", mountPath: "/etc/adapter", readOnly: true },
        ],
      }],
      volumes: [
        { name: "tmpfs", emptyDir: {} },
        { name: "serving-cert", emptyDir: {} },
        { name: "config", configMap: { name: `${NAME}-config` } },
      ],
    });
    addService(scope, ctx, NAME, "metrics-adapter", [{ name: "https", port: 443, targetPort: "https" }]);
    for (const api of API_SERVICES) {
      new k8s.KubeApiService(scope, `api-service-${api.group}-${api.version}`, {
        metadata: meta(ctx, `${api.version}.${api.group}`, { namespace: null, wave: "admission" }),
        spec: {
          group: api.group,
          version: api.version,
          groupPriorityMinimum: 100,
          versionPriority: api.versionPriority,
          service: { name: NAME, namespace: ctx.namespace, port: 443 },
          // The adapter serves a self-signed certificate (--cert-dir); upstream registers it this way.
          insecureSkipTlsVerify: true,
        },
      });
    }
  },
});
