import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { KubeObject } from "@slipway/core";
import { synthesizeApp } from "./synthesize";
import type { AppInstanceContext } from "./context";
import { testContext } from "./test-context";

const yamlOf = (objects: KubeObject[]) => objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
// Test lookups navigate deep into synthesized objects; typing every level would only restate the API.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const find = (objects: KubeObject[], kind: string) => objects.find((o) => o.kind === kind) as Loose | undefined;

/** The same context on a cluster running Karpenter, with the given profile. */
function onKarpenter(ctx: AppInstanceContext, profile: "dynamic" | "static" = "dynamic"): AppInstanceContext {
  return { ...ctx, cluster: { ...ctx.cluster, profile, addons: { ...ctx.cluster.addons, karpenter: true } } };
}

const backfill = onKarpenter(testContext({
  name: "backfill",
  kind: "batch-job",
  command: ["/app/backfill"],
  resources: { cpu: "1", memory: "2Gi" },
  aws: { identity: "irsa", roleArn: "arn:aws:iam::111122223333:role/shop-backfill" },
  access: { outbound: [{ aws: "s3" }] },
  job: { completions: 8, parallelism: 4, completionMode: "Indexed", backoffLimit: 4, activeDeadlineSeconds: 7200, spot: true, failOnExitCodes: [3, 2] },
  alerts: { severity: "ticket" },
}));

const compaction = onKarpenter(testContext({
  name: "compaction",
  kind: "batch-job",
  command: ["/app/compact"],
  job: { schedule: { cron: "15 1 * * *" }, activeDeadlineSeconds: 3600 },
}), "static");

const sessionize = onKarpenter(testContext({
  name: "sessionize",
  kind: "spark-application",
  env: { LOG_LEVEL: "info" },
  aws: { identity: "irsa", roleArn: "arn:aws:iam::111122223333:role/shop-sessionize" },
  access: { outbound: [{ aws: "s3" }] },
  spark: {
    type: "Scala",
    sparkVersion: "3.5.6",
    mainClass: "com.acme.Sessionize",
    mainApplicationFile: "local:///opt/spark/jars/sessionize.jar",
    arguments: ["--day=yesterday"],
    executor: { cores: 4, memory: "6g", memoryOverhead: "1g", instances: 3 },
    dynamicAllocation: { minExecutors: 1, maxExecutors: 10 },
    s3: { read: ["s3a://acme-lake/events/"], write: ["s3a://acme-lake/sessions/"] },
    eventLogDir: "s3a://acme-lake/spark-events/",
    sparkConf: { "spark.sql.shuffle.partitions": "200" },
  },
  alerts: { severity: "ticket" },
}));

describe("batch and Spark output", () => {
  it("GIVEN an indexed batch job on spot WHEN synthesized THEN it matches the golden file", async () => {
    await expect(yamlOf(synthesizeApp(backfill))).toMatchFileSnapshot("__golden__/batch-job.yaml");
  });
  it("GIVEN a scheduled batch job on a static cluster WHEN synthesized THEN it matches the golden file", async () => {
    await expect(yamlOf(synthesizeApp(compaction))).toMatchFileSnapshot("__golden__/batch-job-scheduled.yaml");
  });
  it("GIVEN a Spark application WHEN synthesized THEN it matches the golden file", async () => {
    await expect(yamlOf(synthesizeApp(sessionize))).toMatchFileSnapshot("__golden__/spark-application.yaml");
  });
});

