/**
 * The promotion chain and its lock files: `environments/<env>/environment.ts` says which
 * environment each one promotes from; `environments/<env>/releases.yaml` says which release
 * of each app runs there.
 */
import { createHash } from "node:crypto";
import type { Release } from "@slipway/core";
import { runGit } from "@slipway/diff";

/** Which definition of an app an environment renders. */
export interface DefinitionRevision {
  /** The pinned fleet commit; absent: the working tree (the first environment, or an entry written before definitions were pinned). */
  readonly commit?: string;
  /** Hash of the definition's base: two commits with the same definition have the same digest. */
  readonly digest: string;
}

export interface ChainEnvironment {
  readonly name: string;
  readonly promotesFrom?: string;
  /** Repository-relative path of environment.ts. */
  readonly file: string;
  /** Repository-relative path of releases.yaml. */
  readonly releasesFile: string;
  readonly releases: Readonly<Record<string, Release>>;
  /** The definition each app with a release renders from here. */
  readonly definitions: Readonly<Record<string, DefinitionRevision>>;
  /** Soak time of the health gate for promotions out of this environment (`promotion.soak`), in seconds. */
  readonly soakSeconds?: number;
  /** Clusters hosting this environment. */
  readonly clusters: readonly string[];
}

export interface ReleaseChain {
  /** In promotion order, the entry environment first. */
  readonly environments: readonly ChainEnvironment[];
  /** App name → tenant, from `apps/<tenant>/<app>/app.ts`. */
  readonly apps: ReadonlyMap<string, string>;
  /** The fleet's last commit (HEAD), which the working tree's definitions are pinned at when promoted; absent outside git. */
  readonly head?: string;
}

/** `30m` → 1800. */
export function durationSeconds(text: string): number {
  const n = Number(text.slice(0, -1));
  return n * ({ s: 1, m: 60, h: 3600 } as Record<string, number>)[text.slice(-1)]!;
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
  const digest = (base: unknown) => createHash("sha256").update(JSON.stringify(base)).digest("hex");
  const working = new Map([...fleet.apps.values()].map((app) => [app.name, digest(app.base)]));
  const environments = [...fleet.environments.values()].map((env): ChainEnvironment => ({
    name: env.def.name,
    ...(env.def.promotesFrom ? { promotesFrom: env.def.promotesFrom } : {}),
    file: env.file,
    releasesFile: env.releasesFile,
    releases: { ...env.releases.apps },
    definitions: Object.fromEntries(Object.keys(env.releases.apps).filter((app) => working.has(app)).map((app) => {
      const pinned = env.definitions[app];
      return [app, pinned ? { commit: pinned.commit, digest: digest(pinned.base) } : { digest: working.get(app)! }];
    })),
    ...(env.def.promotion ? { soakSeconds: durationSeconds(env.def.promotion.soak) } : {}),
    clusters: [...fleet.clusters.values()].filter((c) => c.def.environments.includes(env.def.name)).map((c) => c.def.name).sort(),
  }));
  const head = runGit(root, ["rev-parse", "--verify", "--quiet", "HEAD"], { allowFailure: true }).stdout.trim();
  return { environments, apps: new Map([...fleet.apps.values()].map((app) => [app.name, app.tenant])), ...(head ? { head } : {}) };
}
