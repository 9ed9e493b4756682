/** The tenant's namespace, labelled with tenant, environment and Pod Security Admission levels. */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, namespaceOf, type TenantInstanceContext } from "./context";

export const POD_SECURITY_REASON_ANNOTATION = "slipway.dev/pod-security-reason";

/**
 * The AWS Load Balancer Controller (v2.13) adds a readiness gate to pods created in namespaces
 * labelled so (its pod webhook `mpod.elbv2.k8s.aws` selects them; the add-on renders it with that
 * namespaceSelector): a rollout then waits until each new pod is healthy in its target group.
 */
export const READINESS_GATE_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject";

/**
 * `enforce` is the tenant's level (restricted unless it declared a baseline exception, whose
 * reason is written on the namespace); `warn` and `audit` stay at restricted so the gap shows.
 */
export function addNamespace(scope: Construct, ctx: TenantInstanceContext): void {
  const pss = ctx.tenant.podSecurity;
  const { namespace: _cluster, ...meta } = metadata(ctx, namespaceOf(ctx), {
    labels: {
      "pod-security.kubernetes.io/enforce": pss.level,
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      ...(ctx.loadBalanced ? { [READINESS_GATE_LABEL]: "enabled" } : {}),
    },
    annotations: pss.level === "baseline" ? { [POD_SECURITY_REASON_ANNOTATION]: pss.reason } : {},
  });
  new k8s.KubeNamespace(scope, "namespace", { metadata: meta });
}
