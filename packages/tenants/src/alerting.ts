/**
 * The tenant's alert routing in each of its namespaces: an AlertmanagerConfig (selected by the
 * monitoring add-on's Alertmanager through its label) with the receivers declared in tenant.ts,
 * and an ExternalSecret that fills the Secret those receivers read their credentials from, out of
 * AWS Secrets Manager through the tenant's own SecretStore (its prefixes only). SNS receivers carry
 * no credential: Alertmanager signs with its IAM role (SigV4 from the pod's environment).
 *
 * prometheus-operator v0.85.0, `monitoring.coreos.com/v1alpha1` AlertmanagerConfig: slackConfigs
 * `apiURL`, pagerdutyConfigs `routingKey` (Events API v2) are SecretKeySelectors in the config's
 * namespace; snsConfigs take `topicARN` and `sigv4.region`. The operator adds a `namespace`
 * matcher to the config's top route (matcher strategy OnNamespace).
 */
import { ALERTMANAGER_CONFIG_LABEL, MONITORING_ADDON, receiverFor, receiverSecrets, TENANT_SECRET_STORE, tenantAlerting, type Alerting, type Receiver } from "@slipway/core";
import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import { metadata, type TenantInstanceContext } from "./context";

/** The AlertmanagerConfig and the Secret of its credentials, one per tenant namespace. */
export const ALERTING_NAME = "tenant-alerts";
const SKIP_DRY_RUN = { "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true" };

function receiverConfig(r: Receiver): Record<string, unknown> {
  switch (r.type) {
    case "slack":
      return { name: r.name, slackConfigs: [{ apiURL: { name: ALERTING_NAME, key: r.name }, channel: r.channel, sendResolved: true }] };
    case "pagerduty":
      return { name: r.name, pagerdutyConfigs: [{ routingKey: { name: ALERTING_NAME, key: r.name }, sendResolved: true }] };
    case "sns":
      return { name: r.name, snsConfigs: [{ topicARN: r.topicArn, sigv4: { region: r.topicArn.split(":")[3]! }, sendResolved: true }] };
  }
}

function route(alerting: Alerting): Record<string, unknown> {
  const ticket = receiverFor(alerting, "ticket");
  const page = receiverFor(alerting, "page");
  return {
    receiver: ticket,
    groupBy: ["alertname", "app"],
    groupWait: alerting.groupWait,
    repeatInterval: alerting.repeatInterval,
    ...(page !== ticket ? { routes: [{ receiver: page, matchers: [{ name: "severity", value: "page", matchType: "=" }] }] } : {}),
  };
}

export function addAlerting(scope: Construct, ctx: TenantInstanceContext): void {
  const alerting = tenantAlerting(ctx.tenant, ctx.environment.name);
  if (!alerting || !Object.hasOwn(ctx.cluster.addons, MONITORING_ADDON)) return;
  const secrets = receiverSecrets(alerting);
  if (secrets.length) {
    new ApiObject(scope, "alerting-secret", {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: metadata(ctx, ALERTING_NAME, { annotations: SKIP_DRY_RUN }),
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "SecretStore", name: TENANT_SECRET_STORE },
        target: { name: ALERTING_NAME, creationPolicy: "Owner", deletionPolicy: "Retain" },
        data: secrets.map((s) => ({ secretKey: s.receiver, remoteRef: { key: s.from, property: s.property } })),
      },
    });
  }
  new ApiObject(scope, "alertmanager-config", {
    apiVersion: "monitoring.coreos.com/v1alpha1",
    kind: "AlertmanagerConfig",
    metadata: metadata(ctx, ALERTING_NAME, { labels: { ...ALERTMANAGER_CONFIG_LABEL }, annotations: SKIP_DRY_RUN }),
    spec: { route: route(alerting), receivers: alerting.receivers.map(receiverConfig) },
  });
}
