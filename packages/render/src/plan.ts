/** Which app instances a fleet deploys. Cheap to import: render decides what to synthesize from it. */
import type { Fleet } from "./fleet";
import { unitInScope, type RenderFilter } from "./units";

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
