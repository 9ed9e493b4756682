import { defineTenant } from "@slipway/core";

export default defineTenant({
  name: "storefront",
  description: "Storefront: the customer-facing shop and its APIs.",
  team: "@acme/storefront",
  groups: {
    viewers: ["storefront-viewers"],
    developers: ["storefront-developers"],
    operators: ["storefront-oncall"],
  },
  registries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/storefront/"],
  ingressHostSuffixes: ["example.com"],
  // Pages reach the on-call through PagerDuty, everything else the team's channel; dev only the channel.
  alerting: {
    receivers: [
      { name: "team-chat", type: "slack", channel: "#storefront-alerts", webhookUrl: { from: "storefront/alerting/slack", property: "webhookUrl" } },
      { name: "oncall", type: "pagerduty", routingKey: { from: "storefront/alerting/pagerduty", property: "routingKey" } },
    ],
    routes: { page: "oncall" },
  },
  environments: {
    dev: {
      alerting: {
        receivers: [{ name: "team-chat", type: "slack", channel: "#storefront-dev-alerts", webhookUrl: { from: "storefront/alerting/slack", property: "webhookUrl" } }],
      },
    },
  },
});
