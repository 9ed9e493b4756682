import { defineApp } from "@slipway/core";

/**
 * Re-writes the order partitions of the data lake in 16 shards (an Indexed Job: each pod reads
 * JOB_COMPLETION_INDEX). Started by each release; interruptible, so it runs on spot.
 */
export default defineApp({
  name: "backfill-partitions",
  tenant: "data",
  kind: "batch-job",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/data/backfill-partitions",
  command: ["/app/backfill"],
  args: ["--shards=16", "--bucket=acme-data-lake-dev"],
  resources: { cpu: "1", memory: "2Gi" },
  aws: { identity: "pod-identity", roleArn: "arn:aws:iam::111122223333:role/data-backfill-partitions" },
  access: { outbound: [{ aws: "s3" }] },
  alerts: { severity: "ticket", runbook: "https://runbooks.example.com/data/backfill-partitions" },
  job: {
    completions: 16,
    parallelism: 4,
    completionMode: "Indexed",
    backoffLimit: 6,
    activeDeadlineSeconds: 14400,
    spot: true,
    // 2: the input partition is malformed; retrying cannot help.
    failOnExitCodes: [2],
  },
  environments: {
    staging: {
      args: ["--shards=16", "--bucket=acme-data-lake-staging"],
      aws: { identity: "pod-identity", roleArn: "arn:aws:iam::444455556666:role/data-backfill-partitions" },
    },
    prod: {
      args: ["--shards=16", "--bucket=acme-data-lake-prod"],
      aws: { identity: "pod-identity", roleArn: "arn:aws:iam::777788889999:role/data-backfill-partitions" },
    },
  },
});
