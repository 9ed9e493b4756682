import { defineApp } from "@slipway/core";

/**
 * Turns the day's raw click events into user sessions (Spark on the spark-operator). Each release
 * is one run: executors on spot with shuffle on local NVMe, the driver on on-demand, S3 by role.
 */
export default defineApp({
  name: "sessionize",
  tenant: "data",
  kind: "spark-application",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/data/sessionize",
  aws: { identity: "irsa", roleArn: "arn:aws:iam::111122223333:role/data-sessionize" },
  access: { outbound: [{ aws: "s3" }] },
  alerts: { severity: "ticket", runbook: "https://runbooks.example.com/data/sessionize" },
  spark: {
    type: "Scala",
    sparkVersion: "3.5.6",
    mainClass: "com.acme.data.Sessionize",
    mainApplicationFile: "local:///opt/spark/jars/sessionize.jar",
    arguments: ["--input=s3a://acme-data-lake-dev/events/", "--output=s3a://acme-data-lake-dev/sessions/"],
    driver: { cores: 1, memory: "2g" },
    // Within the tenant LimitRange (4 CPU, 8Gi per container): heap plus overhead is 7g.
    executor: { cores: 4, memory: "6g", memoryOverhead: "1g", instances: 4 },
    dynamicAllocation: { minExecutors: 2, maxExecutors: 12 },
    s3: { read: ["s3a://acme-data-lake-dev/events/"], write: ["s3a://acme-data-lake-dev/sessions/"] },
    eventLogDir: "s3a://acme-data-lake-dev/spark-events/",
    sparkConf: { "spark.sql.shuffle.partitions": "400" },
  },
  environments: {
    staging: {
      aws: { identity: "irsa", roleArn: "arn:aws:iam::444455556666:role/data-sessionize" },
      spark: {
        arguments: ["--input=s3a://acme-data-lake-staging/events/", "--output=s3a://acme-data-lake-staging/sessions/"],
        s3: { read: ["s3a://acme-data-lake-staging/events/"], write: ["s3a://acme-data-lake-staging/sessions/"] },
        eventLogDir: "s3a://acme-data-lake-staging/spark-events/",
      },
    },
    prod: {
      aws: { identity: "irsa", roleArn: "arn:aws:iam::777788889999:role/data-sessionize" },
      spark: {
        arguments: ["--input=s3a://acme-data-lake-prod/events/", "--output=s3a://acme-data-lake-prod/sessions/"],
        s3: { read: ["s3a://acme-data-lake-prod/events/"], write: ["s3a://acme-data-lake-prod/sessions/"] },
        eventLogDir: "s3a://acme-data-lake-prod/spark-events/",
        dynamicAllocation: { minExecutors: 4, maxExecutors: 14 },
      },
    },
  },
});
