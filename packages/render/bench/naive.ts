/**
 * Benchmark baseline "naive": every app instance's constructs in ONE cdk8s App (a Chart per
 * instance), written with `app.synth()` — how cdk8s is usually driven. Run as a child process:
 * `node --import tsx naive.ts <fleet> <outdir>`; the parent times the whole process.
 */
import { resolveApp, tenantNamespace } from "@slipway/core";
import { loadFleet, planAppInstances } from "@slipway/render";
import { addApp } from "@slipway/workloads";
import { App, Chart } from "cdk8s";

const [root, outdir] = process.argv.slice(2) as [string, string];
const fleet = await loadFleet(root);
const app = new App({ outdir });
for (const instance of planAppInstances(fleet)) {
  const cluster = fleet.clusters.get(instance.cluster)!.def;
  const environment = fleet.environments.get(instance.environment)!;
  const loaded = fleet.apps.get(instance.app)!;
  const tenant = fleet.tenants.get(loaded.tenant)!.def;
  const chart = new Chart(app, `${instance.cluster}-${instance.environment}-${instance.app}`, { disableResourceNameHashes: true });
  addApp(chart, {
    app: resolveApp(loaded, environment.def, cluster),
    environment: environment.def,
    cluster,
    tenant,
    release: environment.releases.apps[instance.app]!,
    namespace: tenantNamespace(tenant.name, environment.def.name),
    sourceFile: loaded.file,
  });
}
app.synth();
