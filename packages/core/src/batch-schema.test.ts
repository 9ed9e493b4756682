import { describe, expect, it } from "vitest";
import { ResolvedAppSchema } from "./app-schema";
import { DefinitionError } from "./errors";
import { resolveApp } from "./resolve";
import { ClusterSchema, EnvironmentSchema } from "./fleet-schema";
import { parseDefinition } from "./zod-errors";

const FILE = "apps/data/backfill/app.ts";
const image = "111122223333.dkr.ecr.us-east-1.amazonaws.com/data/backfill";
const job = { name: "backfill", tenant: "data", kind: "batch-job", image, job: { activeDeadlineSeconds: 3600 } };
const spark = {
  name: "sessionize", tenant: "data", kind: "spark-application", image,
  spark: { type: "Scala", sparkVersion: "3.5.6", mainClass: "com.acme.Sessionize", mainApplicationFile: "local:///opt/spark/jars/app.jar" },
};

function errorOf(input: unknown): string {
  try {
    parseDefinition(ResolvedAppSchema, input, { file: FILE });
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as DefinitionError).format();
  }
  throw new Error("expected the definition to be rejected");
}

describe("batch-job intent", () => {
  it("GIVEN a release-started job WHEN resolved THEN one pod, three retries, on-demand, no TTL", () => {
    expect(ResolvedAppSchema.parse(job).job).toEqual({ completions: 1, parallelism: 1, completionMode: "NonIndexed", backoffLimit: 3, activeDeadlineSeconds: 3600, spot: false });
  });

  const refused: [string, unknown, RegExp][] = [
    ["no job block", { ...job, job: undefined }, /job: a batch-job needs `job: \{ activeDeadlineSeconds: 3600 \}`/],
    ["no deadline on a release-started Job", { ...job, job: {} }, /job\.activeDeadlineSeconds: a release-started Job needs a deadline/],
    ["a TTL on a release-started Job", { ...job, job: { activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 600 } }, /job\.ttlSecondsAfterFinished: a release-started Job lives in Git: Argo CD would re-create \(and re-run\) it/],
    ["more parallelism than completions", { ...job, job: { activeDeadlineSeconds: 60, completions: 2, parallelism: 5 } }, /job\.parallelism: parallelism \(5\) is more than completions \(2\)/],
    ["an autoscaler", { ...job, scaling: { max: 3 } }, /scaling\.max: a batch-job does not autoscale/],
    ["a job block on a worker", { ...job, kind: "worker" }, /job: only a batch-job has `job`; this app is a worker/],
  ];
  for (const [what, input, message] of refused) {
    it(`GIVEN ${what} WHEN resolved THEN the error names the file, the field and the fix`, () => {
      const text = errorOf(input);
      expect(text).toMatch(/^apps\/data\/backfill\/app\.ts: /);
      expect(text).toMatch(message);
    });
  }

  it("GIVEN a schedule WHEN resolved THEN a TTL and no deadline are allowed", () => {
    const app = ResolvedAppSchema.parse({ ...job, job: { schedule: { cron: "0 3 * * *" }, ttlSecondsAfterFinished: 600 } });
    expect(app.job?.schedule).toMatchObject({ cron: "0 3 * * *", timeZone: "Etc/UTC", concurrencyPolicy: "Forbid" });
  });

  it("GIVEN prod's minimum replicas WHEN a batch job is resolved THEN it is not held to them (it runs to completion)", () => {
    const environment = EnvironmentSchema.parse({ name: "prod", policy: { minReplicas: 2, trustedRegistries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/"] } });
    const cluster = ClusterSchema.parse({ name: "prod-use1", environments: ["prod"], kubernetesVersion: "1.33", aws: { accountId: "111122223333", region: "us-east-1", vpcId: "vpc-0abc12345def67890", vpcCidr: "10.0.0.0/16", oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/ABC" } });
    expect(cluster.profile).toBe("dynamic");
    expect(resolveApp({ file: FILE, base: job, environments: {} }, environment, cluster).kind).toBe("batch-job");
  });
});

describe("spark-application intent", () => {
  it("GIVEN the minimum WHEN resolved THEN spot executors, local shuffle, retries and executor failure bounds are on", () => {
    const s = ResolvedAppSchema.parse(spark).spark!;
    expect(s).toMatchObject({ spotExecutors: true, localShuffle: true, retries: 2, maxExecutorFailures: 10, driver: { cores: 1, memory: "2g" }, executor: { cores: 2, memory: "4g", instances: 2 } });
  });

  const refused: [string, unknown, RegExp][] = [
    ["no spark block", { ...spark, spark: undefined }, /spark: a spark-application needs `spark: \{ type, sparkVersion, mainApplicationFile \}`/],
    ["a Scala app without its main class", { ...spark, spark: { ...spark.spark, mainClass: undefined } }, /spark\.mainClass: a Scala application needs `mainClass`/],
    ["an S3 key in sparkConf", { ...spark, spark: { ...spark.spark, sparkConf: { "spark.hadoop.fs.s3a.access.key": "AKIA" } } }, /spark\.sparkConf\.spark\.hadoop\.fs\.s3a\.access\.key: S3 is reached with the app's IAM role/],
    ["fewer max than min executors", { ...spark, spark: { ...spark.spark, dynamicAllocation: { minExecutors: 5, maxExecutors: 2 } } }, /maxExecutors \(2\) must be at least minExecutors \(5\)/],
    ["an upper-case bucket", { ...spark, spark: { ...spark.spark, eventLogDir: "s3a://Acme/logs" } }, /spark\.eventLogDir: value must be an S3 URI/],
    ["a JVM size in Kubernetes units", { ...spark, spark: { ...spark.spark, executor: { cores: 2, memory: "4Gi" } } }, /spark\.executor\.memory: value must be a JVM memory size such as `4g`/],
  ];
  for (const [what, input, message] of refused) {
    it(`GIVEN ${what} WHEN resolved THEN the error says what to change`, () => {
      expect(errorOf(input)).toMatch(message);
    });
  }
});
