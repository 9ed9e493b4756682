/** Producer: one unit per app instance (cluster × hosted environment × app with a release there). */
import { tenantNamespace } from "@slipway/core";
import { synthesizeApp } from "@slipway/workloads";
import type { Fleet } from "./fleet";
import { resolveInstance } from "./instance-facts";
import type { AppInstance } from "./plan";
import type { RenderUnit } from "./units";

export { planAppInstances, type AppInstance } from "./plan";

export function produceAppUnit(fleet: Fleet, instance: AppInstance): RenderUnit {
  const cluster = fleet.clusters.get(instance.cluster)!.def;
  const environment = fleet.environments.get(instance.environment)!;
  const loaded = fleet.apps.get(instance.app)!;
  const tenant = fleet.tenants.get(loaded.tenant)!.def;
  const app = resolveInstance(fleet, instance);
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
