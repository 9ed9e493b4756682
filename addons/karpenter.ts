import { defineAddon } from "@slipway/core";

/** Node autoscaling on EC2; the AMI release is pinned and promoted like any other change. */
export default defineAddon({
  addon: "karpenter",
  version: "1.6.3",
  values: {
    amiAlias: "al2023@v20250715",
    onDemand: { cpu: "64", memory: "256Gi" },
    spot: { enabled: true, cpu: "64", memory: "256Gi" },
    // Spark executors and batch Jobs: spot first, instance-store NVMe for shuffle.
    batch: { enabled: true, cpu: "128", memory: "1024Gi" },
  },
  environments: {
    prod: {
      onDemand: { cpu: "400", memory: "1600Gi", disruptionBudget: "5%" },
      spot: { cpu: "200", memory: "800Gi" },
      system: { enabled: true },
      batch: { cpu: "512", memory: "4096Gi" },
    },
  },
});
