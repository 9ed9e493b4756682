/** Everything a tenant construct needs to render one tenant in one environment on one cluster. */
import { Annotations, Labels, MANAGED_BY, tenantNamespace, type Cluster, type Environment, type Tenant } from "@slipway/core";

export interface TenantInstanceContext {
  readonly tenant: Tenant;
  readonly environment: Environment;
  /** The cluster the namespace lives on: its VPC CIDR is where load balancers send traffic from. */
  readonly cluster: Cluster;
  /** Repository-relative path of `apps/<tenant>/tenant.ts`. */
  readonly sourceFile: string;
  /** Namespace of the monitoring add-on, admitted to scrape the tenant's pods. @default `monitoring` */
  readonly monitoringNamespace?: string;
  /** Some app of the tenant in this environment on this cluster sits behind an ALB (target-type ip). */
  readonly loadBalanced?: boolean;
}


/** The tenant's namespace in this environment (see `tenantNamespace` in @slipway/core). */
export function namespaceOf(ctx: TenantInstanceContext): string {
  return tenantNamespace(ctx.tenant.name, ctx.environment.name);
}

export function tenantLabels(ctx: TenantInstanceContext): Record<string, string> {
  return {
    [Labels.partOf]: ctx.tenant.name,
    [Labels.managedBy]: MANAGED_BY,
    [Labels.tenant]: ctx.tenant.name,
    [Labels.environment]: ctx.environment.name,
  };
}

export function metadata(ctx: TenantInstanceContext, name: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  return {
    name,
    namespace: namespaceOf(ctx),
    labels: { ...tenantLabels(ctx), ...extra.labels },
    annotations: { [Annotations.source]: ctx.sourceFile, ...extra.annotations },
  };
}
