/**
 * The names a fleet defines, read from the definition files the loader would load (render's
 * `definitionFiles`): each definition is named after its directory (the loader refuses one that
 * is not), so a name given on the command line is checked without loading any definition.
 */
import { unknownName } from "@slipway/core";
import { definitionFiles } from "@slipway/render";

export interface FleetNames {
  /** `clusters/<cluster>/cluster.ts` */
  readonly clusters: readonly string[];
  /** `environments/<env>/environment.ts` */
  readonly environments: readonly string[];
  /** `apps/<tenant>/tenant.ts` */
  readonly tenants: readonly string[];
  /** `apps/<tenant>/<app>/app.ts` */
  readonly apps: readonly string[];
}

export function fleetNames(root: string): FleetNames {
  const names = { clusters: [] as string[], environments: [] as string[], tenants: [] as string[], apps: [] as string[] };
  for (const file of definitionFiles(root)) {
    const parts = file.split("/");
    if (parts[0] === "clusters") names.clusters.push(parts[1]!);
    else if (parts[0] === "environments") names.environments.push(parts[1]!);
    else if (parts[0] === "apps" && parts.length === 3) names.tenants.push(parts[1]!);
    else if (parts[0] === "apps" && parts.length === 4) names.apps.push(parts[2]!);
  }
  return { clusters: names.clusters.sort(), environments: names.environments.sort(), tenants: names.tenants.sort(), apps: names.apps.sort() };
}

export interface NameFilter {
  readonly cluster?: string;
  readonly env?: string;
  readonly app?: string;
}

/** Refuses (a UsageError) a `--cluster`, `--env` or `--app` the fleet does not define. */
export function checkNameFilter(root: string, filter: NameFilter): void {
  if (filter.cluster === undefined && filter.env === undefined && filter.app === undefined) return;
  const names = fleetNames(root);
  if (filter.cluster !== undefined && !names.clusters.includes(filter.cluster)) {
    throw unknownName("cluster", filter.cluster, names.clusters, { flag: "--cluster", hint: "a cluster is a directory clusters/<cluster>/ with a cluster.ts" });
  }
  if (filter.env !== undefined && !names.environments.includes(filter.env)) {
    throw unknownName("environment", filter.env, names.environments, { flag: "--env", hint: "an environment is a directory environments/<env>/ with an environment.ts" });
  }
  if (filter.app !== undefined && !names.apps.includes(filter.app)) {
    throw unknownName("app", filter.app, names.apps, { flag: "--app", hint: "an app is a directory apps/<tenant>/<app>/ with an app.ts" });
  }
}
