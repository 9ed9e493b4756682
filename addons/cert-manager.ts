import { defineAddon } from "@slipway/core";

/** Certificates: ACME via Route53 DNS-01 for ingress hosts, self-signed CAs for webhooks. */
export default defineAddon({
  addon: "cert-manager",
  version: "v1.18.2",
  values: {
    acme: { email: "platform@example.com", server: "production" },
  },
  environments: {
    // Let's Encrypt staging: generous rate limits while clusters are rebuilt often.
    dev: { replicas: 1, acme: { server: "staging" } },
  },
});
