import { defineApp } from "@slipway/core";

/** Exports the previous day's orders to the data lake at 02:30 UTC. */
export default defineApp({
  name: "nightly-export",
  tenant: "data",
  kind: "cron-job",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/data/nightly-export",
  command: ["/app/export"],
  args: ["--since=24h", "--bucket=acme-data-lake-dev"],
  resources: { cpu: "500m", memory: "1Gi" },
  schedule: { cron: "30 2 * * *", activeDeadlineSeconds: 3600 },
  aws: { identity: "irsa", roleArn: "arn:aws:iam::111122223333:role/data-nightly-export" },
  access: { outbound: [{ aws: "s3" }] },
  alerts: { severity: "ticket", runbook: "https://runbooks.example.com/data/nightly-export" },
  environments: {
    // Each environment's role lives in the account of the clusters hosting it.
    staging: {
      aws: { identity: "irsa", roleArn: "arn:aws:iam::444455556666:role/data-nightly-export" },
    },
    prod: {
      args: ["--since=24h", "--bucket=acme-data-lake-prod"],
      aws: { identity: "irsa", roleArn: "arn:aws:iam::777788889999:role/data-nightly-export" },
    },
  },
});
