/**
 * The app's scrape target: a ServiceMonitor for a web-service (its Service carries the metrics
 * port), a PodMonitor for a worker (no Service). Both set `jobLabel` to the app-name label, so the
 * series' `job` is the app's name either way, which is what the app's alerts select on.
 *
 * prometheus-operator v0.85.0 (the monitoring add-on's pin), compared with its CRDs
 * (example/prometheus-operator-crd): ServiceMonitor `spec.jobLabel` names a label of the Service,
 * PodMonitor `spec.jobLabel` a label of the pod; without one the job is the Service's name, or
 * `<namespace>/<PodMonitor name>`. The target's namespace becomes its `namespace` label.
 */
import { appMetrics, Labels, MONITORING_ADDON } from "@slipway/core";
import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import { metadata, selectorLabels, type AppInstanceContext } from "./context";

/** The cluster runs the monitoring add-on: its Prometheus scrapes monitors and evaluates rules. */
export function monitored(ctx: AppInstanceContext): boolean {
  return Object.hasOwn(ctx.cluster.addons, MONITORING_ADDON);
}

/** The `job` label of the app's series: the app's name (through `jobLabel`). */
export function scrapeJob(ctx: AppInstanceContext): string {
  return ctx.app.name;
}

export function addMetricsMonitor(scope: Construct, ctx: AppInstanceContext): void {
  const m = appMetrics(ctx.app);
  // Without the monitoring add-on the cluster has neither the CRD nor a Prometheus.
  if (!m || !monitored(ctx)) return;
  const endpoint = { port: m.port, path: m.path, interval: m.interval };
  const spec = { jobLabel: Labels.name, selector: { matchLabels: selectorLabels(ctx) } };
  if (ctx.app.kind === "web-service") {
    new ApiObject(scope, "service-monitor", {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: metadata(ctx, ctx.app.name),
      spec: { ...spec, endpoints: [endpoint] },
    });
  } else {
    new ApiObject(scope, "pod-monitor", {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: metadata(ctx, ctx.app.name),
      spec: { ...spec, podMetricsEndpoints: [endpoint] },
    });
  }
}
