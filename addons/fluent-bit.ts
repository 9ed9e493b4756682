import { defineAddon } from "@slipway/core";

/** Container logs to CloudWatch Logs. */
export default defineAddon({
  addon: "fluent-bit",
  version: "4.0.3",
  values: { retentionDays: 14 },
  environments: {
    prod: { retentionDays: 90 },
  },
});
