/**
 * Where batch and Spark pods run: spot or on-demand capacity of the Karpenter pools, tolerating
 * the spot and batch pools' taints and preferring the batch pool (instance-store NVMe). Clusters
 * without Karpenter (managed node groups and Cluster Autoscaler) have neither the labels nor the
 * taints: there the pods get no selector, so they still schedule.
 */
import { BATCH_POOL, BATCH_TAINT, CAPACITY_TYPE_LABEL, INTERRUPTIBLE_TAINT, NODE_POOL_LABEL } from "@slipway/core";
import type { k8s } from "cdk8s-plus-28";
import type { AppInstanceContext } from "./context";

export interface Placement {
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: k8s.Toleration[];
  readonly affinity?: k8s.Affinity;
}

export function hasKarpenter(ctx: AppInstanceContext): boolean {
  return ctx.cluster.addons.karpenter !== undefined;
}

const tolerate = (key: string): k8s.Toleration => ({ key, operator: "Equal", value: "true", effect: "NoSchedule" });

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
