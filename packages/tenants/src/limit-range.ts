/** Defaults for containers that state no resources, and a ceiling per container. */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, type TenantInstanceContext } from "./context";

export const CONTAINER_DEFAULTS = {
  defaultRequest: { cpu: "100m", memory: "128Mi" },
  default: { cpu: "500m", memory: "256Mi" },
  max: { cpu: "4", memory: "8Gi" },
} as const;

export function addLimitRange(scope: Construct, ctx: TenantInstanceContext): void {
  const q = (values: { cpu: string; memory: string }) => ({ cpu: k8s.Quantity.fromString(values.cpu), memory: k8s.Quantity.fromString(values.memory) });
  new k8s.KubeLimitRange(scope, "limit-range", {
    metadata: metadata(ctx, ctx.tenant.name),
    spec: {
      limits: [{ type: "Container", defaultRequest: q(CONTAINER_DEFAULTS.defaultRequest), default: q(CONTAINER_DEFAULTS.default), max: q(CONTAINER_DEFAULTS.max) }],
    },
  });
}
