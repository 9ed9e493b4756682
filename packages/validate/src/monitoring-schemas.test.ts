/**
 * The prometheus-operator kinds the platform renders for alerting are validated against the
 * upstream CRDs at the monitoring add-on's pin (schemas/crds/monitoring.coreos.com, v0.85.0):
 * strict, so a misspelt field fails before Argo CD applies it.
 */
import { describe, expect, it } from "vitest";
import { validateManifests } from "./validate";

const rules = (object: Record<string, unknown>) =>
  validateManifests([{ file: "x.yaml", line: 1, object }], { kubernetesVersion: "1.33" }).findings.filter((f) => f.severity === "error").map((f) => `${f.rule} ${f.path}`);
const meta = { name: "tenant-alerts", namespace: "shop-dev", labels: { "slipway.dev/tenant": "shop" } };

describe("prometheus-operator alerting kinds, against their v0.85.0 CRDs", () => {
  it("GIVEN an AlertmanagerConfig, an Alertmanager and a ServiceMonitor as rendered THEN they are valid", () => {
    expect(rules({
      apiVersion: "monitoring.coreos.com/v1alpha1", kind: "AlertmanagerConfig", metadata: meta,
      spec: {
        route: { receiver: "chat", groupBy: ["alertname"], routes: [{ receiver: "oncall", matchers: [{ name: "severity", value: "page", matchType: "=" }] }] },
        receivers: [
          { name: "chat", slackConfigs: [{ apiURL: { name: "tenant-alerts", key: "chat" }, channel: "#x", sendResolved: true }] },
          { name: "oncall", pagerdutyConfigs: [{ routingKey: { name: "tenant-alerts", key: "oncall" } }] },
          { name: "topic", snsConfigs: [{ topicARN: "arn:aws:sns:us-east-1:111122223333:x", sigv4: { region: "us-east-1" } }] },
        ],
      },
    })).toEqual([]);
    expect(rules({
      apiVersion: "monitoring.coreos.com/v1", kind: "Alertmanager", metadata: { name: "platform", namespace: "monitoring", labels: { "slipway.dev/addon": "monitoring" } },
      spec: { alertmanagerConfigSelector: { matchLabels: { a: "b" } }, alertmanagerConfigNamespaceSelector: {}, alertmanagerConfigMatcherStrategy: { type: "OnNamespace" } },
    })).toEqual([]);
    expect(rules({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: meta, spec: { jobLabel: "app.kubernetes.io/name", selector: {}, endpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }] } })).toEqual([]);
  });

  it("GIVEN a misspelt field, an unknown matcher strategy or a matcher type the CRD does not know THEN each is a schema error at its path", () => {
    expect(rules({ apiVersion: "monitoring.coreos.com/v1alpha1", kind: "AlertmanagerConfig", metadata: meta, spec: { receivers: [{ name: "x", slackConfig: [] }] } })).toEqual([expect.stringMatching(/^SW-SCHEMA-\S+ spec\.receivers\[0\]\.slackConfig$/)]);
    expect(rules({ apiVersion: "monitoring.coreos.com/v1", kind: "Alertmanager", metadata: { name: "platform", namespace: "monitoring", labels: { "slipway.dev/addon": "monitoring" } }, spec: { alertmanagerConfigMatcherStrategy: { type: "Everything" } } })).toEqual([expect.stringMatching(/^SW-SCHEMA-\S+ spec\.alertmanagerConfigMatcherStrategy\.type$/)]);
    expect(rules({ apiVersion: "monitoring.coreos.com/v1alpha1", kind: "AlertmanagerConfig", metadata: meta, spec: { route: { receiver: "x", matchers: [{ name: "severity", matchType: "==" }] } } })).toEqual([expect.stringMatching(/^SW-SCHEMA-\S+ spec\.route\.matchers\[0\]\.matchType$/)]);
  });
});
