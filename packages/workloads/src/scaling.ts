/** HPA (autoscaling/v2) when the app scales, PDB (policy/v1) where replicas or policy call for one. */
import type { ResolvedApp } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";

type ScalingMetric = ResolvedApp["scaling"]["metrics"][number];
import type { Construct } from "constructs";
import { metadata, selectorLabels, type AppInstanceContext } from "./context";

/** An HPA owns the replica count when the app may scale beyond its minimum. */
export function isAutoscaled(ctx: AppInstanceContext): boolean {
  const { min, max } = ctx.app.scaling;
  return max !== undefined && max > min;
}

export function addAutoscaler(scope: Construct, ctx: AppInstanceContext): void {
  if (!isAutoscaled(ctx)) return;
  const { min, max, cpuTargetPercent, memoryTargetPercent, scaleDownStabilizationSeconds } = ctx.app.scaling;
  new k8s.KubeHorizontalPodAutoscalerV2(scope, "hpa", {
    metadata: metadata(ctx, ctx.app.name),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: ctx.app.name },
      minReplicas: min,
      maxReplicas: max!,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: cpuTargetPercent } } },
        ...(memoryTargetPercent !== undefined ? [{ type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: memoryTargetPercent } } }] : []),
        ...ctx.app.scaling.metrics.map(metricSpec),
      ],
      behavior: {
        // Scale up quickly, scale down slowly: flapping costs more than a few idle pods.
        scaleDown: { stabilizationWindowSeconds: scaleDownStabilizationSeconds, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 100, periodSeconds: 30 }] },
      },
    },
  });
}

/**
 * A custom (`Pods`) or `External` metric of autoscaling/v2, as the prometheus-adapter add-on serves
 * it: per-pod series by the app's pods, external series in the app's namespace.
 */
function metricSpec(m: ScalingMetric): k8s.MetricSpecV2 {
  if (m.type === "pods") {
    return { type: "Pods", pods: { metric: { name: m.name }, target: { type: "AverageValue", averageValue: k8s.Quantity.fromString(m.averageValue) } } };
  }
  const selector = Object.keys(m.matchLabels).length ? { selector: { matchLabels: { ...m.matchLabels } } } : {};
  const target = m.value !== undefined ? { type: "Value", value: k8s.Quantity.fromString(m.value) } : { type: "AverageValue", averageValue: k8s.Quantity.fromString(m.averageValue!) };
  return { type: "External", external: { metric: { name: m.name, ...selector }, target } };
}

export function needsDisruptionBudget(ctx: AppInstanceContext): boolean {
  return ctx.app.scaling.min >= 2 || ctx.environment.policy.requirePdb;
}

export function addDisruptionBudget(scope: Construct, ctx: AppInstanceContext): void {
  if (!needsDisruptionBudget(ctx)) return;
  new k8s.KubePodDisruptionBudget(scope, "pdb", {
    metadata: metadata(ctx, ctx.app.name),
    spec: {
      // One pod at a time: node drains make progress, the app keeps serving.
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: selectorLabels(ctx) },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    },
  });
}
