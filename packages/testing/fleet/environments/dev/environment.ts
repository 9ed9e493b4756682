import { defineEnvironment } from "@slipway/core";

export default defineEnvironment({
  name: "dev",
  policy: {
    // Teams iterate here: guardrail findings warn instead of failing the pull request.
    guardrails: "relaxed",
    minReplicas: 1,
    requirePdb: false,
    requireDigest: false,
    allowExec: true,
    trustedRegistries: ["210987654321.dkr.ecr.us-east-1.amazonaws.com/"],
  },
  sync: { mode: "automated" },
  appDefaults: {
    resources: { cpu: "50m", memory: "128Mi" },
  },
});
