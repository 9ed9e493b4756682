import { defineEnvironment } from "@slipway/core";

export default defineEnvironment({
  name: "prod",
  promotesFrom: "staging",
  policy: {
    guardrails: "strict",
    minReplicas: 2,
    requirePdb: true,
    requireDigest: true,
    allowExec: false,
    trustedRegistries: ["210987654321.dkr.ecr.us-east-1.amazonaws.com/"],
  },
  sync: {
    mode: "automated",
    windows: [
      // No automated syncs over the weekend.
      { kind: "deny", schedule: "0 18 * * 5", duration: "62h", timeZone: "Etc/UTC" },
    ],
    // A release reaches prod-use1 first; prod-euw1 follows once it is healthy there.
    rollout: {
      steps: [{ clusters: ["prod-use1"] }, { clusters: ["prod-euw1"] }],
    },
  },
  appDefaults: {
    scaling: { min: 2 },
  },
});
