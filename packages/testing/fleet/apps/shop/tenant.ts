import { defineTenant } from "@slipway/core";

export default defineTenant({
  name: "shop",
  description: "Shop: the customer-facing storefront.",
  team: "@fixture/shop",
  groups: {
    viewers: ["shop-viewers"],
    developers: ["shop-developers"],
    operators: ["shop-oncall"],
  },
  registries: ["210987654321.dkr.ecr.us-east-1.amazonaws.com/shop/"],
  ingressHostSuffixes: ["shop.example.net"],
});
