import { defineEnvironment } from "@slipway/core";

export default defineEnvironment({
  name: "dev",
  policy: {
    // Developers iterate here: guardrail findings warn instead of failing the pull request.
    guardrails: "relaxed",
    minReplicas: 1,
    requirePdb: false,
    requireDigest: false,
    allowExec: true,
    trustedRegistries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/"],
  },
  sync: { mode: "automated" },
  appDefaults: {
    resources: { cpu: "50m", memory: "128Mi" },
  },
  // Health gate of `slipway promote`: a release must run Synced and Healthy in dev for 15 minutes before it may go to staging.
  promotion: { soak: "15m" },
});
