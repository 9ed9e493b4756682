/**
 * Where an app's pods may run: capacity type (Karpenter's `karpenter.sh/capacity-type` label,
 * and the toleration of the spot NodePool's taint), CPU architecture (`kubernetes.io/arch`) and
 * the priority tier (core's PRIORITY_CLASSES, rendered once per cluster under `tenants/priority-classes/`).
 *
 * Compared with the Karpenter add-on (packages/addons/src/modules/karpenter.ts) and Karpenter
 * v1.6.3's well-known labels (`karpenter.sh/capacity-type` with values `on-demand`, `spot`,
 * `reserved`; nodes carry the NodePool's template labels and taints): the spot pool
 * `general-spot` is tainted `slipway.dev/interruptible=true:NoSchedule`; the on-demand pool is
 * not tainted. Without Karpenter (Cluster Autoscaler on managed node groups) nodes have no
 * `karpenter.sh/capacity-type` label, so capacity is not pinned there.
 */
import { PRIORITY_CLASSES } from "@slipway/core";
import type { k8s } from "cdk8s-plus-28";
import type { AppInstanceContext } from "./context";

/** Taint and label of Karpenter's spot NodePool (karpenter add-on, `spot.enabled`). */
export const INTERRUPTIBLE_TAINT = "slipway.dev/interruptible";
export const CAPACITY_TYPE_LABEL = "karpenter.sh/capacity-type";
export const ARCH_LABEL = "kubernetes.io/arch";

export function priorityTier(ctx: AppInstanceContext): keyof typeof PRIORITY_CLASSES {
  return ctx.app.placement.priority ?? (ctx.app.kind === "cron-job" ? "batch" : "standard");
}

export function hasKarpenter(ctx: AppInstanceContext): boolean {
  return Object.hasOwn(ctx.cluster.addons, "karpenter");
}

export interface PodPlacement {
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: k8s.Toleration[];
  readonly priorityClassName: string;
}

export function podPlacement(ctx: AppInstanceContext): PodPlacement {
  const { capacity, architecture } = ctx.app.placement;
  const nodeSelector: Record<string, string> = {};
  const tolerations: k8s.Toleration[] = [];
  if (architecture !== "multi") nodeSelector[ARCH_LABEL] = architecture;
  if (hasKarpenter(ctx)) {
    if (capacity !== "any") nodeSelector[CAPACITY_TYPE_LABEL] = capacity;
    if (capacity !== "on-demand") tolerations.push({ key: INTERRUPTIBLE_TAINT, operator: "Equal", value: "true", effect: "NoSchedule" });
  }
  return {
    nodeSelector: Object.keys(nodeSelector).length ? nodeSelector : undefined,
    tolerations: tolerations.length ? tolerations : undefined,
    priorityClassName: PRIORITY_CLASSES[priorityTier(ctx)].name,
  };
}
