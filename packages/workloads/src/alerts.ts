/**
 * PrometheusRule for the app's SLO: fast availability-budget burn and a plain error-rate alert on
 * the request counter the app declares (`metrics.requestsTotal`), and an availability alert from
 * kube-state-metrics. Each alert carries severity, tenant, environment, namespace and app labels
 * and the runbook, so the tenant's AlertmanagerConfig routes it and the on-call knows what to do.
 */
import { appMetrics, type AppMetrics } from "@slipway/core";
import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import { metadata, type AppInstanceContext } from "./context";
import { monitored, scrapeJob } from "./metrics";

/** The kube-state-metrics job of the monitoring add-on (its Service's name): where `kube_*` series come from. */
export const KUBE_STATE_METRICS_JOB = "kube-state-metrics";

/** Burn rate that spends 2% of a 30-day error budget in one hour (the usual fast-burn page). */
const FAST_BURN_RATE = 14.4;

export function addAlerts(scope: Construct, ctx: AppInstanceContext): void {
  const alerts = ctx.app.alerts;
  // Rules need the monitoring add-on's CRD and a Prometheus to evaluate them.
  if (!monitored(ctx)) return;
  if (!alerts || (alerts.availability === undefined && alerts.errorRateAbove === undefined && ctx.app.kind === "web-service")) return;
  // The app's own series: its scrape job in its namespace (see metrics.ts). An app with SLO alerts
  // is always scraped (`appMetrics`), so these are only built on series something scrapes.
  const metrics = appMetrics(ctx.app);
  const selector = `namespace="${ctx.namespace}", job="${scrapeJob(ctx)}"`;
  const errorRatio = (m: AppMetrics, window: string) =>
    `sum(rate(${m.requestsTotal}{${selector}, ${m.statusLabel}=~"5.."}[${window}])) / sum(rate(${m.requestsTotal}{${selector}}[${window}]))`;
  // `namespace` routes the alert to the tenant's AlertmanagerConfig (its matcher is the namespace).
  const labels = { severity: alerts.severity, tenant: ctx.tenant.name, environment: ctx.environment.name, namespace: ctx.namespace, app: ctx.app.name };
  const annotations = (summary: string) => ({ summary, ...(alerts.runbook ? { runbook_url: alerts.runbook } : {}) });
  const rules: Record<string, unknown>[] = [];
  const title = `${ctx.app.name} (${ctx.environment.name})`;

  if (metrics && alerts.availability !== undefined) {
    const budget = Number((1 - alerts.availability / 100).toFixed(6));
    rules.push({
      alert: "SlipwayAvailabilityBudgetBurn",
      expr: `(${errorRatio(metrics, "1h")}) > ${FAST_BURN_RATE} * ${budget} and (${errorRatio(metrics, "5m")}) > ${FAST_BURN_RATE} * ${budget}`,
      for: "2m",
      labels,
      annotations: annotations(`${title} is burning its ${alerts.availability}% availability budget fast`),
    });
  }
  if (metrics && alerts.errorRateAbove !== undefined) {
    rules.push({
      alert: "SlipwayHighErrorRate",
      expr: `(${errorRatio(metrics, "10m")}) > ${alerts.errorRateAbove}`,
      for: "10m",
      labels,
      annotations: annotations(`${title} answers more than ${alerts.errorRateAbove * 100}% of requests with 5xx`),
    });
  }
  if (ctx.app.kind === "cron-job" || ctx.app.kind === "batch-job") {
    // Release Jobs are `<app>-<hash>`, a CronJob's `<app>-<schedule time>`: both match.
    rules.push({
      alert: ctx.app.kind === "cron-job" ? "SlipwayCronJobFailed" : "SlipwayJobFailed",
      expr: `max(kube_job_status_failed{job="${KUBE_STATE_METRICS_JOB}", namespace="${ctx.namespace}", job_name=~"${ctx.app.name}-.*"}) > 0`,
      for: "1m",
      labels,
      annotations: annotations(`a run of ${title} failed`),
    });
  } else if (ctx.app.kind === "spark-application") {
    // kube-state-metrics knows no SparkApplication; its driver pod (`<application>-driver`) fails with it.
    rules.push({
      alert: "SlipwaySparkDriverFailed",
      expr: `max(kube_pod_status_phase{job="${KUBE_STATE_METRICS_JOB}", namespace="${ctx.namespace}", pod=~"${ctx.app.name}-.*-driver", phase="Failed"}) > 0`,
      for: "1m",
      labels,
      annotations: annotations(`the Spark driver of ${title} failed`),
    });
  } else {
    rules.push({
      alert: "SlipwayReplicasUnavailable",
      expr: ctx.app.kind === "stateful-service"
        ? `kube_statefulset_replicas{job="${KUBE_STATE_METRICS_JOB}", namespace="${ctx.namespace}", statefulset="${ctx.app.name}"} - kube_statefulset_status_replicas_ready{job="${KUBE_STATE_METRICS_JOB}", namespace="${ctx.namespace}", statefulset="${ctx.app.name}"} > 0`
        : `kube_deployment_status_replicas_unavailable{job="${KUBE_STATE_METRICS_JOB}", namespace="${ctx.namespace}", deployment="${ctx.app.name}"} > 0`,
      for: "15m",
      labels,
      annotations: annotations(`${title} has had unavailable replicas for 15 minutes`),
    });
  }
  new ApiObject(scope, "alerts", {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: metadata(ctx, ctx.app.name),
    spec: { groups: [{ name: `${ctx.app.name}.slo`, rules }] },
  });
}
