import { defineAddon } from "@slipway/core";

/** Resource metrics for the apps' HPAs. */
export default defineAddon({
  addon: "metrics-server",
  version: "v0.8.0",
  environments: {
    dev: { replicas: 1 },
  },
});
