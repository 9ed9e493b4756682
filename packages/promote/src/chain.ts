/**
 * The promotion chain and its lock files: `environments/<env>/environment.ts` says which
 * environment each one promotes from; `environments/<env>/releases.yaml` says which release
 * of each app runs there.
 */
import type { Release } from "@slipway/core";

export interface ChainEnvironment {
  readonly name: string;
  readonly promotesFrom?: string;
  /** Repository-relative path of environment.ts. */
  readonly file: string;
  /** Repository-relative path of releases.yaml. */
  readonly releasesFile: string;
  readonly releases: Readonly<Record<string, Release>>;
}

export interface ReleaseChain {
  /** In promotion order, the entry environment first. */
  readonly environments: readonly ChainEnvironment[];
  /** App name → tenant, from `apps/<tenant>/<app>/app.ts`. */
  readonly apps: ReadonlyMap<string, string>;
}

export function environmentNamed(chain: ReleaseChain, name: string): ChainEnvironment | undefined {
  return chain.environments.find((e) => e.name === name);
}

/**
 * Loads the fleet with render's loader (the one way definitions are loaded) and reads the chain
 * from it: its environments, already ordered and checked, with their lock files.
 */
export async function loadReleaseChain(root: string): Promise<ReleaseChain> {
  const { loadFleet } = await import("@slipway/render");
  const fleet = await loadFleet(root);
  const environments = [...fleet.environments.values()].map((env): ChainEnvironment => ({
    name: env.def.name,
    ...(env.def.promotesFrom ? { promotesFrom: env.def.promotesFrom } : {}),
    file: env.file,
    releasesFile: env.releasesFile,
    releases: { ...env.releases.apps },
  }));
  return { environments, apps: new Map([...fleet.apps.values()].map((app) => [app.name, app.tenant])) };
}
