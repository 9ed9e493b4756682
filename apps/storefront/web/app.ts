import { defineApp } from "@slipway/core";

/** The shop's front end: the one app the internet talks to. */
export default defineApp({
  name: "web",
  tenant: "storefront",
  kind: "web-service",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/storefront/web",
  ports: [{ name: "http", port: 8080 }],
  env: { NODE_ENV: "production", CATALOG_URL: "http://catalog:8080", CHECKOUT_URL: "http://checkout:8080" },
  resources: { cpu: "250m", memory: "256Mi" },
  scaling: { min: 1, max: 4, cpuTargetPercent: 65 },
  probes: {
    readiness: { type: "http", path: "/healthz/ready" },
    liveness: { type: "http", path: "/healthz/live", periodSeconds: 20 },
    startup: { type: "http", path: "/healthz/live", failureThreshold: 30, periodSeconds: 2 },
  },
  ingress: {
    exposure: "public",
    host: "shop.dev.example.com",
    approval: "SEC-2041 (storefront launch review)",
    // The certificate (and, in staging and prod, the WAF web ACL) is each cluster's: see its edge facts.
    redirectHttp: true,
  },
  access: {
    outbound: [{ app: "catalog", port: "http" }, { app: "checkout", port: "http" }],
  },
  // The HTTP instrumentation serves /metrics on the app's own port.
  metrics: { port: "http" },
  alerts: { availability: 99.9, runbook: "https://runbooks.example.com/storefront/web" },
  // Long-poll requests take up to 20 s: the ALB drains for that long before the pod gets SIGTERM.
  shutdown: { drainSeconds: 20 },
  // Serves the static assets next to the app (a native sidecar: started first, stopped last).
  sidecars: [
    {
      name: "assets",
      image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/storefront/assets-server:2.3.1@sha256:9b2f4c7d1e0a8b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c",
      ports: [{ name: "assets", port: 8081 }],
      probe: { type: "http", path: "/healthz", port: "assets" },
      resources: { cpu: "50m", memory: "64Mi" },
      mountScratch: true,
    },
  ],
  environments: {
    staging: {
      ingress: { host: "shop.staging.example.com" },
    },
    prod: {
      scaling: { min: 3, max: 20 },
      resources: { cpu: "500m", memory: "512Mi" },
      ingress: { host: "shop.example.com" },
    },
  },
});
