/**
 * The Job of a batch-job app: started by its release (a Job named after the release and its
 * template, so each release, and each change of the template, is a new Job) or by a schedule
 * (a CronJob). Retries on spot interruption do not count against the backoff limit.
 */
import { createHash } from "node:crypto";
import { DO_NOT_DISRUPT_ANNOTATION, type BatchJob } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { appLabels, metadata, type AppInstanceContext } from "./context";
import { addScheduledJobs } from "./cron-job";
import { batchPlacement } from "./placement";
import { podTemplate } from "./pod-spec";

/** A finished scheduled Job stays a day for its logs; the CronJob's history limits keep the recent ones. */
const SCHEDULED_TTL_SECONDS = 86400;

/**
 * Job name of a release-started Job: the app's name and a hash of the release and the Job's
 * spec. A Job's pod template is immutable, so an in-place update would fail; a new name makes
 * Argo CD create the new Job and prune the old one. The hash is of content only: deterministic.
 */
export function releaseJobName(app: string, content: unknown): string {
  const hash = createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 10);
  return `${app.slice(0, 52)}-${hash}`;
}

/**
 * Pods lost to a node disruption (spot interruption, consolidation, drain: the kubelet or
 * eviction API sets the `DisruptionTarget` condition) are retried without counting as failures;
 * listed exit codes fail the Job at once. Requires `restartPolicy: Never` (set below). Pod
 * failure policy and the DisruptionTarget condition are beta and on by default from Kubernetes
 * 1.26 and GA in 1.31, so they work on every version the fleet supports (1.28-1.35).
 */
export function podFailurePolicy(ctx: AppInstanceContext, job: BatchJob): k8s.PodFailurePolicy {
  return {
    rules: [
      // `onPodConditions` is required (possibly empty) in the 1.28 API's schema.
      ...(job.failOnExitCodes?.length
        ? [{ action: "FailJob", onExitCodes: { containerName: ctx.app.name, operator: "In", values: [...job.failOnExitCodes].sort((a, b) => a - b) }, onPodConditions: [] }]
        : []),
      { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
    ],
  };
}

function mergedSelector(app: Record<string, string> | undefined, batch: Record<string, string> | undefined): Record<string, string> | undefined {
  return app || batch ? { ...app, ...batch } : undefined;
}

function jobSpec(ctx: AppInstanceContext, job: BatchJob, ttl: number | undefined): k8s.JobSpec {
  const template = podTemplate(ctx, appLabels(ctx), { restartPolicy: "Never", withProbes: false, spread: false });
  const placement = batchPlacement(ctx, job.spot ? "spot" : "on-demand");
  const doNotDisrupt = job.doNotDisrupt ?? ctx.cluster.profile === "static";
  return {
    completions: job.completions,
    parallelism: job.parallelism,
    completionMode: job.completionMode,
    backoffLimit: job.backoffLimit,
    activeDeadlineSeconds: job.activeDeadlineSeconds,
    ttlSecondsAfterFinished: ttl,
    podFailurePolicy: podFailurePolicy(ctx, job),
    template: {
      metadata: {
        ...template.metadata,
        annotations: doNotDisrupt ? { ...template.metadata?.annotations, [DO_NOT_DISRUPT_ANNOTATION]: "true" } : template.metadata?.annotations,
      },
      // The batch pool's capacity and taints replace the app's; its architecture pin stays.
      spec: { ...template.spec!, ...placement, nodeSelector: mergedSelector(template.spec!.nodeSelector, placement.nodeSelector) },
    },
  };
}

export function addBatchJob(scope: Construct, ctx: AppInstanceContext): void {
  const job = ctx.app.job!;
  const schedule = job.schedule;
  if (schedule) {
    addScheduledJobs(scope, ctx, schedule, jobSpec(ctx, job, job.ttlSecondsAfterFinished ?? SCHEDULED_TTL_SECONDS));
    return;
  }
  // No TTL: the Job is in Git and Argo CD self-heals, so a deleted Job would be created (and run) again.
  const spec = jobSpec(ctx, job, undefined);
  new k8s.KubeJob(scope, "job", {
    metadata: metadata(ctx, releaseJobName(ctx.app.name, { release: ctx.release.digest, spec })),
    spec,
  });
}
