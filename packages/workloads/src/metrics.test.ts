/** Scrape targets, the alerts built on what they scrape, and the HPA's memory, metric and behaviour settings. */
import { describe, expect, it } from "vitest";
import type { KubeObject } from "@slipway/core";
import { synthesizeApp } from "./synthesize";
import { testContext } from "./test-context";

const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind) as unknown as { metadata: { name: string; namespace: string }; spec: Record<string, unknown> }[];

const api = testContext({
  name: "catalog",
  kind: "web-service",
  ports: [{ name: "http", port: 8080 }, { name: "metrics", port: 9090 }],
  metrics: { port: "metrics" },
  scaling: { min: 2, max: 6 },
  alerts: { availability: 99.9, errorRateAbove: 0.02, runbook: "https://runbooks.example.com/catalog" },
});

describe("scrape targets", () => {
  it("GIVEN a web-service with metrics WHEN synthesized THEN one ServiceMonitor selects its Service's metrics port, the job named by the app label", () => {
    const [monitor, ...more] = byKind(synthesizeApp(api), "ServiceMonitor");
    expect(more).toEqual([]);
    expect(monitor!.metadata).toMatchObject({ name: "catalog", namespace: "shop-prod" });
    expect(monitor!.spec).toEqual({
      jobLabel: "app.kubernetes.io/name",
      selector: { matchLabels: { "app.kubernetes.io/name": "catalog" } },
      endpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }],
    });
    expect(byKind(synthesizeApp(api), "PodMonitor")).toEqual([]);
  });

  it("GIVEN a worker with metrics WHEN synthesized THEN a PodMonitor scrapes its container port (a worker has no Service)", () => {
    const worker = testContext({ name: "mailer", kind: "worker", ports: [{ name: "stats", port: 9102 }], metrics: { port: "stats", path: "/stats", interval: "1m" }, probes: { liveness: { type: "tcp" } } });
    const objects = synthesizeApp(worker);
    expect(byKind(objects, "ServiceMonitor")).toEqual([]);
    expect(byKind(objects, "PodMonitor")[0]!.spec).toEqual({
      jobLabel: "app.kubernetes.io/name",
      selector: { matchLabels: { "app.kubernetes.io/name": "mailer" } },
      podMetricsEndpoints: [{ port: "stats", path: "/stats", interval: "1m" }],
    });
  });

  it("GIVEN SLO alerts and no metrics WHEN synthesized THEN the first port's /metrics is scraped, so the alerts read series that exist", () => {
    const objects = synthesizeApp(testContext({ name: "legacy", kind: "web-service", ports: [{ name: "http", port: 8080 }], alerts: { availability: 99.5 } }));
    expect(byKind(objects, "ServiceMonitor")[0]!.spec.endpoints).toEqual([{ port: "http", path: "/metrics", interval: "30s" }]);
  });

  it("GIVEN a cluster without the monitoring add-on WHEN synthesized THEN neither monitor nor rules are rendered (no CRD, no Prometheus there)", () => {
    const objects = synthesizeApp({ ...api, cluster: { ...api.cluster, addons: {} } });
    expect(objects.filter((o) => ["ServiceMonitor", "PodMonitor", "PrometheusRule"].includes(o.kind))).toEqual([]);
    expect(objects.some((o) => o.kind === "Deployment")).toBe(true);
  });

  it("GIVEN no metrics WHEN synthesized THEN nothing scrapes the app", () => {
    const objects = synthesizeApp(testContext({ name: "quiet", kind: "web-service", ports: [{ name: "http", port: 8080 }] }));
    expect([...byKind(objects, "ServiceMonitor"), ...byKind(objects, "PodMonitor")]).toEqual([]);
  });
});

describe("alerts", () => {
  const rules = () => (byKind(synthesizeApp(api), "PrometheusRule")[0]!.spec.groups as { rules: { alert: string; expr: string; labels: Record<string, string>; annotations: Record<string, string> }[] }[])[0]!.rules;

  it("GIVEN SLOs WHEN synthesized THEN they divide the declared request counter of the app's own scrape job", () => {
    const burn = rules().find((r) => r.alert === "SlipwayAvailabilityBudgetBurn")!;
    expect(burn.expr).toContain('sum(rate(http_requests_total{namespace="shop-prod", job="catalog", code=~"5.."}[1h])) / sum(rate(http_requests_total{namespace="shop-prod", job="catalog"}[1h]))');
    const custom = testContext({ name: "catalog", kind: "web-service", ports: [{ name: "web", port: 8080 }], metrics: { port: "web", requestsTotal: "catalog_http_total", statusLabel: "status" }, alerts: { errorRateAbove: 0.05 } });
    const rule = (byKind(synthesizeApp(custom), "PrometheusRule")[0]!.spec.groups as { rules: { alert: string; expr: string }[] }[])[0]!.rules[0]!;
    expect(rule).toMatchObject({ alert: "SlipwayHighErrorRate" });
    expect(rule.expr).toBe('(sum(rate(catalog_http_total{namespace="shop-prod", job="catalog", status=~"5.."}[10m])) / sum(rate(catalog_http_total{namespace="shop-prod", job="catalog"}[10m]))) > 0.05');
  });

  it("every alert carries severity, tenant, environment, namespace (what the tenant's route matches) and app labels, and the runbook", () => {
    for (const r of rules()) {
      expect(r.labels).toEqual({ severity: "page", tenant: "shop", environment: "prod", namespace: "shop-prod", app: "catalog" });
      expect(r.annotations.runbook_url).toBe("https://runbooks.example.com/catalog");
    }
    expect(rules().find((r) => r.alert === "SlipwayReplicasUnavailable")!.expr).toBe('kube_deployment_status_replicas_unavailable{job="kube-state-metrics", namespace="shop-prod", deployment="catalog"} > 0');
  });
});

describe("HPA targets and behaviour", () => {
  const hpa = (scaling: Record<string, unknown>) =>
    byKind(synthesizeApp(testContext({ name: "catalog", kind: "web-service", ports: [{ name: "http", port: 8080 }], scaling: { min: 2, max: 6, ...scaling } })), "HorizontalPodAutoscaler")[0]!.spec;

  it("GIVEN only min and max THEN the HPA scales on CPU and waits the default 300 s before scaling down", () => {
    const spec = hpa({});
    expect(spec.metrics).toEqual([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }]);
    expect(spec.behavior).toMatchObject({ scaleDown: { stabilizationWindowSeconds: 300 } });
  });

  it("GIVEN memory, a pods metric, an external metric and a window THEN each becomes its autoscaling/v2 metric, CPU first", () => {
    const spec = hpa({
      memoryTargetPercent: 80,
      scaleDownStabilizationSeconds: 900,
      metrics: [
        { type: "pods", name: "http_requests_per_second", averageValue: "50" },
        { type: "external", name: "sqs_messages_visible", matchLabels: { queue: "orders" }, averageValue: "30" },
        { type: "external", name: "backlog_jobs", value: "1k" },
      ],
    });
    expect(spec.metrics).toEqual([
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
      { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
      { type: "Pods", pods: { metric: { name: "http_requests_per_second" }, target: { type: "AverageValue", averageValue: "50" } } },
      { type: "External", external: { metric: { name: "sqs_messages_visible", selector: { matchLabels: { queue: "orders" } } }, target: { type: "AverageValue", averageValue: "30" } } },
      { type: "External", external: { metric: { name: "backlog_jobs" }, target: { type: "Value", value: "1k" } } },
    ]);
    expect(spec.behavior).toMatchObject({ scaleDown: { stabilizationWindowSeconds: 900 } });
  });
});
