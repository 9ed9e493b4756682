import { defineEnvironment } from "@slipway/core";

export default defineEnvironment({
  name: "prod",
  promotesFrom: "staging",
  policy: {
    guardrails: "strict",
    minReplicas: 2,
    requirePdb: true,
    requireDigest: true,
    // Production is changed through git, not shells: operators can restart and scale, not exec.
    allowExec: false,
    // Every internet-facing load balancer sits behind the cluster's WAF web ACL.
    requireWaf: true,
    trustedRegistries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/"],
  },
  sync: {
    mode: "automated",
    windows: [
      // No automated syncs during the Friday-evening change freeze.
      { kind: "deny", schedule: "0 17 * * 5", duration: "64h", timeZone: "Etc/UTC" },
    ],
    // Each release reaches us-east-1 first; eu-west-1 follows once it is healthy there.
    rollout: {
      steps: [{ clusters: ["prod-use1"] }, { clusters: ["prod-euw1"] }],
    },
  },
  appDefaults: {
    scaling: { min: 2 },
  },
  // Health gate of `slipway promote --addon`: an add-on's definition reaches prod-euw1 only once it has run Synced and Healthy on prod-use1 for an hour.
  promotion: { soak: "1h" },
});
