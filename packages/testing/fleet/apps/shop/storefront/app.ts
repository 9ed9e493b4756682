import { defineApp } from "@slipway/core";

/** The shop's web front end, behind a public ALB. */
export default defineApp({
  name: "storefront",
  tenant: "shop",
  kind: "web-service",
  image: "210987654321.dkr.ecr.us-east-1.amazonaws.com/shop/storefront",
  ports: [{ name: "http", port: 8080 }],
  env: { NODE_ENV: "production" },
  config: { SESSION_TTL_SECONDS: "1800", FEATURED_PRODUCTS: "12" },
  resources: { cpu: "250m", memory: "256Mi" },
  scaling: { min: 1, max: 4, cpuTargetPercent: 70 },
  probes: {
    readiness: { type: "http", path: "/ready" },
    liveness: { type: "http", path: "/live", periodSeconds: 20 },
  },
  ingress: {
    exposure: "public",
    host: "www.dev.shop.example.net",
    approval: "SEC-118 (storefront launch review)",
  },
  secrets: [{ name: "session", from: "shop/storefront/session", env: { SESSION_SECRET: "secret" } }],
  aws: { identity: "irsa", roleArn: "arn:aws:iam::210900001111:role/shop-storefront" },
  environments: {
    staging: {
      ingress: {
        host: "www.staging.shop.example.net",
        certificateArn: "arn:aws:acm:us-east-1:210900002222:certificate/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      },
      aws: { identity: "irsa", roleArn: "arn:aws:iam::210900002222:role/shop-storefront" },
    },
    prod: {
      scaling: { min: 3, max: 12 },
      // Two prod regions: each cluster's own certificate (edge.certificates in its cluster.ts).
      ingress: { host: "www.shop.example.net" },
      aws: { identity: "irsa", roleArn: "arn:aws:iam::210900003333:role/shop-storefront" },
    },
  },
});
