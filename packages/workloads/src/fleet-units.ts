/**
 * Render units of app instances: one per instance (cluster × hosted environment × app with a release there).
 * Each instance is checked where it is synthesized: its ingress host stays inside the tenant's
 * and the cluster's domains, the add-ons it needs are on for its cluster, and what it uses in AWS
 * and at the edge is its tenant's and its cluster's (@slipway/tenants' instance-tenancy.ts).
 */
import {
  FleetConsistencyError,
  resolveInstance,
  tenantNamespace,
  throwIfAny,
  type AppInstance,
  type Fleet,
  type RenderUnit,
  type ResolvedApp,
  type SlipwayError,
} from "@slipway/core";
import { checkIngressHost, checkTenancy } from "@slipway/tenants";
import { synthesizeApp } from "./synthesize";

/** The add-on each feature of an app needs on its cluster. */
const NEEDS: readonly { readonly addon: string; readonly field: string; readonly uses: (app: ResolvedApp) => boolean; readonly reason: (env: string) => string }[] = [
  { addon: "external-secrets", field: "secrets", uses: (app) => app.secrets.length > 0, reason: (env) => `reads secrets in ${env} through its tenant's SecretStore` },
  { addon: "aws-load-balancer-controller", field: "ingress", uses: (app) => app.ingress !== undefined, reason: (env) => `has an ingress of class \`alb\` in ${env}` },
  { addon: "velero", field: "backup", uses: (app) => app.backup !== undefined, reason: (env) => `asks for its own Velero backup in ${env}` },
];

function checkInstance(fleet: Fleet, instance: AppInstance, app: ResolvedApp): void {
  const loaded = fleet.apps.get(instance.app)!;
  const { def: cluster, file: clusterFile } = fleet.clusters.get(instance.cluster)!;
  const errors: SlipwayError[] = [];
  if (app.ingress) {
    errors.push(...checkIngressHost(app.ingress.host, fleet.tenants.get(loaded.tenant)!, cluster, { file: loaded.file, app: loaded.name, environment: instance.environment }));
  }
  for (const need of NEEDS) {
    if (!need.uses(app) || Object.hasOwn(cluster.addons, need.addon)) continue;
    errors.push(new FleetConsistencyError(`app ${loaded.name} ${need.reason(instance.environment)}, but add-on \`${need.addon}\` is not on for cluster ${cluster.name}`, {
      file: loaded.file, field: need.field, cluster: cluster.name, environment: instance.environment,
      hint: `switch it on in ${clusterFile}: \`addons: { "${need.addon}": true }\``,
    }));
  }
  errors.push(...checkTenancy(fleet, instance, app));
  throwIfAny(errors);
}

export function produceAppUnit(fleet: Fleet, instance: AppInstance): RenderUnit {
  const cluster = fleet.clusters.get(instance.cluster)!.def;
  const environment = fleet.environments.get(instance.environment)!;
  const loaded = fleet.apps.get(instance.app)!;
  const tenant = fleet.tenants.get(loaded.tenant)!.def;
  const app = resolveInstance(fleet, instance);
  checkInstance(fleet, instance, app);
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
