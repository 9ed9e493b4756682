/** PrometheusRule for the app's SLO: fast availability-budget burn and a plain error-rate alert. */
import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import { metadata, type AppInstanceContext } from "./context";

/** Burn rate that spends 2% of a 30-day error budget in one hour (the usual fast-burn page). */
const FAST_BURN_RATE = 14.4;

export function addAlerts(scope: Construct, ctx: AppInstanceContext): void {
  const alerts = ctx.app.alerts;
  if (!alerts || (alerts.availability === undefined && alerts.errorRateAbove === undefined && ctx.app.kind === "web-service")) return;
  const selector = `namespace="${ctx.namespace}", service="${ctx.app.name}"`;
  const errorRatio = (window: string) =>
    `sum(rate(http_requests_total{${selector}, code=~"5.."}[${window}])) / sum(rate(http_requests_total{${selector}}[${window}]))`;
  const labels = { severity: alerts.severity, tenant: ctx.tenant.name, environment: ctx.environment.name };
  const annotations = (summary: string) => ({ summary, ...(alerts.runbook ? { runbook_url: alerts.runbook } : {}) });
  const rules: Record<string, unknown>[] = [];
  const title = `${ctx.app.name} (${ctx.environment.name})`;

  if (alerts.availability !== undefined) {
    const budget = Number((1 - alerts.availability / 100).toFixed(6));
    rules.push({
      alert: "SlipwayAvailabilityBudgetBurn",
      expr: `(${errorRatio("1h")}) > ${FAST_BURN_RATE} * ${budget} and (${errorRatio("5m")}) > ${FAST_BURN_RATE} * ${budget}`,
      for: "2m",
      labels,
      annotations: annotations(`${title} is burning its ${alerts.availability}% availability budget fast`),
    });
  }
  if (alerts.errorRateAbove !== undefined) {
    rules.push({
      alert: "SlipwayHighErrorRate",
      expr: `(${errorRatio("10m")}) > ${alerts.errorRateAbove}`,
      for: "10m",
      labels,
      annotations: annotations(`${title} answers more than ${alerts.errorRateAbove * 100}% of requests with 5xx`),
    });
  }
  if (ctx.app.kind === "cron-job") {
    rules.push({
      alert: "SlipwayCronJobFailed",
      expr: `max(kube_job_status_failed{namespace="${ctx.namespace}", job_name=~"${ctx.app.name}-.*"}) > 0`,
      for: "1m",
      labels,
      annotations: annotations(`a run of ${title} failed`),
    });
  } else {
    rules.push({
      alert: "SlipwayReplicasUnavailable",
      expr: ctx.app.kind === "stateful-service"
        ? `kube_statefulset_replicas{namespace="${ctx.namespace}", statefulset="${ctx.app.name}"} - kube_statefulset_status_replicas_ready{namespace="${ctx.namespace}", statefulset="${ctx.app.name}"} > 0`
        : `kube_deployment_status_replicas_unavailable{namespace="${ctx.namespace}", deployment="${ctx.app.name}"} > 0`,
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