describe("batch-job", () => {
  it("GIVEN spot WHEN synthesized THEN disruptions are retried without counting, listed exit codes fail the Job, restartPolicy is Never", () => {
    const spec = find(synthesizeApp(backfill), "Job")!.spec;
    expect(spec.podFailurePolicy.rules).toEqual([
      { action: "FailJob", onExitCodes: { containerName: "backfill", operator: "In", values: [2, 3] }, onPodConditions: [] },
      { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
    ]);
    expect(spec.template.spec.restartPolicy).toBe("Never");
    expect(spec.template.spec.nodeSelector).toEqual({ "karpenter.sh/capacity-type": "spot", "kubernetes.io/arch": "amd64" });
    expect(spec.template.spec.tolerations.map((t: Loose) => t.key)).toEqual(["slipway.dev/batch", "slipway.dev/interruptible"]);
    expect(spec).toMatchObject({ completions: 8, parallelism: 4, completionMode: "Indexed", backoffLimit: 4, activeDeadlineSeconds: 7200 });
    expect(spec).not.toHaveProperty("ttlSecondsAfterFinished");
  });

  it("GIVEN a new release WHEN synthesized THEN the Job has a new name (a Job's template is immutable); the same release keeps its name", () => {
    const name = (ctx: AppInstanceContext) => find(synthesizeApp(ctx), "Job")!.metadata.name as string;
    const next = { ...backfill, release: { ...backfill.release, tag: "1.2.4", digest: `sha256:${"cd".repeat(32)}` } };
    expect(name(backfill)).toMatch(/^backfill-[0-9a-f]{10}$/);
    expect(name(backfill)).toBe(name(backfill));
    expect(name(next)).not.toBe(name(backfill));
  });

  it("GIVEN a schedule WHEN synthesized THEN it is a CronJob whose Jobs are cleaned up, and on a static cluster its pods are not disrupted", () => {
    const cron = find(synthesizeApp(compaction), "CronJob")!;
    expect(cron.metadata.name).toBe("compaction");
    expect(cron.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBe(86400);
    expect(cron.spec.jobTemplate.spec.template.metadata.annotations).toEqual({ "karpenter.sh/do-not-disrupt": "true" });
    expect(cron.spec.jobTemplate.spec.template.spec.nodeSelector).toEqual({ "karpenter.sh/capacity-type": "on-demand", "kubernetes.io/arch": "amd64" });
  });

  it("GIVEN a cluster without Karpenter WHEN synthesized THEN the pods get no capacity selector (they must still schedule)", () => {
    const spec = find(synthesizeApp({ ...backfill, cluster: { ...backfill.cluster, addons: {} } }), "Job")!.spec.template.spec;
    expect(spec.nodeSelector).toEqual({ "kubernetes.io/arch": "amd64" });
    expect(spec.tolerations).toBeUndefined();
  });
});

describe("alerts of run-to-completion kinds", () => {
  const alert = (ctx: AppInstanceContext) => find(synthesizeApp(ctx), "PrometheusRule")!.spec.groups[0].rules.map((r: Loose) => [r.alert, r.expr]);
  it("GIVEN a batch job WHEN it alerts THEN on a failed Job of the app, not on Deployment replicas", () => {
    expect(alert(backfill)).toEqual([["SlipwayJobFailed", 'max(kube_job_status_failed{job="kube-state-metrics", namespace="shop-prod", job_name=~"backfill-.*"}) > 0']]);
  });
  it("GIVEN a Spark application WHEN it alerts THEN on a failed driver pod", () => {
    expect(alert(sessionize)).toEqual([["SlipwaySparkDriverFailed", 'max(kube_pod_status_phase{job="kube-state-metrics", namespace="shop-prod", pod=~"sessionize-.*-driver", phase="Failed"}) > 0']]);
  });
});

describe("spark-application", () => {
  const objects = synthesizeApp(sessionize);
  const app = find(objects, "SparkApplication")!;

  it("GIVEN spot executors WHEN synthesized THEN the driver is on on-demand and the executors on spot, tolerating the pools' taints", () => {
    expect(app.spec.driver.nodeSelector).toEqual({ "karpenter.sh/capacity-type": "on-demand" });
    expect(app.spec.executor.nodeSelector).toEqual({ "karpenter.sh/capacity-type": "spot" });
    expect(app.spec.executor.tolerations.map((t: Loose) => t.key)).toEqual(["slipway.dev/batch", "slipway.dev/interruptible"]);
    expect(app.spec.driver.tolerations.map((t: Loose) => t.key)).toEqual(["slipway.dev/batch"]);
  });

  it("GIVEN IRSA WHEN synthesized THEN S3A uses the web identity token of the app's ServiceAccount, and no key is anywhere", () => {
    expect(app.spec.sparkConf["spark.hadoop.fs.s3a.aws.credentials.provider"]).toBe("com.amazonaws.auth.WebIdentityTokenCredentialsProvider");
    expect(app.spec.driver.serviceAccount).toBe("sessionize");
    expect(find(objects, "ServiceAccount")!.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::111122223333:role/shop-sessionize");
    expect(JSON.stringify(app)).not.toMatch(/access\.key|AWS_ACCESS_KEY_ID/);
  });

  it("GIVEN local shuffle WHEN synthesized THEN spark.local.dir is an emptyDir named spark-local-dir-1 (NVMe on the batch pool)", () => {
    expect(app.spec.sparkConf["spark.local.dir"]).toBe("/data/spark-local");
    expect(app.spec.volumes).toContainEqual({ name: "spark-local-dir-1", emptyDir: { sizeLimit: "100Gi" } });
    expect(app.spec.executor.volumeMounts).toContainEqual({ name: "spark-local-dir-1", mountPath: "/data/spark-local" });
  });

  it("every Spark pod runs restricted, from the operator's fields and from the pod template; only the driver mounts an API token", () => {
    for (const side of ["driver", "executor"] as const) {
      expect(app.spec[side].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
      expect(app.spec[side].template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } });
      expect(app.spec[side].template.spec.containers[0].securityContext).toEqual(app.spec[side].securityContext);
    }
    expect(app.spec.driver.template.spec.automountServiceAccountToken).toBe(true);
    expect(app.spec.executor.template.spec.automountServiceAccountToken).toBe(false);
  });

  it("GIVEN a Spark application WHEN synthesized THEN its driver may manage pods in its own namespace only, and reach the API server", () => {
    expect(find(objects, "Role")!.metadata.namespace).toBe("shop-prod");
    expect(find(objects, "RoleBinding")!.subjects).toEqual([{ kind: "ServiceAccount", name: "sessionize", namespace: "shop-prod" }]);
    const api = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "sessionize-spark-driver") as Loose;
    expect(api.spec.podSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "sessionize", "spark-role": "driver" });
    expect(api.spec.egress[0].to).toEqual([{ ipBlock: { cidr: "10.30.0.0/16" } }]);
  });

  it("GIVEN retries and maxExecutorFailures WHEN synthesized THEN failed applications are resubmitted and lost executors replaced", () => {
    expect(app.spec.restartPolicy).toMatchObject({ type: "OnFailure", onFailureRetries: 2 });
    expect(app.spec.sparkConf["spark.executor.maxNumFailures"]).toBe("10");
    expect(app.spec.sparkConf["spark.decommission.enabled"]).toBe("true");
    expect(app.spec).not.toHaveProperty("timeToLiveSeconds");
  });
});
