/**
 * Intent of the data and batch kinds: `batch-job` (a Kubernetes Job, started by a release or a
 * schedule) and `spark-application` (a SparkApplication of the Kubeflow spark-operator). Their
 * fields join the app schema as `job` and `spark`; the checks that need the whole app live in
 * `checkBatchApp`, called from the app schema's refinement.
 */
import * as z from "zod";
import { containerCpu } from "./primitives";

/** `s3a://bucket/prefix` (Spark's S3A connector) or `s3://bucket/prefix`. */
export const s3Uri = z
  .string()
  .regex(/^s3a?:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/\S*)?$/, "must be an S3 URI such as `s3a://acme-data-lake/events/` (bucket names are lower case)");

/** How often a batch Job runs when a schedule starts it instead of a release (a CronJob). */
export const BatchScheduleSchema = z.strictObject({
  /** Five-field cron expression. */
  cron: z.string().regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron expression such as `0 3 * * *`"),
  timeZone: z.string().default("Etc/UTC"),
  concurrencyPolicy: z.enum(["Forbid", "Replace", "Allow"]).default("Forbid"),
  successfulJobsHistoryLimit: z.number().int().min(0).max(10).default(3),
  failedJobsHistoryLimit: z.number().int().min(0).max(10).default(3),
  startingDeadlineSeconds: z.number().int().min(10).default(300),
});

export const BatchJobSchema = z.strictObject({
  /** Pods that must succeed (`spec.completions`). */
  completions: z.number().int().min(1).max(10000).default(1),
  /** Pods running at once (`spec.parallelism`). */
  parallelism: z.number().int().min(1).max(1000).default(1),
  /**
   * `Indexed`: each pod gets its completion index (`JOB_COMPLETION_INDEX`) and works on its own
   * shard; `NonIndexed`: any `completions` successes finish the Job (`spec.completionMode`).
   */
  completionMode: z.enum(["NonIndexed", "Indexed"]).default("NonIndexed"),
  /** Failed pods before the Job fails (`spec.backoffLimit`); pods lost to a node disruption do not count. */
  backoffLimit: z.number().int().min(0).max(100).default(3),
  /** Wall-clock bound of the whole Job (`spec.activeDeadlineSeconds`). A release-started Job needs it. */
  activeDeadlineSeconds: z.number().int().min(1).optional(),
  /**
   * Delete a finished Job after this long (`spec.ttlSecondsAfterFinished`). Only for scheduled
   * Jobs: a release-started Job is in Git, and Argo CD (self-heal) would create it again, and so
   * run it again, as soon as the TTL controller deleted it.
   * @default 86400 for a scheduled Job
   */
  ttlSecondsAfterFinished: z.number().int().min(0).optional(),
  /**
   * Run on spot capacity (Karpenter `karpenter.sh/capacity-type: spot`, tolerating the spot and
   * batch pools' taints). Interrupted pods are retried without counting against `backoffLimit`
   * (pod failure policy on the `DisruptionTarget` condition).
   * @default false
   */
  spot: z.boolean().default(false),
  /** Exit codes that mean "do not retry, fail the Job now" (a bad input, not a flaky node). */
  failOnExitCodes: z.array(z.number().int().min(1).max(255)).max(255).optional(),
  /** Start by a schedule (a CronJob) instead of by each release. */
  schedule: BatchScheduleSchema.optional(),
  /**
   * Ask Karpenter never to disrupt the Job's nodes while its pods run
   * (`karpenter.sh/do-not-disrupt`): for long-running training or backfills that lose their work
   * when moved. @default true on clusters with `profile: "static"`, false elsewhere
   */
  doNotDisrupt: z.boolean().optional(),
});

const SparkRoleSchema = {
  /** Cores (`spark.driver.cores` / `spark.executor.cores`). */
  cores: z.number().int().min(1).max(64),
  /** JVM heap (`spark.driver.memory` / `spark.executor.memory`), e.g. `4g` or `4096m`. */
  memory: z.string().regex(/^\d+[kmgt]$/, "must be a JVM memory size such as `4g` or `512m`"),
  /** Off-heap overhead (`spark.*.memoryOverhead`). @default Spark's (10% of memory, at least 384m) */
  memoryOverhead: z.string().regex(/^\d+[kmgt]$/, "must be a JVM memory size such as `1g`").optional(),
  /** CPU limit of the pod. @default the cores */
  coreLimit: containerCpu.optional(),
};

