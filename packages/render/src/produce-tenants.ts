/** Producer: one unit per tenant per cluster, holding its objects for every environment the cluster hosts. */
import { synthesizeTenant } from "@slipway/tenants";
import type { KubeObject } from "@slipway/workloads";
import type { Fleet } from "./fleet";
import { type RenderFilter, type RenderUnit } from "./units";

export function produceTenantUnits(fleet: Fleet, filter: RenderFilter = {}): RenderUnit[] {
  if (filter.app) return [];
  const units: RenderUnit[] = [];
  for (const [clusterName, { def: cluster }] of fleet.clusters) {
    if (filter.cluster && filter.cluster !== clusterName) continue;
    for (const [tenantName, tenant] of fleet.tenants) {
      const objects: KubeObject[] = [];
      for (const envName of cluster.environments) {
        if (filter.env && filter.env !== envName) continue;
        const environment = fleet.environments.get(envName)!.def;
        objects.push(...(synthesizeTenant({ tenant: tenant.def, environment, sourceFile: tenant.file }) as KubeObject[]));
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
