/**
 * Observability switched on in a copy of the fixture fleet, as a platform and an app team would:
 * the monitoring add-on (with the EBS CSI driver it needs) and prometheus-adapter on `dev-use1`,
 * `shop/storefront` scraped on a metrics port with SLO alerts and scaling on memory and a per-pod
 * metric, worker `payments/settlement` scraped through a PodMonitor, and tenant `shop` routing its
 * alerts to Slack and pages to PagerDuty. The committed fixture fleet stays without monitoring
 * (other tests count its objects); tests that need it call this on their copy.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { editFile } from "./fleet";

const ADDON_CHOICES: Readonly<Record<string, string>> = {
  "aws-ebs-csi-driver": "v1.47.0",
  monitoring: "v0.85.0",
  "prometheus-adapter": "v0.12.0",
};

/** The alert routing `enableObservability` gives tenant `shop`. */
const SHOP_ALERTING = `alerting: {
    receivers: [
      { name: "team-chat", type: "slack", channel: "#shop-alerts", webhookUrl: { from: "shop/alerting/slack", property: "webhookUrl" } },
      { name: "oncall", type: "pagerduty", routingKey: { from: "shop/alerting/pagerduty", property: "routingKey" } },
    ],
    routes: { page: "oncall" },
  },`;

export function enableObservability(root: string): void {
  for (const [addon, version] of Object.entries(ADDON_CHOICES)) {
    writeFileSync(join(root, "addons", `${addon}.ts`), `import { defineAddon } from "@slipway/core";\n\nexport default defineAddon({ addon: "${addon}", version: "${version}" });\n`);
  }
  editFile(join(root, "clusters/dev-use1/cluster.ts"), (t) =>
    t
      .replace(`    "metrics-server": true,\n`, `    "metrics-server": true,\n    "aws-ebs-csi-driver": true,\n    "monitoring": true,\n    "prometheus-adapter": true,\n`)
      .replace(`    roles: {\n`, `    roles: {\n      "aws-ebs-csi-driver": "arn:aws:iam::210900001111:role/dev-use1-aws-ebs-csi-driver",\n`),
  );
  editFile(join(root, "apps/shop/storefront/app.ts"), (t) =>
    t
      .replace(`  ports: [{ name: "http", port: 8080 }],`, `  ports: [{ name: "http", port: 8080 }, { name: "metrics", port: 9090 }],\n  metrics: { port: "metrics" },\n  alerts: { availability: 99.9, errorRateAbove: 0.05, runbook: "https://runbooks.shop.example.net/storefront" },`)
      .replace(`  scaling: { min: 1, max: 4, cpuTargetPercent: 70 },`, `  scaling: { min: 1, max: 4, cpuTargetPercent: 70, memoryTargetPercent: 80, metrics: [{ type: "pods", name: "http_requests_per_second", averageValue: "50" }] },`),
  );
  editFile(join(root, "apps/payments/settlement/app.ts"), (t) =>
    t.replace(`  args: ["--queue=settlements"],`, `  args: ["--queue=settlements"],\n  ports: [{ name: "metrics", port: 9102 }],\n  metrics: { port: "metrics" },`),
  );
  editFile(join(root, "apps/shop/tenant.ts"), (t) => t.replace(`  ingressHostSuffixes: ["shop.example.net"],`, `  ingressHostSuffixes: ["shop.example.net"],\n  ${SHOP_ALERTING}`));
}
