/** The CronJob of a scheduled app. */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { appLabels, metadata, type AppInstanceContext } from "./context";
import { podTemplate } from "./pod-spec";

export function addCronJob(scope: Construct, ctx: AppInstanceContext): void {
  const schedule = ctx.app.schedule!;
  new k8s.KubeCronJob(scope, "cron-job", {
    metadata: metadata(ctx, ctx.app.name),
    spec: {
      schedule: schedule.cron,
      timeZone: schedule.timeZone,
      concurrencyPolicy: schedule.concurrencyPolicy,
      successfulJobsHistoryLimit: schedule.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: schedule.failedJobsHistoryLimit,
      startingDeadlineSeconds: schedule.startingDeadlineSeconds,
      jobTemplate: {
        metadata: { labels: appLabels(ctx) },
        spec: {
          backoffLimit: schedule.backoffLimit,
          activeDeadlineSeconds: schedule.activeDeadlineSeconds,
          // Finished Jobs are cleaned up after a day; the history limits keep the recent ones visible.
          ttlSecondsAfterFinished: 86400,
          template: podTemplate(ctx, appLabels(ctx), { restartPolicy: "Never", withProbes: false, spread: false }),
        },
      },
    },
  });
}
