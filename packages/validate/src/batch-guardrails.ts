/**
 * Guardrails for data and batch work: Jobs clean up after themselves, work on spot capacity
 * survives interruptions, and S3 is reached with an IAM role, never with access keys.
 * Applies to any YAML (Jobs, CronJobs, SparkApplications of the Kubeflow spark-operator, every
 * pod template), not only Slipway's own output.
 */
import { CAPACITY_TYPE_LABEL, INTERRUPTIBLE_TAINT } from "@slipway/core";
import { asArr, asObj, containersOf, str, type Obj, type PodTemplate } from "./objects";
import type { PathSeg } from "./path";
import type { Sink } from "./semantic";

/** Environment variables that carry static AWS credentials. */
const AWS_KEY_ENV = new Set(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]);
/** S3A properties with static credentials, globally or per bucket (`fs.s3a.bucket.<b>.access.key`). */
const S3A_KEY = /(^|\.)fs\.s3a\.(bucket\.[^.]+\.)?(access\.key|secret\.key|session\.token)$/;

/** A pod placed on spot capacity: it selects `karpenter.sh/capacity-type: spot` or tolerates the spot pools' taint. */
export function onSpot(pod: Obj): boolean {
  if (str(asObj(pod.nodeSelector)[CAPACITY_TYPE_LABEL]) === "spot") return true;
  const terms = asArr(asObj(asObj(asObj(pod.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms);
  const requiresSpot = terms.some((term) => asArr(asObj(term).matchExpressions).some((e) => {
    const x = asObj(e);
    return x.key === CAPACITY_TYPE_LABEL && x.operator === "In" && asArr(x.values).length === 1 && asArr(x.values)[0] === "spot";
  }));
  return requiresSpot || asArr(pod.tolerations).some((t) => asObj(t).key === INTERRUPTIBLE_TAINT);
}

function jobSpecOf(o: Obj): { spec: Obj; path: PathSeg[] } | undefined {
  if (o.kind === "Job") return { spec: asObj(o.spec), path: ["spec"] };
  if (o.kind === "CronJob") return { spec: asObj(asObj(asObj(o.spec).jobTemplate).spec), path: ["spec", "jobTemplate", "spec"] };
  return undefined;
}

function checkJob(o: Obj, t: PodTemplate | undefined, sink: Sink): void {
  const job = jobSpecOf(o);
  if (!job) return;
  const { spec, path } = job;
  if (spec.activeDeadlineSeconds === undefined && spec.ttlSecondsAfterFinished === undefined) {
    sink.add("SW-GR-JOB-CLEANUP", path, `${o.kind} without activeDeadlineSeconds or ttlSecondsAfterFinished: a stuck run holds its nodes forever and finished Jobs pile up`);
  }
  if (t && onSpot(t.spec)) {
    const retries = typeof spec.backoffLimit === "number" && spec.backoffLimit > 0;
    const tolerant = asArr(asObj(spec.podFailurePolicy).rules).some((r) => asArr(asObj(r).onPodConditions).some((c) => asObj(c).type === "DisruptionTarget"));
    if (!retries && !tolerant) {
      sink.add("SW-GR-SPOT-RETRY", [...path, "podFailurePolicy"], `${o.kind} runs on spot capacity without a retry: set backoffLimit ≥ 1, or a podFailurePolicy rule on the DisruptionTarget condition (action Ignore), so an interruption does not fail the run`);
    }
  }
}

function checkEnv(env: unknown, path: PathSeg[], sink: Sink): void {
  asArr(env).forEach((e, i) => {
    const name = str(asObj(e).name);
    if (name !== undefined && AWS_KEY_ENV.has(name)) {
      sink.add("SW-GR-S3-ACCESS-KEY", [...path, i, "name"], `env ${name} hands the pod a static AWS key; S3 (and every AWS API) is reached with the ServiceAccount's IAM role (IRSA or Pod Identity)`);
    }
  });
}

function checkConf(conf: unknown, path: PathSeg[], sink: Sink): void {
  for (const key of Object.keys(asObj(conf))) {
    if (S3A_KEY.test(key)) sink.add("SW-GR-S3-ACCESS-KEY", [...path, key], `${key} puts an S3 key in the application's configuration; reach S3 with the ServiceAccount's IAM role (fs.s3a.aws.credentials.provider)`);
  }
}

function checkSparkApplication(o: Obj, sink: Sink): void {
  const spec = asObj(o.spec);
  checkConf(spec.sparkConf, ["spec", "sparkConf"], sink);
  checkConf(spec.hadoopConf, ["spec", "hadoopConf"], sink);
  for (const role of ["driver", "executor"] as const) {
    const r = asObj(spec[role]);
    checkEnv(r.env, ["spec", role, "env"], sink);
    for (const key of Object.keys(asObj(r.envVars))) {
      if (AWS_KEY_ENV.has(key)) sink.add("SW-GR-S3-ACCESS-KEY", ["spec", role, "envVars", key], `${key} hands the ${role} a static AWS key; use the ServiceAccount's IAM role`);
    }
    for (const key of Object.keys(asObj(r.envSecretKeyRefs))) {
      if (AWS_KEY_ENV.has(key)) sink.add("SW-GR-S3-ACCESS-KEY", ["spec", role, "envSecretKeyRefs", key], `${key} hands the ${role} a static AWS key (from a Secret); use the ServiceAccount's IAM role`);
    }
  }
  const executor = asObj(spec.executor);
  if (onSpot(executor)) {
    const restart = asObj(spec.restartPolicy);
    const resubmits = (restart.type === "OnFailure" || restart.type === "Always") && typeof restart.onFailureRetries === "number" && restart.onFailureRetries > 0;
    const failures = Number(asObj(spec.sparkConf)["spark.executor.maxNumFailures"]);
    if (!resubmits && !(failures > 0)) {
      sink.add("SW-GR-SPOT-RETRY", ["spec", "restartPolicy"], "executors on spot capacity without a retry: set spark.executor.maxNumFailures (lost executors the driver replaces) or restartPolicy OnFailure with onFailureRetries ≥ 1");
    }
  }
}

export function checkBatchGuardrails(o: Obj, t: PodTemplate | undefined, sink: Sink): void {
  checkJob(o, t, sink);
  if (o.kind === "SparkApplication" && typeof o.apiVersion === "string" && o.apiVersion.startsWith("sparkoperator.k8s.io/")) checkSparkApplication(o, sink);
  if (t) for (const { c, path } of containersOf(t)) checkEnv(c.env, [...path, "env"], sink);
}
