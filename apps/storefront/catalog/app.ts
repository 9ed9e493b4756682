import { defineApp } from "@slipway/core";

/** Product catalogue API, read by the web front end. */
export default defineApp({
  name: "catalog",
  tenant: "storefront",
  kind: "web-service",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/storefront/catalog",
  ports: [
    { name: "http", port: 8080 },
    { name: "metrics", port: 9090 },
  ],
  config: { CACHE_TTL_SECONDS: "300", FEATURED_LIMIT: "24" },
  resources: { cpu: "200m", memory: "384Mi" },
  // Holds its product cache in memory: memory fills before CPU does.
  scaling: { min: 1, max: 3, memoryTargetPercent: 80 },
  metrics: { port: "metrics" },
  alerts: { availability: 99.9, errorRateAbove: 0.05, runbook: "https://runbooks.example.com/storefront/catalog" },
  probes: {
    readiness: { type: "http", path: "/ready" },
    liveness: { type: "tcp" },
  },
  access: {
    inbound: [{ app: "web", port: "http" }],
    outbound: [{ aws: "dynamodb" }],
  },
  aws: { identity: "irsa", roleArn: "arn:aws:iam::111122223333:role/storefront-catalog" },
  // The catalogue warms its cache after the readiness probe passes: a new pod counts as available
  // only after 15 s, so a rollout never has only cold pods (a field the intent does not model).
  patches: [
    {
      target: { kind: "Deployment", name: "catalog" },
      type: "merge",
      patch: { spec: { minReadySeconds: 15 } },
      reason: "cache warm-up before a new pod counts as available (CAT-311)",
    },
  ],
  environments: {
    // Each environment's role lives in the account of the clusters hosting it.
    staging: {
      aws: { identity: "irsa", roleArn: "arn:aws:iam::444455556666:role/storefront-catalog" },
    },
    prod: {
      scaling: { min: 2, max: 8 },
      aws: { identity: "irsa", roleArn: "arn:aws:iam::777788889999:role/storefront-catalog" },
    },
  },
});
