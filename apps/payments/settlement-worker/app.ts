import { defineApp } from "@slipway/core";

/** Consumes settlement events from SQS and posts them to the ledger. */
export default defineApp({
  name: "settlement-worker",
  tenant: "payments",
  kind: "worker",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/settlement-worker",
  args: ["--queue=settlements", "--ledger=http://ledger:8080"],
  resources: { cpu: "250m", memory: "256Mi" },
  scaling: { min: 1, max: 5, cpuTargetPercent: 75 },
  probes: {
    readiness: { type: "exec", command: ["/app/healthcheck", "--ready"], periodSeconds: 15 },
    liveness: { type: "exec", command: ["/app/healthcheck"], periodSeconds: 30 },
  },
  aws: { identity: "pod-identity", roleArn: "arn:aws:iam::111122223333:role/payments-settlement-worker" },
  secrets: [{ name: "signing-keys", from: "payments/settlement/signing-keys", mountPath: "/var/run/secrets/signing" }],
  access: {
    outbound: [{ app: "ledger", port: "http" }, { aws: "sqs" }],
  },
  alerts: { severity: "ticket" },
  // Settlement events are redelivered by SQS, so a spot interruption only delays them; the image
  // is built for arm64 (Graviton).
  placement: { capacity: "spot", architecture: "arm64" },
  environments: {
    // Each environment's role lives in the account of the clusters hosting it.
    staging: {
      aws: { identity: "pod-identity", roleArn: "arn:aws:iam::444455556666:role/payments-settlement-worker" },
      // The staging release's definition predates placement: run it on spot Graviton there too.
      placement: { capacity: "spot", architecture: "arm64" },
    },
    prod: {
      aws: { identity: "pod-identity", roleArn: "arn:aws:iam::777788889999:role/payments-settlement-worker" },
    },
  },
});
