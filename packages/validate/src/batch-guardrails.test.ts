import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { GuardrailPolicy } from "./types";
import { validateManifests } from "./validate";

const policy: GuardrailPolicy = { guardrails: "strict", minReplicas: 1, requirePdb: false, requireDigest: false, trustedRegistries: [] };
const meta = (name: string) => ({ name, namespace: "data-dev", labels: { "slipway.dev/tenant": "data" } });
const container = (env: unknown[] = []) => ({
  name: "job", image: "registry.example.com/data/job:1.0.0",
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
  ...(env.length ? { env } : {}),
});
const pod = (extra: Record<string, unknown> = {}, env: unknown[] = []) => ({
  restartPolicy: "Never", securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } }, containers: [container(env)], ...extra,
});
const job = (spec: Record<string, unknown>, podExtra: Record<string, unknown> = {}, env: unknown[] = []) => ({
  apiVersion: "batch/v1", kind: "Job", metadata: meta("job"), spec: { ...spec, template: { spec: pod(podExtra, env) } },
});
const spot = { nodeSelector: { "karpenter.sh/capacity-type": "spot" } };
const sparkApp = (spec: Record<string, unknown>) => ({
  apiVersion: "sparkoperator.k8s.io/v1beta2", kind: "SparkApplication", metadata: meta("sessionize"),
  spec: { type: "Scala", sparkVersion: "3.5.6", mainClass: "com.acme.Main", mainApplicationFile: "local:///opt/app.jar", mode: "cluster", driver: { cores: 1, memory: "2g" }, ...spec, executor: { cores: 2, memory: "4g", ...(spec.executor as object) } },
});

/** The guardrail findings (`rule path`) of one object. */
function findings(object: unknown): string[] {
  const report = validateManifests([{ file: "x.yaml", text: stringify(object) }], { policy, kubernetesVersion: "1.33" });
  return report.findings.filter((f) => f.rule.startsWith("SW-GR-")).map((f) => `${f.rule} ${f.path}`);
}

describe("SW-GR-JOB-CLEANUP", () => {
  it("GIVEN a Job with neither a deadline nor a TTL THEN it is flagged; either one passes", () => {
    expect(findings(job({ backoffLimit: 2 }))).toEqual(["SW-GR-JOB-CLEANUP spec"]);
    expect(findings(job({ backoffLimit: 2, activeDeadlineSeconds: 600 }))).toEqual([]);
    expect(findings(job({ backoffLimit: 2, ttlSecondsAfterFinished: 600 }))).toEqual([]);
  });
  it("GIVEN a CronJob whose job template has neither THEN it is flagged at the job template", () => {
    const cron = { apiVersion: "batch/v1", kind: "CronJob", metadata: meta("cron"), spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: pod() } } } } };
    expect(findings(cron)).toEqual(["SW-GR-JOB-CLEANUP spec.jobTemplate.spec"]);
  });
});

describe("SW-GR-SPOT-RETRY", () => {
  it("GIVEN a Job on spot with backoffLimit 0 and no pod failure policy THEN it is flagged", () => {
    expect(findings(job({ activeDeadlineSeconds: 600, backoffLimit: 0 }, spot))).toEqual(["SW-GR-SPOT-RETRY spec.podFailurePolicy"]);
  });
  it("GIVEN the same Job tolerating the spot pools' taint instead of selecting spot THEN it is flagged too", () => {
    const tolerates = { tolerations: [{ key: "slipway.dev/interruptible", operator: "Exists", effect: "NoSchedule" }] };
    expect(findings(job({ activeDeadlineSeconds: 600, backoffLimit: 0 }, tolerates))).toEqual(["SW-GR-SPOT-RETRY spec.podFailurePolicy"]);
  });
  it("GIVEN a retry, or a DisruptionTarget rule, or on-demand capacity THEN it passes", () => {
    expect(findings(job({ activeDeadlineSeconds: 600, backoffLimit: 1 }, spot))).toEqual([]);
    const ignore = { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] };
    expect(findings(job({ activeDeadlineSeconds: 600, backoffLimit: 0, podFailurePolicy: ignore }, spot))).toEqual([]);
    expect(findings(job({ activeDeadlineSeconds: 600, backoffLimit: 0 }, { nodeSelector: { "karpenter.sh/capacity-type": "on-demand" } }))).toEqual([]);
  });
  it("GIVEN Spark executors on spot without maxNumFailures or restart retries THEN it is flagged; either one passes", () => {
    const executor = { nodeSelector: { "karpenter.sh/capacity-type": "spot" } };
    expect(findings(sparkApp({ executor, restartPolicy: { type: "Never" } }))).toEqual(["SW-GR-SPOT-RETRY spec.restartPolicy"]);
    expect(findings(sparkApp({ executor, restartPolicy: { type: "Never" }, sparkConf: { "spark.executor.maxNumFailures": "8" } }))).toEqual([]);
    expect(findings(sparkApp({ executor, restartPolicy: { type: "OnFailure", onFailureRetries: 2, onSubmissionFailureRetries: 1 } }))).toEqual([]);
  });
});

