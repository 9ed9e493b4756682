/**
 * Producer: one unit per tenant per cluster (`clusters/<cluster>/tenants/<tenant>/<namespace>/`),
 * holding its objects for every environment the cluster hosts. Checks first that every tenant
 * namespace has one owner, and what tenants claim across the fleet: hosts, IngressGroups, IAM
 * roles (tenancy.ts; each app instance's own ingress host, secrets and role are checked where it
 * is synthesized: produce-apps.ts).
 */
import { MONITORING_NAMESPACE, addonNamespaces } from "@slipway/addons";
import { checkTenantNamespaces, priorityClassObjects, PRIORITY_CLASSES_DIR, synthesizeTenant } from "@slipway/tenants";
import { FleetConsistencyError, tenantNamespace, type KubeObject } from "@slipway/core";
import type { Fleet } from "./fleet";
import { checkFleetTenancy, instanceFacts } from "./tenancy";
import { type RenderFilter, type RenderUnit } from "./units";

export function checkTenants(fleet: Fleet): void {
  const reserved = fleet.tenants.get(PRIORITY_CLASSES_DIR);
  if (reserved) {
    throw new FleetConsistencyError(`tenant name \`${PRIORITY_CLASSES_DIR}\` is reserved: each cluster's app PriorityClasses live in clusters/<cluster>/tenants/${PRIORITY_CLASSES_DIR}/`, {
      file: reserved.file, field: "name", hint: "give the tenant another name",
    });
  }
  checkTenantNamespaces([...fleet.tenants.values()], [...fleet.environments.keys()], addonNamespaces());
  checkFleetTenancy(fleet);
}

export function produceTenantUnits(fleet: Fleet, filter: RenderFilter = {}): RenderUnit[] {
  checkTenants(fleet);
  if (filter.app) return [];
  const units: RenderUnit[] = [];
  // Namespaces (`<cluster>\u0000<namespace>`) with an app behind an ALB: they get the readiness gate label.
  const loadBalanced = new Set(instanceFacts(fleet).filter((f) => f.ingress).map((f) => `${f.instance.cluster}\u0000${f.namespace}`));
  for (const [clusterName, { def: cluster, file: clusterFile }] of fleet.clusters) {
    if (filter.cluster && filter.cluster !== clusterName) continue;
    const monitoringNamespace = MONITORING_NAMESPACE;
    units.push({ cluster: clusterName, dir: `tenants/${PRIORITY_CLASSES_DIR}`, sourceFile: clusterFile, owner: {}, layout: "flat", objects: priorityClassObjects(clusterFile) });
    for (const [tenantName, tenant] of fleet.tenants) {
      const objects: KubeObject[] = [];
      for (const envName of cluster.environments) {
        if (filter.env && filter.env !== envName) continue;
        const environment = fleet.environments.get(envName)!.def;
        const loadBalancedHere = loadBalanced.has(`${clusterName}\u0000${tenantNamespace(tenantName, envName)}`);
        objects.push(...synthesizeTenant({ tenant: tenant.def, environment, cluster, sourceFile: tenant.file, monitoringNamespace, loadBalanced: loadBalancedHere }));
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
