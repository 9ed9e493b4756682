import { defineAddon } from "@slipway/core";

/** Route53 records for ingress hosts; production never deletes records on its own. */
export default defineAddon({
  addon: "external-dns",
  version: "v0.18.0",
  values: { policy: "sync" },
  environments: {
    prod: { policy: "upsert-only" },
  },
});
