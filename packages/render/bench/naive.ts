/**
 * Benchmark baseline "naive": everything render produces, built into ONE cdk8s App and written
 * with `app.synth()` — how cdk8s is usually driven. A Chart per app instance (its constructs),
 * per tenant and environment on a cluster (the tenant constructs), per add-on on a cluster (the
 * add-on's module); the objects render makes without constructs (Argo CD, the AWS-resources
 * summary) as ApiObjects. Run as a child process: `node --import tsx naive.ts <fleet> <outdir>`;
 * the parent times the whole process.
 */
import { MONITORING_NAMESPACE, clusterAwsResources, planFleetAddons, renderAwsResources } from "@slipway/addons";
import { resolveApp, tenantNamespace, planAppInstances } from "@slipway/core";
import { loadFleet } from "@slipway/render";
import { produceArgocdUnits } from "@slipway/argocd";
import { addLimitRange, addNamespace, addNetworkPolicies, addRbac, addResourceQuota } from "@slipway/tenants";
import { addApp } from "@slipway/workloads";
import { ApiObject, App, Chart } from "cdk8s";

const [root, outdir] = process.argv.slice(2) as [string, string];
const fleet = await loadFleet(root);
const app = new App({ outdir });
const chartOf = (id: string) => new Chart(app, id, { disableResourceNameHashes: true });

for (const instance of planAppInstances(fleet)) {
  const cluster = fleet.clusters.get(instance.cluster)!.def;
  const environment = fleet.environments.get(instance.environment)!;
  const loaded = fleet.apps.get(instance.app)!;
  const tenant = fleet.tenants.get(loaded.tenant)!.def;
  addApp(chartOf(`${instance.cluster}-${instance.environment}-${instance.app}`), {
    app: resolveApp(loaded, environment.def, cluster),
    environment: environment.def,
    cluster,
    tenant,
    release: environment.releases.apps[instance.app]!,
    namespace: tenantNamespace(tenant.name, environment.def.name),
    sourceFile: loaded.file,
  });
}

for (const [clusterName, { def: cluster }] of fleet.clusters) {
  for (const [tenantName, tenant] of fleet.tenants) {
    for (const envName of cluster.environments) {
      const ctx = { tenant: tenant.def, environment: fleet.environments.get(envName)!.def, cluster, sourceFile: tenant.file, monitoringNamespace: MONITORING_NAMESPACE };
      const chart = chartOf(`${clusterName}-tenant-${tenantName}-${envName}`);
      addNamespace(chart, ctx);
      addRbac(chart, ctx);
      addResourceQuota(chart, ctx);
      addLimitRange(chart, ctx);
      addNetworkPolicies(chart, ctx);
    }
  }
  const planned = planFleetAddons(fleet, clusterName);
  for (const addon of planned) addon.module.generate(chartOf(`${clusterName}-addon-${addon.module.name}`), addon.context as never);
  const plain = chartOf(`${clusterName}-plain`);
  const objects = [...(planned.length > 0 ? [renderAwsResources(cluster, fleet.clusters.get(clusterName)!.file, clusterAwsResources(planned))] : []), ...produceArgocdUnits(fleet, { cluster: clusterName }).flatMap((unit) => unit.objects)];
  objects.forEach((object, i) => new ApiObject(plain, `object-${i}`, object as never));
}
app.synth();
