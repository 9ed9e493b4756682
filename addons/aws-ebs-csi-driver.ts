import { defineAddon } from "@slipway/core";

/** EBS volumes; the encrypted gp3 StorageClass `gp3` every volume claim uses (the cluster default). */
export default defineAddon({
  addon: "aws-ebs-csi-driver",
  version: "v1.47.0",
  environments: {
    dev: { replicas: 1 },
  },
});
