/** SW-X-ALERT-SERIES: every PrometheusRule's series come from a scrape target of the set. */
import { describe, expect, it } from "vitest";
import { validateManifests } from "./validate";

const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop-prod", labels: { "slipway.dev/tenant": "shop" } } };
const monitoringNs = { apiVersion: "v1", kind: "Namespace", metadata: { name: "monitoring" } };
const labels = { "app.kubernetes.io/name": "catalog", "slipway.dev/tenant": "shop" };
const deployment = {
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "catalog", namespace: "shop-prod", labels },
  spec: { selector: { matchLabels: { "app.kubernetes.io/name": "catalog" } }, template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "x.io/catalog:1", ports: [{ name: "http", containerPort: 8080 }, { name: "metrics", containerPort: 9090 }] }] } } },
};
const service = {
  apiVersion: "v1", kind: "Service", metadata: { name: "catalog", namespace: "shop-prod", labels },
  spec: { selector: { "app.kubernetes.io/name": "catalog" }, ports: [{ name: "http", port: 8080, targetPort: "http" }, { name: "metrics", port: 9090, targetPort: "metrics" }] },
};
const serviceMonitor = (spec: Record<string, unknown> = {}) => ({
  apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "catalog", namespace: "shop-prod", labels },
  spec: { jobLabel: "app.kubernetes.io/name", selector: { matchLabels: { "app.kubernetes.io/name": "catalog" } }, endpoints: [{ port: "metrics" }], ...spec },
});
const prometheus = (spec: Record<string, unknown> = { serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {}, podMonitorSelector: {}, podMonitorNamespaceSelector: {} }) => ({
  apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: { name: "platform", namespace: "monitoring" }, spec,
});
const rule = (...exprs: string[]) => ({
  apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "catalog", namespace: "shop-prod", labels },
  spec: { groups: [{ name: "catalog.slo", rules: exprs.map((expr, i) => ({ alert: `A${i}`, expr })) }] },
});
const SLO = 'sum(rate(http_requests_total{namespace="shop-prod", job="catalog", code=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="shop-prod", job="catalog"}[5m])) > 0.01';

function findings(objects: object[]) {
  const report = validateManifests(objects.map((object, i) => ({ file: `f${i}.yaml`, line: 1, object: object as Record<string, unknown> })), { crossObject: true, kubernetesVersion: "1.33" });
  return report.findings.filter((f) => f.rule === "SW-X-ALERT-SERIES").map((f) => `${f.object.kind}/${f.object.name} ${f.path}: ${f.message}`);
}

describe("SW-X-ALERT-SERIES", () => {
  it("GIVEN an SLO on the job of a ServiceMonitor that a Prometheus selects THEN nothing is reported", () => {
    expect(findings([ns, monitoringNs, deployment, service, serviceMonitor(), prometheus(), rule(SLO)])).toEqual([]);
  });

  it("GIVEN no monitor THEN each unscraped series is named, with the rule and its path", () => {
    expect(findings([ns, monitoringNs, deployment, service, prometheus(), rule(SLO)])).toEqual([
      'PrometheusRule/catalog spec.groups[0].rules[0].expr: A0: series `http_requests_total{namespace="shop-prod", job="catalog", code=~"5.."}` reads job "catalog", which no ServiceMonitor or PodMonitor selected by a Prometheus scrapes; ' +
        'series `http_requests_total{namespace="shop-prod", job="catalog"}` reads job "catalog", which no ServiceMonitor or PodMonitor selected by a Prometheus scrapes',
    ]);
  });

  it("GIVEN a series with no job, a monitor on a port the Service lacks, or a Prometheus selecting no ServiceMonitors THEN each is reported", () => {
    expect(findings([ns, deployment, service, serviceMonitor(), rule("up{namespace=\"shop-prod\"} == 0")])[0]).toMatch(/names no job/);
    expect(findings([ns, deployment, service, serviceMonitor({ endpoints: [{ port: "prom" }] }), rule(SLO)])[0]).toMatch(/reads job "catalog", which no ServiceMonitor/);
    expect(findings([ns, monitoringNs, deployment, service, serviceMonitor(), prometheus({ podMonitorSelector: {} }), rule(SLO)])[0]).toMatch(/reads job "catalog", which no ServiceMonitor/);
  });

  it("GIVEN the job scraped in another namespace THEN the namespaces it is scraped in are named", () => {
    const other = rule(SLO.replaceAll("shop-prod", "shop-dev"));
    expect(findings([ns, deployment, service, serviceMonitor(), other])[0]).toMatch(/reads job "catalog" in namespace shop-dev, but that job is scraped only in shop-prod/);
  });

  it("GIVEN a PodMonitor, or kube-state-metrics scraped with honorLabels THEN their series count as scraped", () => {
    const podMonitor = { apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", metadata: { name: "catalog", namespace: "shop-prod", labels }, spec: { jobLabel: "app.kubernetes.io/name", selector: { matchLabels: { "app.kubernetes.io/name": "catalog" } }, podMetricsEndpoints: [{ port: "metrics" }] } };
    expect(findings([ns, deployment, podMonitor, rule(SLO)])).toEqual([]);
    const ksmLabels = { "app.kubernetes.io/name": "kube-state-metrics" };
    const ksm = { apiVersion: "v1", kind: "Service", metadata: { name: "kube-state-metrics", namespace: "monitoring", labels: ksmLabels }, spec: { selector: ksmLabels, ports: [{ name: "http-metrics", port: 8080 }] } };
    const ksmPods = { ...deployment, metadata: { name: "kube-state-metrics", namespace: "monitoring", labels: ksmLabels }, spec: { selector: { matchLabels: ksmLabels }, template: { metadata: { labels: ksmLabels }, spec: deployment.spec.template.spec } } };
    const ksmMonitor = { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "kube-state-metrics", namespace: "monitoring" }, spec: { namespaceSelector: { matchNames: ["monitoring"] }, selector: { matchLabels: ksmLabels }, endpoints: [{ port: "http-metrics", honorLabels: true }] } };
    const replicas = rule('kube_deployment_status_replicas_unavailable{job="kube-state-metrics", namespace="shop-prod", deployment="catalog"} > 0');
    expect(findings([ns, monitoringNs, ksm, ksmPods, ksmMonitor, prometheus(), replicas])).toEqual([]);
    const { honorLabels: _dropped, ...plain } = ksmMonitor.spec.endpoints[0]!;
    expect(findings([ns, monitoringNs, ksm, ksmPods, { ...ksmMonitor, spec: { ...ksmMonitor.spec, endpoints: [plain] } }, prometheus(), replicas])[0]).toMatch(/scraped only in monitoring/);
  });
});
