/** Tenant objects per cluster and environment. */
import { Annotations, Labels, MANAGED_BY, tenantNamespace, type Environment, type Tenant } from "@slipway/core";
import { App, Chart } from "cdk8s";
import { k8s } from "cdk8s-plus-28";

export interface TenantInstanceContext {
  readonly tenant: Tenant;
  readonly environment: Environment;
  readonly sourceFile: string;
}

export type TenantObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } & Record<string, unknown>;

export function synthesizeTenant(ctx: TenantInstanceContext): TenantObject[] {
  const chart = new Chart(new App(), ctx.tenant.name, { disableResourceNameHashes: true });
  const namespace = tenantNamespace(ctx.tenant.name, ctx.environment.name);
  new k8s.KubeNamespace(chart, "namespace", {
    metadata: {
      name: namespace,
      labels: {
        [Labels.managedBy]: MANAGED_BY,
        [Labels.partOf]: ctx.tenant.name,
        [Labels.tenant]: ctx.tenant.name,
        [Labels.environment]: ctx.environment.name,
        "pod-security.kubernetes.io/enforce": ctx.tenant.podSecurity.level,
      },
      annotations: { [Annotations.source]: ctx.sourceFile },
    },
  });
  return chart.toJson() as TenantObject[];
}
