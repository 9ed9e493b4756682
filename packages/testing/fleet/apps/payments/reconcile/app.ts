import { defineApp } from "@slipway/core";

/** Reconciles the previous day's settlements against the bank statements at 04:15 UTC. */
export default defineApp({
  name: "reconcile",
  tenant: "payments",
  kind: "cron-job",
  image: "210987654321.dkr.ecr.us-east-1.amazonaws.com/payments/reconcile",
  command: ["/app/reconcile"],
  args: ["--since=24h"],
  resources: { cpu: "500m", memory: "512Mi" },
  schedule: { cron: "15 4 * * *", activeDeadlineSeconds: 3600 },
  aws: { identity: "irsa", roleArn: "arn:aws:iam::210900001111:role/payments-reconcile" },
  access: { outbound: [{ aws: "s3" }] },
  environments: {
    staging: {
      aws: { identity: "irsa", roleArn: "arn:aws:iam::210900002222:role/payments-reconcile" },
    },
    prod: {
      aws: { identity: "irsa", roleArn: "arn:aws:iam::210900003333:role/payments-reconcile" },
    },
  },
});
