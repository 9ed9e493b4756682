/**
 * Producer: one unit per tenant per cluster (`clusters/<cluster>/tenants/<tenant>/<namespace>/`),
 * holding its objects for every environment the cluster hosts. Checks first that every tenant
 * namespace has one owner, and what tenants claim across the fleet: hosts, IngressGroups, IAM
 * roles (tenancy.ts; each app instance's own ingress host, secrets and role are checked where it
 * is synthesized: produce-apps.ts).
 */
import { MONITORING_NAMESPACE, addonNamespaces } from "@slipway/addons";
import { checkTenantAlerting, checkTenantNamespaces, synthesizeTenant } from "@slipway/tenants";
import { throwIfAny, type KubeObject, type SlipwayError } from "@slipway/core";
import type { Fleet } from "./fleet";
import { checkFleetTenancy } from "./tenancy";
import { type RenderFilter, type RenderUnit } from "./units";

export function checkTenants(fleet: Fleet): void {
  checkTenantNamespaces([...fleet.tenants.values()], [...fleet.environments.keys()], addonNamespaces());
  checkFleetTenancy(fleet);
  const errors: SlipwayError[] = [];
  for (const { def: cluster, file } of fleet.clusters.values()) {
    for (const tenant of fleet.tenants.values()) errors.push(...checkTenantAlerting(tenant, cluster, file));
  }
  throwIfAny(errors);
}

export function produceTenantUnits(fleet: Fleet, filter: RenderFilter = {}): RenderUnit[] {
  checkTenants(fleet);
  if (filter.app) return [];
  const units: RenderUnit[] = [];
  for (const [clusterName, { def: cluster }] of fleet.clusters) {
    if (filter.cluster && filter.cluster !== clusterName) continue;
    const monitoringNamespace = MONITORING_NAMESPACE;
    for (const [tenantName, tenant] of fleet.tenants) {
      const objects: KubeObject[] = [];
      for (const envName of cluster.environments) {
        if (filter.env && filter.env !== envName) continue;
        const environment = fleet.environments.get(envName)!.def;
        objects.push(...synthesizeTenant({ tenant: tenant.def, environment, cluster, sourceFile: tenant.file, monitoringNamespace }));
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
