/** Producer: one unit per app instance (cluster × hosted environment × app with a release there). */
import { resolveApp, tenantNamespace } from "@slipway/core";
import { synthesizeApp } from "@slipway/workloads";
import type { Fleet } from "./fleet";
import { unitInScope, type RenderFilter, type RenderUnit } from "./units";

export interface AppInstance {
  readonly cluster: string;
  readonly environment: string;
  readonly app: string;
}

/** The app instances a fleet deploys: an app runs in an environment once it has a release there. */
export function planAppInstances(fleet: Fleet, filter: RenderFilter = {}): AppInstance[] {
  const out: AppInstance[] = [];
  for (const [clusterName, { def: cluster }] of [...fleet.clusters].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const envName of cluster.environments) {
      const env = fleet.environments.get(envName)!;
      for (const appName of [...fleet.apps.keys()].sort()) {
        if (!env.releases.apps[appName]) continue;
        const app = fleet.apps.get(appName)!;
        if (!unitInScope({ environment: envName, tenant: app.tenant, app: appName }, clusterName, filter)) continue;
        out.push({ cluster: clusterName, environment: envName, app: appName });
      }
    }
  }
  return out;
}

export function produceAppUnit(fleet: Fleet, instance: AppInstance): RenderUnit {
  const cluster = fleet.clusters.get(instance.cluster)!.def;
  const environment = fleet.environments.get(instance.environment)!;
  const loaded = fleet.apps.get(instance.app)!;
  const tenant = fleet.tenants.get(loaded.tenant)!.def;
  const app = resolveApp(loaded, environment.def, cluster);
  const objects = synthesizeApp({
    app,
    environment: environment.def,
    cluster,
    tenant,
    release: environment.releases.apps[instance.app]!,
    namespace: tenantNamespace(tenant.name, environment.def.name),
    sourceFile: loaded.file,
  });
  return {
    cluster: instance.cluster,
    dir: `${instance.environment}/${instance.app}`,
    sourceFile: loaded.file,
    owner: { environment: instance.environment, tenant: tenant.name, app: instance.app },
    layout: "flat",
    objects,
  };
}
