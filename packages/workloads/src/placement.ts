/**
 * Where an app's pods may run: capacity type (Karpenter's `karpenter.sh/capacity-type` label,
 * and the toleration of the spot NodePool's taint), CPU architecture (`kubernetes.io/arch`) and
 * the priority tier (core's PRIORITY_CLASSES, rendered once per cluster under `tenants/priority-classes/`);
 * and, for batch and Spark pods, the batch pool (instance-store NVMe) with its taint.
 *
 * Compared with the Karpenter add-on (packages/addons/src/modules/karpenter.ts) and Karpenter
 * v1.6.3's well-known labels (`karpenter.sh/capacity-type` with values `on-demand`, `spot`,
 * `reserved`; nodes carry the NodePool's template labels and taints): the spot pool
 * `general-spot` is tainted `slipway.dev/interruptible=true:NoSchedule`, the batch pool
 * `slipway.dev/batch=true:NoSchedule`; the on-demand pool is not tainted. Without Karpenter
 * (Cluster Autoscaler on managed node groups) nodes have neither the labels nor the taints, so
 * capacity is not pinned there and the pods still schedule.
 */
import { BATCH_POOL, BATCH_TAINT, CAPACITY_TYPE_LABEL, INTERRUPTIBLE_TAINT, NODE_POOL_LABEL, PRIORITY_CLASSES } from "@slipway/core";
import type { k8s } from "cdk8s-plus-28";
import type { AppInstanceContext } from "./context";

export const ARCH_LABEL = "kubernetes.io/arch";

export function hasKarpenter(ctx: AppInstanceContext): boolean {
  return Object.hasOwn(ctx.cluster.addons, "karpenter");
}

const tolerate = (key: string): k8s.Toleration => ({ key, operator: "Equal", value: "true", effect: "NoSchedule" });

export function priorityTier(ctx: AppInstanceContext): keyof typeof PRIORITY_CLASSES {
  const runsToCompletion = ctx.app.kind === "cron-job" || ctx.app.kind === "batch-job" || ctx.app.kind === "spark-application";
  return ctx.app.placement.priority ?? (runsToCompletion ? "batch" : "standard");
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
    if (capacity !== "on-demand") tolerations.push(tolerate(INTERRUPTIBLE_TAINT));
  }
  return {
    nodeSelector: Object.keys(nodeSelector).length ? nodeSelector : undefined,
    tolerations: tolerations.length ? tolerations : undefined,
    priorityClassName: PRIORITY_CLASSES[priorityTier(ctx)].name,
  };
}

export interface Placement {
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: k8s.Toleration[];
  readonly affinity?: k8s.Affinity;
}

/**
 * `spot`: spot capacity of any pool (the batch pool first), tolerating both taints.
 * `on-demand`: on-demand capacity, tolerating the batch pool's taint only (a driver or
 * coordinator must not be interrupted, but may share the batch pool's fast local disks).
 */
export function batchPlacement(ctx: AppInstanceContext, capacity: "spot" | "on-demand"): Placement {
  if (!hasKarpenter(ctx)) return {};
  return {
    nodeSelector: { [CAPACITY_TYPE_LABEL]: capacity },
    tolerations: capacity === "spot" ? [tolerate(BATCH_TAINT), tolerate(INTERRUPTIBLE_TAINT)] : [tolerate(BATCH_TAINT)],
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, preference: { matchExpressions: [{ key: NODE_POOL_LABEL, operator: "In", values: [BATCH_POOL] }] } },
        ],
      },
    },
  };
}
