import { defineApp } from "@slipway/core";

/** Checkout API: turns a basket into a payment request to the ledger. */
export default defineApp({
  name: "checkout",
  tenant: "storefront",
  kind: "web-service",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/storefront/checkout",
  ports: [{ name: "http", port: 8080 }],
  command: ["/app/checkout"],
  args: ["--listen=:8080", "--ledger=http://ledger.payments-$(SLIPWAY_ENVIRONMENT).svc:8080"],
  env: { SLIPWAY_ENVIRONMENT: "dev" },
  resources: { cpu: "200m", memory: "256Mi" },
  scaling: { min: 1, max: 4 },
  probes: {
    readiness: { type: "http", path: "/ready" },
    liveness: { type: "http", path: "/live" },
  },
  ingress: {
    exposure: "internal",
    host: "checkout.internal.dev.example.com",
    path: "/api",
  },
  access: {
    inbound: [{ app: "web", port: "http" }],
    outbound: [{ app: "ledger", tenant: "payments", port: "http" }],
  },
  metrics: { port: "http" },
  alerts: { errorRateAbove: 0.02, severity: "page", runbook: "https://runbooks.example.com/storefront/checkout" },
  environments: {
    staging: {
      env: { SLIPWAY_ENVIRONMENT: "staging" },
      ingress: { host: "checkout.internal.staging.example.com" },
    },
    prod: {
      env: { SLIPWAY_ENVIRONMENT: "prod" },
      scaling: { min: 3, max: 12 },
      ingress: { host: "checkout.internal.example.com" },
    },
  },
});
