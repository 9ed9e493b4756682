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
});
