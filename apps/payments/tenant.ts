import { defineTenant } from "@slipway/core";

export default defineTenant({
  name: "payments",
  description: "Payments: ledger, settlement and everything that moves money.",
  team: "@acme/payments",
  groups: {
    viewers: ["payments-viewers"],
    developers: ["payments-developers"],
    operators: ["payments-oncall"],
  },
  registries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/"],
  ingressHostSuffixes: ["example.com"],
});
