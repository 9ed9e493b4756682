import { defineAddon } from "@slipway/core";

/** Spark applications of the data tenant (sparkoperator.k8s.io/v1beta2), Helm-free. */
export default defineAddon({
  addon: "spark-operator",
  version: "v2.5.2",
  environments: {
    dev: { replicas: 1, webhookReplicas: 1 },
  },
});
