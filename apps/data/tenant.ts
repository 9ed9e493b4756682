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
  // Spark executors and sharded batch Jobs: room for up to 14 executors of 4 cores, 7Gi each.
  quota: { requestsCpu: "64", requestsMemory: "128Gi", limitsCpu: "128", limitsMemory: "160Gi", pods: 200 },
});
