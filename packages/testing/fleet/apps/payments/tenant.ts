import { defineTenant } from "@slipway/core";

export default defineTenant({
  name: "payments",
  description: "Payments: settlement with the card networks and daily reconciliation.",
  team: "@fixture/payments",
  groups: {
    viewers: ["payments-viewers"],
    developers: ["payments-developers"],
    operators: ["payments-oncall"],
  },
  registries: ["210987654321.dkr.ecr.us-east-1.amazonaws.com/payments/"],
});