export const SparkApplicationSchema = z.strictObject({
  /** `Scala`, `Java`, `Python` or `R` (`spec.type`). */
  type: z.enum(["Scala", "Java", "Python", "R"]),
  /** The Spark version the image carries (`spec.sparkVersion`), e.g. `3.5.6`. */
  sparkVersion: z.string().regex(/^\d+\.\d+\.\d+$/, "must be a Spark version such as `3.5.6`"),
  /** Entry class of a JVM application (`spec.mainClass`). */
  mainClass: z.string().regex(/^[\w.$]+$/, "must be a Java class name such as `com.acme.Sessionize`").optional(),
  /** The application file: `local:///opt/spark/jars/app.jar` (in the image) or an S3 URI. */
  mainApplicationFile: z.string().regex(/^(local:\/\/\/|s3a?:\/\/)\S+$/, "must be `local:///path/in/image` or an `s3a://` URI"),
  arguments: z.array(z.string()).default([]),
  driver: z.strictObject(SparkRoleSchema).prefault({ cores: 1, memory: "2g" }),
  executor: z
    .strictObject({
      ...SparkRoleSchema,
      /** Executors at start, or the fixed count without dynamic allocation (`spec.executor.instances`). */
      instances: z.number().int().min(1).max(1000).default(2),
    })
    .prefault({ cores: 2, memory: "4g" }),
  /** Scale executors with the work (`spec.dynamicAllocation`, shuffle tracking on: no external shuffle service). */
  dynamicAllocation: z
    .strictObject({
      minExecutors: z.number().int().min(0).max(1000).default(1),
      maxExecutors: z.number().int().min(1).max(1000),
    })
    .optional(),
  /** Run executors on spot capacity (the driver always runs on on-demand). @default true */
  spotExecutors: z.boolean().default(true),
  /**
   * Put shuffle and spill files (`spark.local.dir`) on the node's local disk: an `emptyDir`
   * named `spark-local-dir-1`, which on the Karpenter batch pool (instance-store NVMe in RAID0)
   * lives on NVMe. Executors then prefer that pool. @default true
   */
  localShuffle: z.boolean().default(true),
  /** Size bound of the local shuffle volume per executor. */
  localShuffleSize: z.string().regex(/^\d+Gi$/).default("100Gi"),
  /** S3 prefixes the application reads and writes: annotated on the SparkApplication (`slipway.dev/s3-read`, `slipway.dev/s3-write`) for reviewers and the role's policy. */
  s3: z
    .strictObject({
      read: z.array(s3Uri).default([]),
      write: z.array(s3Uri).default([]),
    })
    .prefault({}),
  /** Spark event log for the history server (`spark.eventLog.dir`). */
  eventLogDir: s3Uri.optional(),
  /** Extra Spark properties (`spec.sparkConf`); credentials never go here (the role grants S3). */
  sparkConf: z.record(z.string().regex(/^spark\.[\w.-]+$/, "must be a Spark property such as `spark.sql.shuffle.partitions`"), z.string()).default({}),
  /** Resubmit a failed application (`spec.restartPolicy: OnFailure`); executors lost to spot are replaced by the driver regardless. */
  retries: z.number().int().min(0).max(10).default(2),
  /** Executor failures the driver tolerates before failing the application (`spark.executor.maxNumFailures`). */
  maxExecutorFailures: z.number().int().min(1).max(1000).default(10),
});

export type BatchJob = z.output<typeof BatchJobSchema>;
export type SparkApplicationIntent = z.output<typeof SparkApplicationSchema>;

type Issue = (path: (string | number)[], message: string) => void;
interface BatchFields {
  readonly kind: string;
  readonly job?: BatchJob;
  readonly spark?: SparkApplicationIntent;
  readonly ports: readonly unknown[];
  readonly scaling: { readonly max?: number };
}

/** The rules of the batch kinds that span fields; `issue` reports at a path of the app. */
export function checkBatchApp(app: BatchFields, issue: Issue): void {
  if (app.kind === "batch-job") {
    if (!app.job) {
      issue(["job"], "a batch-job needs `job: { activeDeadlineSeconds: 3600 }` (or `job: { schedule: { cron: \"0 3 * * *\" } }`)");
    } else {
      const { job } = app;
      if (!job.schedule && job.ttlSecondsAfterFinished !== undefined) {
        issue(["job", "ttlSecondsAfterFinished"], "a release-started Job lives in Git: Argo CD would re-create (and re-run) it once the TTL deleted it; remove `ttlSecondsAfterFinished` (the next release replaces the Job) or add `job.schedule`");
      }
      if (!job.schedule && job.activeDeadlineSeconds === undefined) {
        issue(["job", "activeDeadlineSeconds"], "a release-started Job needs a deadline: `job: { activeDeadlineSeconds: 3600 }` bounds a stuck run");
      }
      if (job.parallelism > job.completions) {
        issue(["job", "parallelism"], `parallelism (${job.parallelism}) is more than completions (${job.completions}): the extra pods would never start; lower it or raise completions`);
      }
    }
  } else if (app.job) {
    issue(["job"], `only a batch-job has \`job\`; this app is a ${app.kind}`);
  }
  if (app.kind === "spark-application") {
    if (!app.spark) {
      issue(["spark"], "a spark-application needs `spark: { type, sparkVersion, mainApplicationFile }`");
    } else {
      const { spark } = app;
      if ((spark.type === "Scala" || spark.type === "Java") && !spark.mainClass) {
        issue(["spark", "mainClass"], `a ${spark.type} application needs \`mainClass\``);
      }
      const dyn = spark.dynamicAllocation;
      if (dyn && dyn.maxExecutors < dyn.minExecutors) {
        issue(["spark", "dynamicAllocation", "maxExecutors"], `maxExecutors (${dyn.maxExecutors}) must be at least minExecutors (${dyn.minExecutors})`);
      }
      for (const key of Object.keys(spark.sparkConf)) {
        if (/access\.key|secret\.key|session\.token/i.test(key)) {
          issue(["spark", "sparkConf", key], "S3 is reached with the app's IAM role (`aws:`), never with keys in sparkConf; remove it");
        }
      }
    }
  } else if (app.spark) {
    issue(["spark"], `only a spark-application has \`spark\`; this app is a ${app.kind}`);
  }
  if ((app.kind === "batch-job" || app.kind === "spark-application") && app.scaling.max !== undefined) {
    issue(["scaling", "max"], `a ${app.kind} does not autoscale; remove \`scaling.max\``);
  }
}

/** Kinds that run to completion: no replicas, no HPA, no PDB, no ingress. */
export const RUN_TO_COMPLETION_KINDS: readonly string[] = ["cron-job", "batch-job", "spark-application"];
