import { defineTenant } from "@slipway/core";

export default defineTenant({
  name: "data",
  description: "Data platform: exports and event ingestion.",
  team: "@acme/data",
  groups: {
    viewers: ["data-viewers"],
    developers: ["data-developers"],
    operators: ["data-oncall"],
  },
  registries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/data/"],
  ingressHostSuffixes: ["example.com"],
});
