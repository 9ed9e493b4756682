import { defineEnvironment } from "@slipway/core";

export default defineEnvironment({
  name: "staging",
  promotesFrom: "dev",
  policy: {
    guardrails: "strict",
    minReplicas: 1,
    requirePdb: false,
    requireDigest: true,
    allowExec: true,
    trustedRegistries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/"],
  },
  sync: { mode: "automated" },
  // Health gate of `slipway promote`: a release must run Synced and Healthy in staging for 2 hours before it may go to prod.
  promotion: { soak: "2h" },
});
