import { defineAddon } from "@slipway/core";

/** Prometheus for the platform and the apps' alerts. */
export default defineAddon({
  addon: "monitoring",
  version: "v0.85.0",
  environments: {
    dev: { prometheus: { retention: "2d", storage: "20Gi" } },
    // Two Alertmanagers gossip, so a node drain never drops a page.
    prod: { prometheus: { replicas: 2, retention: "15d", storage: "200Gi", resources: { cpu: "1", memory: "8Gi" } }, alertmanager: { replicas: 2 } },
  },
});
