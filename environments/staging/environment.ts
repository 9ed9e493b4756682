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
});
