import { defineAddon } from "@slipway/core";

/** ALBs for app ingresses (class `alb`). */
export default defineAddon({
  addon: "aws-load-balancer-controller",
  version: "v2.13.4",
  environments: {
    dev: { replicas: 1 },
    prod: { deletionProtection: true },
  },
});
