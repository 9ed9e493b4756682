import { defineAddon } from "@slipway/core";

/** Custom and external metrics for HPAs, from the monitoring add-on's Prometheus. */
export default defineAddon({
  addon: "prometheus-adapter",
  version: "v0.12.0",
  environments: {
    dev: { replicas: 1 },
  },
});
