import { defineAddon } from "@slipway/core";

/** Used where Karpenter is not (dev): its minor version must match the cluster's Kubernetes minor. */
export default defineAddon({
  addon: "cluster-autoscaler",
  version: "v1.34.1",
  values: { expander: "least-waste", scaleDownUnneededTime: "10m" },
});
