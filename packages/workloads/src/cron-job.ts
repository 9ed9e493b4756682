/** The CronJob of a scheduled app, and of a scheduled batch job. */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { appLabels, metadata, type AppInstanceContext } from "./context";
import { podTemplate } from "./pod-spec";

/** The schedule fields a CronJob takes, as `schedule` (cron-job) and `job.schedule` (batch-job) spell them. */
export interface CronSchedule {
  readonly cron: string;
  readonly timeZone?: string;
  readonly concurrencyPolicy?: string;
  readonly successfulJobsHistoryLimit?: number;
  readonly failedJobsHistoryLimit?: number;
  readonly startingDeadlineSeconds?: number;
}

/** A CronJob named after the app, starting Jobs of `jobSpec` on `schedule`. */
export function addScheduledJobs(scope: Construct, ctx: AppInstanceContext, schedule: CronSchedule, jobSpec: k8s.JobSpec): void {
  new k8s.KubeCronJob(scope, "cron-job", {
    metadata: metadata(ctx, ctx.app.name),
    spec: {
      schedule: schedule.cron,
      timeZone: schedule.timeZone,
      concurrencyPolicy: schedule.concurrencyPolicy,
      successfulJobsHistoryLimit: schedule.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: schedule.failedJobsHistoryLimit,
      startingDeadlineSeconds: schedule.startingDeadlineSeconds,
      jobTemplate: { metadata: { labels: appLabels(ctx) }, spec: jobSpec },
    },
  });
}

export function addCronJob(scope: Construct, ctx: AppInstanceContext): void {
  const schedule = ctx.app.schedule!;
  addScheduledJobs(scope, ctx, schedule, {
    backoffLimit: schedule.backoffLimit,
    activeDeadlineSeconds: schedule.activeDeadlineSeconds,
    // Finished Jobs are cleaned up after a day; the history limits keep the recent ones visible.
    ttlSecondsAfterFinished: 86400,
    template: podTemplate(ctx, appLabels(ctx), { restartPolicy: "Never", withProbes: false, spread: false }),
  });
}
