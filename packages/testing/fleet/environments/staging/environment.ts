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
    trustedRegistries: ["210987654321.dkr.ecr.us-east-1.amazonaws.com/"],
  },
  sync: { mode: "automated" },
});
