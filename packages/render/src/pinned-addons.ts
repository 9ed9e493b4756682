/**
 * Add-on definitions pinned per cluster by the lock files (`addons.<addon>.<cluster>` in
 * `environments/<env>/releases.yaml`): the add-on's `version` and `values` as of a fleet commit,
 * loaded by the one loader from that commit's sources (pinned-sources.ts), like the apps' pins.
 *
 * A cluster's add-ons are governed by one environment, the latest of the promotion chain it
 * hosts (`governingEnvironmentName` in @slipway/core): that environment's lock file pins them. The
 * first environment pins nothing: it renders the working tree, so an edit of `addons/<addon>.ts`
 * reaches the first environment's clusters only, and `slipway promote --addon` carries it on.
 */
import { rmSync } from "node:fs";
import {
  AddonChoiceSchema,
  DefinitionError,
  FleetConsistencyError,
  SlipwayError,
  checkDefinition,
  governingEnvironmentName,
  throwIfAny,
  type AddonChoice,
  type AddonPin,
  type Fleet,
  type LoadedEnvironment,
  type PinnedAddon,
} from "@slipway/core";
import { DefinitionModules, nodeModulesOf } from "./definition-modules";
import { existsAt, materializeCommit, resolveCommit } from "./pinned-sources";

interface PinUse {
  readonly env: string;
  readonly addon: string;
  readonly cluster: string;
  readonly pin: AddonPin;
  readonly releasesFile: string;
  readonly file: string;
}

/** Every pin is checked against the fleet (known add-on, a cluster this environment governs that runs it) before any commit is read. */
function pinUses(fleet: Fleet): PinUse[] {
  const errors: SlipwayError[] = [];
  const uses: PinUse[] = [];
  for (const [envName, env] of fleet.environments) {
    for (const [addon, byCluster] of Object.entries(env.releases.addons ?? {})) {
      const choice = fleet.addons.get(addon);
      for (const [clusterName, pin] of Object.entries(byCluster)) {
        const field = `addons.${addon}.${clusterName}`;
        const cluster = fleet.clusters.get(clusterName);
        if (!env.def.promotesFrom) {
          errors.push(new FleetConsistencyError(`${envName} is the first environment: its clusters render add-ons from the working tree, so it pins none`, {
            file: env.releasesFile, field, hint: "remove the `addons:` entry; `slipway promote --addon` pins add-ons in the next environments",
          }));
        } else if (!choice) {
          errors.push(new FleetConsistencyError(`pins add-on \`${addon}\`, which the fleet does not choose (no addons/${addon}.ts)`, {
            file: env.releasesFile, field: `addons.${addon}`, expected: [...fleet.addons.keys()].join(" | "), hint: "remove the entry, or add the add-on's definition",
          }));
        } else if (!cluster || governingEnvironmentName(fleet, cluster.def.environments) !== envName) {
          const governed = [...fleet.clusters.values()].filter((c) => governingEnvironmentName(fleet, c.def.environments) === envName).map((c) => c.def.name);
          errors.push(new FleetConsistencyError(`pins ${addon} on \`${clusterName}\`, which is not a cluster whose add-ons ${envName} governs`, {
            file: env.releasesFile, field, expected: governed.join(" | ") || "(none)", received: clusterName,
            hint: "a cluster's add-ons are pinned by the latest environment of the chain it hosts; correct the cluster name or move the entry",
          }));
        } else if (!Object.hasOwn(cluster.def.addons, addon)) {
          errors.push(new FleetConsistencyError(`pins ${addon} on ${clusterName}, which does not switch it on`, {
            file: env.releasesFile, field, hint: `remove the entry, or switch the add-on on in ${cluster.file}`,
          }));
        } else {
          uses.push({ env: envName, addon, cluster: clusterName, pin, releasesFile: env.releasesFile, file: choice.file });
        }
      }
    }
  }
  throwIfAny(errors);
  return uses;
}

/** The fleet with each environment's add-on pins loaded (`LoadedEnvironment.addons`). */
export async function withPinnedAddons(fleet: Fleet, env: Record<string, string | null>): Promise<Fleet> {
  const uses = pinUses(fleet);
  if (uses.length === 0) return fleet;
  const byCommit = new Map<string, PinUse[]>();
  for (const use of uses) {
    const commit = resolveCommit(fleet.root, use.pin.definition, use.releasesFile);
    (byCommit.get(commit) ?? byCommit.set(commit, []).get(commit)!).push(use);
  }
  const pinned = new Map<string, Record<string, Record<string, PinnedAddon>>>();
  for (const [commit, group] of [...byCommit].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const use of group) {
      if (!existsAt(fleet.root, commit, use.file)) {
        throw new DefinitionError(`pins ${use.addon} on ${use.cluster} at fleet commit ${commit.slice(0, 12)}, where ${use.file} does not exist`, {
          file: use.releasesFile, field: `addons.${use.addon}.${use.cluster}.definition`,
          hint: `promote a definition that has the add-on (\`slipway promote --addon ${use.addon} --to ${use.env}\`), or correct the commit`,
        });
      }
    }
    const dir = materializeCommit(fleet.root, commit, nodeModulesOf(fleet.root));
    const modules = new DefinitionModules(dir, env);
    try {
      const files = [...new Set(group.map((u) => u.file))].sort();
      await modules.compile(files);
      const defs = new Map<string, AddonChoice>();
      for (const file of files) {
        try {
          defs.set(file, checkDefinition((await modules.import(file)).default, "addon", AddonChoiceSchema, file));
        } catch (error) {
          if (!(error instanceof SlipwayError)) throw error;
          throw new DefinitionError(`as of fleet commit ${commit.slice(0, 12)} (pinned by a lock file) ${error.message}`, { file, hint: "promote a definition that loads, or correct the commit in the lock file" });
        }
      }
      for (const use of group) {
        const def = defs.get(use.file)!;
        if (def.version !== use.pin.version) {
          throw new DefinitionError(`says ${use.addon} ${use.pin.version} on ${use.cluster}, but ${use.file} at ${commit.slice(0, 12)} chooses ${def.version}`, {
            file: use.releasesFile, field: `addons.${use.addon}.${use.cluster}.version`, expected: def.version, received: use.pin.version,
            hint: "the version is written out for reviewers and must be the pinned commit's: promote with `slipway promote --addon`, which writes both",
          });
        }
        const envPins = pinned.get(use.env) ?? pinned.set(use.env, {}).get(use.env)!;
        (envPins[use.addon] ??= {})[use.cluster] = { commit, version: def.version, values: def.values };
      }
    } finally {
      modules.dispose();
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  }
  const environments = new Map<string, LoadedEnvironment>([...fleet.environments].map(([name, e]) => [name, pinned.has(name) ? { ...e, addons: pinned.get(name)! } : e]));
  return { ...fleet, environments };
}

/** Every pin of the fleet, for the render plan's key of the add-on units. */
export function addonPinsKey(fleet: Fleet): string {
  return JSON.stringify([...fleet.environments].map(([name, e]) => [name, e.addons ?? {}]));
}
