import { defineAddon } from "@slipway/core";

/** Backups to S3; how long they are kept depends on the environment. */
export default defineAddon({
  addon: "velero",
  version: "v1.16.2",
  values: {
    schedules: { daily: { cron: "0 2 * * *", ttl: "168h" } },
  },
  environments: {
    prod: {
      schedules: {
        daily: { cron: "0 2 * * *", ttl: "720h" },
        hourly: { cron: "15 * * * *", ttl: "48h", snapshotVolumes: false },
      },
    },
  },
});
