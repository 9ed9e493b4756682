/**
 * The monitoring add-on's alerting path: Prometheus sends to the Alertmanager, which selects the
 * tenants' AlertmanagerConfigs and keeps each to its own namespace's alerts. Fields compared with
 * prometheus-operator v0.85.0 (example/prometheus-operator-crd, pkg/alertmanager/statefulset.go,
 * Documentation/api-reference/api.md: `OnNamespace` processes only alerts whose `namespace` label
 * is the config's namespace).
 */
import { describe, expect, it } from "vitest";
import { SlipwayError } from "@slipway/core";
import { planClusterAddons, synthesizeAddon } from "./index";
import { choices, prod, testCluster } from "./testing";

type Loose = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: Record<string, unknown> };
function monitoring(values: Record<string, unknown> = {}, roles: Record<string, string> = {}) {
  const base = testCluster();
  const cluster = testCluster({ addons: { monitoring: { values }, "aws-ebs-csi-driver": true }, facts: { ...base.facts, roles: { ...base.facts.roles, ...roles } } });
  const planned = planClusterAddons({ cluster, clusterFile: "clusters/test-use1/cluster.ts", environment: prod, choices: choices() }).find((p) => p.module.name === "monitoring")!;
  return synthesizeAddon(planned) as unknown as Loose[];
}

describe("alerting", () => {
  it("GIVEN monitoring WHEN rendered THEN Prometheus alerts the Alertmanager through the Service the operator creates for it", () => {
    const prometheus = monitoring().find((o) => o.kind === "Prometheus")!;
    expect(prometheus.spec.alerting).toEqual({ alertmanagers: [{ namespace: "monitoring", name: "alertmanager-operated", port: "web", apiVersion: "v2" }] });
    // Every namespace's ServiceMonitors, PodMonitors and rules: the tenants' apps included.
    expect(prometheus.spec).toMatchObject({ serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {}, podMonitorSelector: {}, podMonitorNamespaceSelector: {}, ruleSelector: {}, ruleNamespaceSelector: {} });
  });

  it("GIVEN monitoring WHEN rendered THEN the Alertmanager selects labelled configs in tenant namespaces, each held to its namespace", () => {
    const am = monitoring().find((o) => o.kind === "Alertmanager")!;
    expect(am.metadata.name).toBe("platform");
    expect(am.spec).toMatchObject({
      version: "v0.28.1",
      image: "quay.io/prometheus/alertmanager:v0.28.1",
      serviceAccountName: "alertmanager",
      alertmanagerConfigSelector: { matchLabels: { "slipway.dev/alertmanager": "platform" } },
      alertmanagerConfigNamespaceSelector: { matchExpressions: [{ key: "slipway.dev/tenant", operator: "Exists" }] },
      alertmanagerConfigMatcherStrategy: { type: "OnNamespace" },
    });
  });

  it("GIVEN sns on WHEN rendered THEN Alertmanager's ServiceAccount carries the role from facts.roles.alertmanager; without the fact the error names it", () => {
    const sa = (objects: Loose[]) => objects.find((o) => o.kind === "ServiceAccount" && o.metadata.name === "alertmanager")!;
    expect(sa(monitoring()).metadata.annotations ?? {}).not.toHaveProperty("eks.amazonaws.com/role-arn");
    const arn = "arn:aws:iam::111122223333:role/test-alertmanager";
    expect(sa(monitoring({ alertmanager: { sns: true } }, { alertmanager: arn })).metadata.annotations).toMatchObject({ "eks.amazonaws.com/role-arn": arn });
    try {
      monitoring({ alertmanager: { sns: true } });
      throw new Error("expected an error");
    } catch (error) {
      expect(error).toBeInstanceOf(SlipwayError);
      expect((error as SlipwayError).format()).toMatch(/facts\.roles\.alertmanager/);
    }
  });

  it("every platform alert selects the scrape job its series come from; kube-state-metrics keeps the described objects' namespace", () => {
    const objects = monitoring();
    const rules = ((objects.find((o) => o.kind === "PrometheusRule")!.spec.groups as { rules: { expr: string }[] }[])[0]!.rules);
    for (const r of rules) expect(r.expr).toMatch(/\{job="[a-z-]+"/);
    const ksm = objects.find((o) => o.kind === "ServiceMonitor" && o.metadata.name === "kube-state-metrics")!;
    expect(ksm.spec.endpoints).toEqual([{ port: "http-metrics", interval: "30s", honorLabels: true }]);
  });
});
