import { defineApp } from "@slipway/core";

/** The event store behind events-ingest: three replicas, each owning its log volume. */
export default defineApp({
  name: "events-store",
  tenant: "data",
  kind: "stateful-service",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/data/events-store",
  ports: [
    { name: "client", port: 9092 },
    { name: "peer", port: 9093 },
  ],
  resources: { cpu: "500m", memory: "1Gi" },
  scaling: { min: 3 },
  probes: {
    readiness: { type: "tcp", port: "client" },
    liveness: { type: "tcp", port: "client", periodSeconds: 20 },
  },
  // Each pod's log segments, on the encrypted gp3 StorageClass; a bigger scratch area for compaction.
  volumes: [{ name: "log", mountPath: "/var/lib/events", size: "50Gi" }],
  scratchPaths: [{ path: "/tmp", sizeLimit: "2Gi" }],
  // Recreating a replica's volume from its peers takes hours: stop slowly and flush.
  shutdown: { drainSeconds: 30 },
  placement: { priority: "critical" },
  // Peers replicate to each other; events-ingest writes to it.
  access: {
    inbound: [{ app: "events-store", port: "peer" }, { app: "events-ingest", port: "client" }],
    outbound: [{ app: "events-store", port: "peer" }],
  },
  // The app's own Velero Schedule once it runs in prod (the prod clusters run Velero).
  environments: {
    prod: { backup: { schedule: "30 */6 * * *", ttl: "336h" } },
  },
});
