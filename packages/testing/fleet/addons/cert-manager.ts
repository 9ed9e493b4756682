import { defineAddon } from "@slipway/core";

/** Certificates for the add-ons' webhooks (self-signed CAs; no ACME issuer in this fleet). */
export default defineAddon({
  addon: "cert-manager",
  version: "v1.18.2",
  environments: {
    dev: { replicas: 1 },
  },
});
