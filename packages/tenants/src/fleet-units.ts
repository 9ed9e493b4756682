/**
 * Render units of tenants: one per tenant per cluster (`clusters/<cluster>/tenants/<tenant>/<namespace>/`),
 * holding its objects for every environment the cluster hosts. Checks first that every tenant
 * namespace has one owner, and what tenants claim across the fleet: hosts, IngressGroups, IAM
 * roles (fleet-tenancy.ts; each app instance's own ingress host, secrets and role are checked
 * where it is synthesized: instance-tenancy.ts).
 */
import { throwIfAny, type Fleet, type KubeObject, type RenderFilter, type RenderUnit, type SlipwayError } from "@slipway/core";
import { checkTenantAlerting, checkTenantNamespaces } from "./checks";
import { checkFleetTenancy } from "./fleet-tenancy";
import { synthesizeTenant } from "./synthesize";

/** What tenants need to know of the platform's add-ons. */
export interface PlatformNamespaces {
  /** The namespace of each add-on, by add-on: no tenant may claim them. */
  readonly addons: Readonly<Record<string, string>>;
  /** Where Prometheus runs: tenant network policies let it scrape. */
  readonly monitoring: string;
}

export function produceTenantUnits(fleet: Fleet, filter: RenderFilter, platform: PlatformNamespaces): RenderUnit[] {
  checkTenantNamespaces([...fleet.tenants.values()], [...fleet.environments.keys()], platform.addons);
  checkFleetTenancy(fleet);
  const errors: SlipwayError[] = [];
  for (const { def: cluster, file } of fleet.clusters.values()) {
    for (const tenant of fleet.tenants.values()) errors.push(...checkTenantAlerting(tenant, cluster, file));
  }
  throwIfAny(errors);
  if (filter.app) return [];
  const units: RenderUnit[] = [];
  for (const [clusterName, { def: cluster }] of fleet.clusters) {
    if (filter.cluster && filter.cluster !== clusterName) continue;
    for (const [tenantName, tenant] of fleet.tenants) {
      const objects: KubeObject[] = [];
      for (const envName of cluster.environments) {
        if (filter.env && filter.env !== envName) continue;
        const environment = fleet.environments.get(envName)!.def;
        objects.push(...synthesizeTenant({ tenant: tenant.def, environment, cluster, sourceFile: tenant.file, monitoringNamespace: platform.monitoring }));
      }
      units.push({
        cluster: clusterName,
        dir: `tenants/${tenantName}`,
        sourceFile: tenant.file,
        owner: { tenant: tenantName },
        layout: "by-namespace",
        objects,
      });
    }
  }
  return units;
}
