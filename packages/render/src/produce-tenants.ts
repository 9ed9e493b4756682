/**
 * Producer: one unit per tenant per cluster (`clusters/<cluster>/tenants/<tenant>/<namespace>/`),
 * holding its objects for every environment the cluster hosts. Checks first that every tenant
 * namespace has one owner and that app ingress hosts stay inside the tenant's and cluster's domains.
 */
import { MONITORING_NAMESPACE, addonNamespaces } from "@slipway/addons";
import { throwIfAny, type SlipwayError } from "@slipway/core";
import { checkIngressHost, checkTenantNamespaces, synthesizeTenant } from "@slipway/tenants";
import type { KubeObject } from "@slipway/workloads";
import type { Fleet } from "./fleet";
import { instanceFacts } from "./instance-facts";
import { planAppInstances } from "./produce-apps";
import { type RenderFilter, type RenderUnit } from "./units";

export function checkTenants(fleet: Fleet, filter: RenderFilter = {}): void {
  checkTenantNamespaces([...fleet.tenants.values()], [...fleet.environments.keys()], addonNamespaces());
  const errors: SlipwayError[] = [];
  for (const instance of planAppInstances(fleet, filter)) {
    const { ingressHost } = instanceFacts(fleet, instance);
    if (ingressHost === undefined) continue;
    const loaded = fleet.apps.get(instance.app)!;
    const cluster = fleet.clusters.get(instance.cluster)!.def;
    errors.push(...checkIngressHost(ingressHost, fleet.tenants.get(loaded.tenant)!, cluster, { file: loaded.file, app: loaded.name, environment: instance.environment }));
  }
  throwIfAny(errors);
}

export function produceTenantUnits(fleet: Fleet, filter: RenderFilter = {}): RenderUnit[] {
  checkTenants(fleet, filter);
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
        objects.push(...(synthesizeTenant({ tenant: tenant.def, environment, cluster, sourceFile: tenant.file, monitoringNamespace }) as KubeObject[]));
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