describe("SW-GR-S3-ACCESS-KEY", () => {
  it("GIVEN AWS key variables in a container, literal or from a Secret THEN each is flagged", () => {
    const env = [
      { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "aws", key: "id" } } },
      { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "aws", key: "secret" } } },
      { name: "AWS_REGION", value: "us-east-1" },
    ];
    expect(findings(job({ activeDeadlineSeconds: 600 }, {}, env))).toEqual([
      "SW-GR-S3-ACCESS-KEY spec.template.spec.containers[0].env[0].name",
      "SW-GR-S3-ACCESS-KEY spec.template.spec.containers[0].env[1].name",
    ]);
  });
  it("GIVEN S3A keys in sparkConf or hadoopConf, or AWS keys in the driver's env THEN each is flagged", () => {
    const app = sparkApp({
      restartPolicy: { type: "Never" },
      sparkConf: { "spark.hadoop.fs.s3a.access.key": "x", "spark.hadoop.fs.s3a.bucket.lake.secret.key": "y", "spark.sql.shuffle.partitions": "200" },
      hadoopConf: { "fs.s3a.session.token": "z" },
      driver: { cores: 1, memory: "2g", env: [{ name: "AWS_SECRET_ACCESS_KEY", value: "k" }], envSecretKeyRefs: { AWS_ACCESS_KEY_ID: { name: "aws", key: "id" } } },
    });
    expect(findings(app).sort()).toEqual([
      "SW-GR-S3-ACCESS-KEY spec.driver.envSecretKeyRefs.AWS_ACCESS_KEY_ID",
      "SW-GR-S3-ACCESS-KEY spec.driver.env[0].name",
      "SW-GR-S3-ACCESS-KEY spec.hadoopConf[\"fs.s3a.session.token\"]",
      "SW-GR-S3-ACCESS-KEY spec.sparkConf[\"spark.hadoop.fs.s3a.access.key\"]",
      "SW-GR-S3-ACCESS-KEY spec.sparkConf[\"spark.hadoop.fs.s3a.bucket.lake.secret.key\"]",
    ]);
  });
  it("GIVEN the credentials provider set to the role THEN nothing is flagged", () => {
    expect(findings(sparkApp({ restartPolicy: { type: "Never" }, sparkConf: { "spark.hadoop.fs.s3a.aws.credentials.provider": "com.amazonaws.auth.WebIdentityTokenCredentialsProvider" } }))).toEqual([]);
  });
  it("GIVEN an exemption annotation with a reason THEN the finding is suppressed", () => {
    const exempt = job({ activeDeadlineSeconds: 600 }, {}, [{ name: "AWS_ACCESS_KEY_ID", value: "x" }]);
    (exempt.metadata as Record<string, unknown>).annotations = { "exempt.slipway.dev/SW-GR-S3-ACCESS-KEY": "MinIO in the test namespace, not AWS" };
    expect(findings(exempt).filter((f) => f.startsWith("SW-GR-S3"))).toEqual([]);
  });
});
