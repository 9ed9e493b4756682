import { defineApp } from "@slipway/core";

/** Double-entry ledger API: the source of truth for money movements. */
export default defineApp({
  name: "ledger",
  tenant: "payments",
  kind: "web-service",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/ledger",
  ports: [{ name: "http", port: 8080 }],
  resources: { cpu: "500m", memory: "512Mi", memoryLimit: "768Mi" },
  scaling: { min: 2, max: 6, cpuTargetPercent: 60 },
  probes: {
    readiness: { type: "http", path: "/health/ready" },
    liveness: { type: "http", path: "/health/live" },
    startup: { type: "http", path: "/health/live", failureThreshold: 60, periodSeconds: 2 },
  },
  aws: { identity: "irsa", roleArn: "arn:aws:iam::111122223333:role/payments-ledger" },
  secrets: [
    {
      name: "database",
      from: "payments/ledger/database",
      env: { DATABASE_USER: "username", DATABASE_PASSWORD: "password", DATABASE_HOST: "host" },
    },
  ],
  config: { LEDGER_CURRENCY_DEFAULT: "EUR", LEDGER_LOCK_TIMEOUT_MS: "2000" },
  access: {
    inbound: [
      { app: "checkout", tenant: "storefront", port: "http" },
      { app: "settlement-worker", port: "http" },
    ],
    outbound: [{ cidr: "10.10.64.0/20", ports: [5432] }, { aws: "kms" }, { aws: "secretsmanager" }],
  },
  metrics: { port: "http" },
  alerts: { availability: 99.95, errorRateAbove: 0.01, runbook: "https://runbooks.example.com/payments/ledger" },
  environments: {
    // Each environment's role lives in the account of the clusters hosting it.
    staging: {
      aws: { identity: "irsa", roleArn: "arn:aws:iam::444455556666:role/payments-ledger" },
    },
    prod: {
      scaling: { min: 3, max: 10 },
      aws: { identity: "irsa", roleArn: "arn:aws:iam::777788889999:role/payments-ledger" },
      access: {
        inbound: [
          { app: "checkout", tenant: "storefront", port: "http" },
          { app: "settlement-worker", port: "http" },
        ],
        outbound: [{ cidr: "10.30.64.0/20", ports: [5432] }, { aws: "kms" }, { aws: "secretsmanager" }],
      },
    },
  },
});
