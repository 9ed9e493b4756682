/**
 * The node pools' contract with workloads: the taints and labels of the Karpenter add-on's
 * NodePools that apps select or tolerate. One definition, read by the add-on (which sets them)
 * and by the workload constructs (which match them).
 */

/** Karpenter's well-known label of a node's capacity type: `spot`, `on-demand` or `reserved`. */
export const CAPACITY_TYPE_LABEL = "karpenter.sh/capacity-type";
/** Set on every node of a Slipway NodePool: the pool's name. */
export const NODE_POOL_LABEL = "slipway.dev/node-pool";
/** Taint (and label) of spot pools: only pods that say they tolerate interruption land there. */
export const INTERRUPTIBLE_TAINT = "slipway.dev/interruptible";
/** Taint of the batch pool: only batch and Spark pods land there. */
export const BATCH_TAINT = "slipway.dev/batch";
/** Name of the batch NodePool. */
export const BATCH_POOL = "batch";
/** Pod annotation that stops Karpenter from voluntarily disrupting the pod's node. */
export const DO_NOT_DISRUPT_ANNOTATION = "karpenter.sh/do-not-disrupt";
