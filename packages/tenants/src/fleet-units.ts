/**
 * Render units of tenants: one per tenant per cluster (`clusters/<cluster>/tenants/<tenant>/<namespace>/`),
 * holding its objects for every environment the cluster hosts. Checks first that every tenant
 * namespace has one owner, and what tenants claim across the fleet: hosts, IngressGroups, IAM
 * roles (fleet-tenancy.ts; each app instance's own ingress host, secrets and role are checked
 * where it is synthesized: instance-tenancy.ts).
 */
import { FleetConsistencyError, tenantNamespace, throwIfAny, type Fleet, type KubeObject, type RenderFilter, type RenderUnit, type SlipwayError } from "@slipway/core";
import { checkTenantAlerting, checkTenantNamespaces } from "./checks";
import { checkFleetTenancy, instanceFacts } from "./fleet-tenancy";
import { PRIORITY_CLASSES_DIR, priorityClassObjects } from "./priority-classes";
import { synthesizeTenant } from "./synthesize";

/** What tenants need to know of the platform's add-ons. */
export interface PlatformNamespaces {
  /** The namespace of each add-on, by add-on: no tenant may claim them. */
  readonly addons: Readonly<Record<string, string>>;
  /** Where Prometheus runs: tenant network policies let it scrape. */
  readonly monitoring: string;
}

export function produceTenantUnits(fleet: Fleet, filter: RenderFilter, platform: PlatformNamespaces): RenderUnit[] {
  const reserved = fleet.tenants.get(PRIORITY_CLASSES_DIR);
  if (reserved) {
    throw new FleetConsistencyError(`tenant name \`${PRIORITY_CLASSES_DIR}\` is reserved: each cluster's app PriorityClasses live in clusters/<cluster>/tenants/${PRIORITY_CLASSES_DIR}/`, {
      file: reserved.file, field: "name", hint: "give the tenant another name",
    });
  }
  checkTenantNamespaces([...fleet.tenants.values()], [...fleet.environments.keys()], platform.addons);
  checkFleetTenancy(fleet);
  const errors: SlipwayError[] = [];
  for (const { def: cluster, file } of fleet.clusters.values()) {
    for (const tenant of fleet.tenants.values()) errors.push(...checkTenantAlerting(tenant, cluster, file));
  }
  throwIfAny(errors);
  if (filter.app) return [];
  const units: RenderUnit[] = [];
  // Namespaces (`<cluster>\u0000<namespace>`) with an app behind an ALB: they get the readiness gate label.
  const loadBalanced = new Set(instanceFacts(fleet).filter((f) => f.ingress).map((f) => `${f.instance.cluster}\u0000${f.namespace}`));
  for (const [clusterName, { def: cluster, file: clusterFile }] of fleet.clusters) {
    if (filter.cluster && filter.cluster !== clusterName) continue;
    units.push({ cluster: clusterName, dir: `tenants/${PRIORITY_CLASSES_DIR}`, sourceFile: clusterFile, owner: {}, layout: "flat", objects: priorityClassObjects(clusterFile) });
    for (const [tenantName, tenant] of fleet.tenants) {
      const objects: KubeObject[] = [];
      for (const envName of cluster.environments) {
        if (filter.env && filter.env !== envName) continue;
        const environment = fleet.environments.get(envName)!.def;
        const loadBalancedHere = loadBalanced.has(`${clusterName}\u0000${tenantNamespace(tenantName, envName)}`);
        objects.push(...synthesizeTenant({ tenant: tenant.def, environment, cluster, sourceFile: tenant.file, monitoringNamespace: platform.monitoring, loadBalanced: loadBalancedHere }));
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
