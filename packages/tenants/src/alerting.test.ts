/** A tenant's alert routing, rendered in each of its namespaces on clusters running the monitoring add-on. */
import { describe, expect, it } from "vitest";
import { ClusterSchema, EnvironmentSchema, TenantSchema, type KubeObject, type SlipwayError } from "@slipway/core";
import { checkTenantAlerting, synthesizeTenant } from "./index";

const env = (name: string) => EnvironmentSchema.parse({ name, policy: { trustedRegistries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/"] } });
const cluster = (addons: Record<string, true>) =>
  ClusterSchema.parse({
    name: "test-use1", environments: ["dev", "prod"], kubernetesVersion: "1.33",
    aws: { accountId: "111122223333", region: "us-east-1", vpcId: "vpc-0123456789abcdef0", vpcCidr: "10.0.0.0/16", oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF" },
    addons,
  });
const tenant = TenantSchema.parse({
  name: "payments", team: "@acme/payments", registries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/"], groups: {},
  alerting: {
    receivers: [
      { name: "chat", type: "slack", channel: "#payments-alerts", webhookUrl: { from: "payments/alerting/slack", property: "url" } },
      { name: "oncall", type: "pagerduty", routingKey: { from: "payments/alerting/pagerduty", property: "routingKey" } },
      { name: "ops-topic", type: "sns", topicArn: "arn:aws:sns:us-east-1:111122223333:payments-alerts" },
    ],
    routes: { page: "oncall" },
  },
  environments: { dev: { alerting: { receivers: [{ name: "ops-topic", type: "sns", topicArn: "arn:aws:sns:us-east-1:111122223333:payments-dev" }] } } },
});
type Loose = { kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: Record<string, unknown> };
const render = (addons: Record<string, true>, e = "prod", t = tenant) =>
  (synthesizeTenant({ tenant: t, environment: env(e), cluster: cluster(addons), sourceFile: "apps/payments/tenant.ts" }) as KubeObject[] as unknown as Loose[]).filter((o) => ["AlertmanagerConfig", "ExternalSecret"].includes(o.kind));
const ON = { monitoring: true, "external-secrets": true } as const;

describe("tenant alerting", () => {
  it("GIVEN receivers WHEN rendered for prod THEN the AlertmanagerConfig routes pages to PagerDuty and the rest to the first receiver, labelled for the Alertmanager", () => {
    const config = render(ON).find((o) => o.kind === "AlertmanagerConfig")!;
    expect(config.metadata).toMatchObject({ name: "tenant-alerts", namespace: "payments-prod", labels: { "slipway.dev/alertmanager": "platform", "slipway.dev/tenant": "payments" } });
    expect(config.spec).toEqual({
      route: { receiver: "chat", groupBy: ["alertname", "app"], groupWait: "30s", repeatInterval: "4h", routes: [{ receiver: "oncall", matchers: [{ name: "severity", value: "page", matchType: "=" }] }] },
      receivers: [
        { name: "chat", slackConfigs: [{ apiURL: { name: "tenant-alerts", key: "chat" }, channel: "#payments-alerts", sendResolved: true }] },
        { name: "oncall", pagerdutyConfigs: [{ routingKey: { name: "tenant-alerts", key: "oncall" }, sendResolved: true }] },
        { name: "ops-topic", snsConfigs: [{ topicARN: "arn:aws:sns:us-east-1:111122223333:payments-alerts", sigv4: { region: "us-east-1" }, sendResolved: true }] },
      ],
    });
  });

  it("GIVEN credentials WHEN rendered THEN they come from the tenant's Secrets Manager paths through its own SecretStore, into the Secret the config names", () => {
    const secret = render(ON).find((o) => o.kind === "ExternalSecret")!;
    expect(secret.spec).toEqual({
      refreshInterval: "1h",
      secretStoreRef: { kind: "SecretStore", name: "tenant-secrets" },
      target: { name: "tenant-alerts", creationPolicy: "Owner", deletionPolicy: "Retain" },
      data: [
        { secretKey: "chat", remoteRef: { key: "payments/alerting/slack", property: "url" } },
        { secretKey: "oncall", remoteRef: { key: "payments/alerting/pagerduty", property: "routingKey" } },
      ],
    });
  });

  it("GIVEN dev's own block with only SNS THEN dev's config has that receiver and no secret at all (Alertmanager's IAM role signs)", () => {
    const objects = render(ON, "dev");
    expect(objects.map((o) => o.kind)).toEqual(["AlertmanagerConfig"]);
    expect(objects[0]!.spec.route).toEqual({ receiver: "ops-topic", groupBy: ["alertname", "app"], groupWait: "30s", repeatInterval: "4h" });
  });

  it("GIVEN a cluster without monitoring, or a tenant without alerting THEN nothing is rendered", () => {
    expect(render({ "external-secrets": true })).toEqual([]);
    expect(render(ON, "prod", TenantSchema.parse({ ...tenant, alerting: undefined, environments: {} }))).toEqual([]);
  });
});

describe("what tenant alerting needs of a cluster", () => {
  const sourced = { def: tenant, file: "apps/payments/tenant.ts" };
  const messages = (addons: Record<string, true>, roles: Record<string, string> = {}) =>
    checkTenantAlerting(sourced, ClusterSchema.parse({ ...cluster(addons), facts: { roles } }), "clusters/test-use1/cluster.ts").map((e: SlipwayError) => e.format());

  it("GIVEN monitoring, external-secrets and the Alertmanager's role THEN nothing is wrong; without monitoring nothing is rendered, so nothing is needed", () => {
    expect(messages(ON, { alertmanager: "arn:aws:iam::111122223333:role/test-use1-alertmanager" })).toEqual([]);
    expect(messages({})).toEqual([]);
  });
  it("GIVEN receivers with credentials and no external-secrets, or SNS and no Alertmanager role THEN each error names tenant.ts, the field and the fix", () => {
    const errors = messages({ monitoring: true });
    expect(errors.some((m) => /apps\/payments\/tenant\.ts: alerting\.receivers[\s\S]*does not run external-secrets[\s\S]*"external-secrets": true/.test(m))).toBe(true);
    expect(errors.some((m) => /environments\.dev\.alerting\.receivers[\s\S]*SNS receiver[\s\S]*facts: \{ roles: \{ alertmanager/.test(m))).toBe(true);
  });
});
