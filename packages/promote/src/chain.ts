/**
 * The promotion chain and its lock files: `environments/<env>/environment.ts` says which
 * environment each one promotes from; `environments/<env>/releases.yaml` says which release
 * of each app runs there.
 */
import { createHash } from "node:crypto";
import { governingEnvironmentName, type AddonPin, type Fleet, type Release } from "@slipway/core";
import type { AddonRevision } from "./addon-plan";
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
  /** The clusters whose add-ons this environment governs (the latest of the chain each hosts), in rollout order: `sync.rollout.steps`, else one step. */
  readonly waves: readonly (readonly string[])[];
  /** What each governed cluster renders of each add-on it runs: `addons[addon][cluster]`. */
  readonly addons: Readonly<Record<string, Readonly<Record<string, AddonRevision>>>>;
  /** The lock file's add-on entries as written: `addonPins[addon][cluster]`. */
  readonly addonPins: Readonly<Record<string, Readonly<Record<string, AddonPin>>>>;
}

export interface ReleaseChain {
  /** In promotion order, the entry environment first. */
  readonly environments: readonly ChainEnvironment[];
  /** The add-ons the fleet chooses (addons/<addon>.ts). */
  readonly addons: ReadonlySet<string>;
  /** Each add-on's definition in the working tree (no commit). */
  readonly workingAddons: ReadonlyMap<string, AddonRevision>;
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
    ...governedAddons(fleet, env.def.name, governingEnvironmentName, digest),
  }));
  const head = runGit(root, ["rev-parse", "--verify", "--quiet", "HEAD"], { allowFailure: true }).stdout.trim();
  const workingAddons = new Map([...fleet.addons].map(([name, { def }]) => [name, { version: def.version, digest: digest({ version: def.version, values: def.values }) }]));
  return { environments, addons: new Set(fleet.addons.keys()), workingAddons, apps: new Map([...fleet.apps.values()].map((app) => [app.name, app.tenant])), ...(head ? { head } : {}) };
}

/** The add-on side of an environment: the clusters it governs in rollout order, and what each renders of each add-on. */
function governedAddons(fleet: Fleet, name: string, governing: (fleet: Fleet, hosted: readonly string[]) => string | undefined, digest: (value: unknown) => string): Pick<ChainEnvironment, "waves" | "addons" | "addonPins"> {
  const env = fleet.environments.get(name)!;
  const governed = [...fleet.clusters.values()].filter((c) => governing(fleet, c.def.environments) === name).map((c) => c.def.name).sort();
  const steps = env.def.sync.rollout?.steps.map((step) => step.clusters.filter((c) => governed.includes(c))) ?? [];
  const stepped = new Set(steps.flat());
  const waves = [...steps, governed.filter((c) => !stepped.has(c))].filter((wave) => wave.length > 0);
  const addons: Record<string, Record<string, AddonRevision>> = {};
  for (const cluster of governed) {
    for (const addon of Object.keys(fleet.clusters.get(cluster)!.def.addons).sort()) {
      const choice = fleet.addons.get(addon);
      if (!choice) continue;
      const pin = env.addons?.[addon]?.[cluster];
      const pinned = pin ? { version: pin.version, values: pin.values } : { version: choice.def.version, values: choice.def.values };
      (addons[addon] ??= {})[cluster] = { version: pinned.version, ...(pin ? { commit: pin.commit } : {}), digest: digest(pinned) };
    }
  }
  return { waves, addons, addonPins: env.releases.addons ?? {} };
}
