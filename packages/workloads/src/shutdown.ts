/**
 * Zero-downtime rollouts behind the ALB (AWS Load Balancer Controller, target-type ip).
 *
 * When a pod starts terminating, the controller deregisters its IP from the target group while the
 * kubelet sends SIGTERM: without a delay the pod stops accepting connections before the ALB stops
 * sending them (the controller's issues #1719, #1124, #2131). One `shutdown.drainSeconds` setting
 * derives (core `shutdownTimings`):
 * - a preStop `sleep` of drainSeconds: the pod keeps serving while the ALB drains it. The native
 *   sleep handler (KEP-3960, `PodLifecycleSleepAction`: alpha 1.29, beta and on by default 1.30,
 *   GA 1.34) needs no shell, which the restricted images (distroless, scratch) do not have, so an
 *   `exec: sleep` is never used; clusters older than 1.30 are refused;
 * - the target group's deregistration delay, `alb.ingress.kubernetes.io/target-group-attributes:
 *   deregistration_delay.timeout_seconds=N` (the ALB's default is 300 s, which holds each rollout);
 * - terminationGracePeriodSeconds above both, with headroom for the app's own SIGTERM handling.
 * An app with no ingress has nothing to deregister from: `shutdown` sets only its grace period
 * (drainSeconds plus the headroom); without `shutdown` it keeps Kubernetes' 30 s.
 * The namespace's `elbv2.k8s.aws/pod-readiness-gate-inject: enabled` label (tenants) makes the
 * controller's pod webhook (`mpod.elbv2.k8s.aws`, namespaceSelector on that label in the add-on)
 * add a readiness gate, so a rollout waits until each new pod is healthy in the target group.
 */
import { DefinitionError, SHUTDOWN_HEADROOM_SECONDS, shutdownTimings, ShutdownSchema, type KubeObject } from "@slipway/core";
import type { AppInstanceContext } from "./context";

/** First Kubernetes minor where the preStop `sleep` handler is on by default. */
export const SLEEP_ACTION_MINOR = 30;
export const TARGET_GROUP_ATTRIBUTES = "alb.ingress.kubernetes.io/target-group-attributes";
const DEFAULT_GRACE_SECONDS = 30;

export interface Shutdown {
  readonly terminationGracePeriodSeconds: number;
  /** Only for load-balanced pods. */
  readonly preStopSleepSeconds?: number;
  readonly deregistrationDelaySeconds?: number;
}

export function minorOf(version: string): number {
  return Number(version.split(".")[1]);
}

/** The app's shutdown timings (load-balanced apps get the defaults even without `shutdown`). */
export function shutdownOf(ctx: AppInstanceContext): Shutdown {
  const { app } = ctx;
  if (!app.ingress) {
    // Nothing to deregister from: the pod gets SIGTERM at once and drainSeconds to finish its work.
    return { terminationGracePeriodSeconds: app.shutdown ? app.shutdown.drainSeconds + SHUTDOWN_HEADROOM_SECONDS : DEFAULT_GRACE_SECONDS };
  }
  const minor = minorOf(ctx.cluster.kubernetesVersion);
  if (minor < SLEEP_ACTION_MINOR) {
    throw new DefinitionError(`app ${app.name} is load-balanced, and its graceful shutdown needs the native preStop \`sleep\` handler, which Kubernetes ${ctx.cluster.kubernetesVersion} (cluster ${ctx.cluster.name}) does not enable`, {
      file: ctx.sourceFile, field: "ingress", cluster: ctx.cluster.name, environment: ctx.environment.name,
      expected: `a cluster on Kubernetes 1.${SLEEP_ACTION_MINOR} or newer (PodLifecycleSleepAction is on by default from 1.${SLEEP_ACTION_MINOR})`,
      received: ctx.cluster.kubernetesVersion,
      hint: "upgrade the cluster (its `kubernetesVersion` in cluster.ts); an `exec: sleep` is not offered because the restricted images have no shell",
    });
  }
  const timings = shutdownTimings((app.shutdown ?? ShutdownSchema.parse({})).drainSeconds);
  return timings;
}

/** The Ingress annotation that sets the target group's deregistration delay. */
export function deregistrationAnnotation(ctx: AppInstanceContext): Record<string, string> {
  const s = shutdownOf(ctx);
  return s.deregistrationDelaySeconds === undefined ? {} : { [TARGET_GROUP_ATTRIBUTES]: `deregistration_delay.timeout_seconds=${s.deregistrationDelaySeconds}` };
}

/**
 * The preStop `sleep` of a load-balanced app's container, on the synthesized objects: cdk8s-plus-28
 * types Kubernetes 1.28's LifecycleHandler, which has no `sleep`, and drops what it does not type.
 */
export function addPreStop(objects: KubeObject[], ctx: AppInstanceContext): KubeObject[] {
  const seconds = shutdownOf(ctx).preStopSleepSeconds;
  if (seconds === undefined) return objects;
  for (const o of objects) {
    if (o.kind !== "Deployment" && o.kind !== "StatefulSet") continue;
    const spec = (o as { spec?: { template?: { spec?: { containers?: Record<string, unknown>[] } } } }).spec;
    const main = spec?.template?.spec?.containers?.find((c) => c.name === ctx.app.name);
    if (main) main.lifecycle = { preStop: { sleep: { seconds } } };
  }
  return objects;
}
