import { defineApp } from "@slipway/core";

/** Streams storefront events into the data platform. */
export default defineApp({
  name: "events-ingest",
  tenant: "data",
  kind: "worker",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/data/events-ingest",
  resources: { cpu: "300m", memory: "512Mi" },
  ports: [{ name: "metrics", port: 9102 }],
  metrics: { port: "metrics" },
  // Scales on its consumer lag (a gauge per pod, through the prometheus-adapter add-on): CPU says
  // little about how far behind the stream it is.
  scaling: { min: 1, max: 6, metrics: [{ type: "pods", name: "events_ingest_consumer_lag", averageValue: "5000" }], scaleDownStabilizationSeconds: 600 },
  probes: {
    readiness: { type: "exec", command: ["/app/ingest", "--ready"] },
    liveness: { type: "exec", command: ["/app/ingest", "--check"] },
  },
  aws: { identity: "pod-identity", roleArn: "arn:aws:iam::111122223333:role/data-events-ingest" },
  secrets: [{ name: "stream", from: "data/events-ingest/stream", env: { STREAM_API_KEY: "api_key" }, mountPath: "/var/run/secrets/stream" }],
  access: { outbound: [{ aws: "s3" }, { cidr: "10.10.128.0/20", ports: [9092, 9094] }, { app: "events-store", port: "client" }] },
});
