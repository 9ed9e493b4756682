import { defineAddon } from "@slipway/core";

/** Admission guardrails: Audit where the environment's guardrails are relaxed, Enforce where strict. */
export default defineAddon({
  addon: "kyverno",
  version: "v1.14.4",
  environments: {
    dev: { replicas: 1 },
    staging: { replicas: 1 },
  },
});
