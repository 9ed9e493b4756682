/** The tenant's ResourceQuota: compute, pods and PVCs per namespace; no load balancers or node ports (ingress goes through the shared ALB). */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, type TenantInstanceContext } from "./context";

export function quotaFor(ctx: TenantInstanceContext) {
  return { ...ctx.tenant.quota, ...ctx.tenant.environments[ctx.environment.name]?.quota };
}

export function addResourceQuota(scope: Construct, ctx: TenantInstanceContext): void {
  const q = quotaFor(ctx);
  const quantity = (value: string | number) => k8s.Quantity.fromString(String(value));
  new k8s.KubeResourceQuota(scope, "quota", {
    metadata: metadata(ctx, ctx.tenant.name),
    spec: {
      hard: {
        "requests.cpu": quantity(q.requestsCpu),
        "requests.memory": quantity(q.requestsMemory),
        "limits.cpu": quantity(q.limitsCpu),
        "limits.memory": quantity(q.limitsMemory),
        pods: quantity(q.pods),
        persistentvolumeclaims: quantity(q.persistentVolumeClaims),
        "services.loadbalancers": quantity(0),
        "services.nodeports": quantity(0),
      },
    },
  });
}
