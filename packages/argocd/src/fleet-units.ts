/**
 * Render units of each cluster's Argo CD objects (bootstrap, AppProjects, ApplicationSets) under
 * `clusters/<cluster>/argocd/`. They depend on the fleet's shape (clusters, environments,
 * tenants, app instances, add-ons), never on an app's contents, so they are produced whole
 * whatever the filter's environment or app.
 */
import { clusterAddonChoices, describeAddon } from "@slipway/addons";
import {
  FleetConsistencyError,
  planAppInstances,
  throwIfAny,
  type Fleet,
  type FleetSettings,
  type RenderFilter,
  type RenderUnit,
  type SlipwayError,
} from "@slipway/core";
import { argocdObjects } from "./cluster-objects";
import type { ArgocdClusterInput, RolloutInput } from "./model";
import { names } from "./names";
import { planRollouts } from "./plan-rollouts";

function checkTopology(fleet: Fleet): void {
  const errors: SlipwayError[] = [];
  for (const { def, file } of fleet.clusters.values()) {
    if (def.argocd.topology !== "hub") continue;
    const hub = fleet.clusters.get(def.argocd.hub)?.def;
    if (!hub || hub.argocd.topology !== "in-cluster" || def.argocd.hub === def.name) {
      errors.push(new FleetConsistencyError(
        hub ? `hub \`${def.argocd.hub}\` must run its own Argo CD (topology \`in-cluster\`)` : `unknown hub cluster \`${def.argocd.hub}\``,
        {
          file, field: "argocd.hub", cluster: def.name,
          expected: [...fleet.clusters.values()].filter((c) => c.def.argocd.topology === "in-cluster" && c.def.name !== def.name).map((c) => c.def.name).join(" | ") || "a cluster with an in-cluster Argo CD",
          received: def.argocd.hub,
          hint: "name a cluster whose `argocd.topology` is `in-cluster`",
        },
      ));
    }
  }
  throwIfAny(errors);
}

export function clusterArgocdInput(fleet: Fleet, settings: FleetSettings, clusterName: string, rollouts: ReadonlyMap<string, RolloutInput[]>): ArgocdClusterInput {
  const { def: cluster, file: clusterFile } = fleet.clusters.get(clusterName)!;
  const choices = clusterAddonChoices(fleet, clusterName);
  const addons = Object.keys(cluster.addons)
    .sort()
    .flatMap((name) => {
      const choice = choices.get(name);
      return choice ? [describeAddon(name, choice.def)] : [];
    });
  return {
    settings,
    cluster,
    clusterFile,
    environments: cluster.environments.map((env) => fleet.environments.get(env)!.def),
    tenants: [...fleet.tenants.values()],
    apps: planAppInstances(fleet, { cluster: clusterName }).map((i) => ({ environment: i.environment, app: i.app, tenant: fleet.apps.get(i.app)!.tenant })),
    addons,
    spokes: [...fleet.clusters.values()]
      .filter((c) => c.def.argocd.topology === "hub" && c.def.argocd.hub === clusterName)
      .map((c) => ({ name: c.def.name, sourceFile: c.file })),
    rollouts: rollouts.get(clusterName) ?? [],
  };
}

export function produceArgocdUnits(fleet: Fleet, filter: RenderFilter = {}): RenderUnit[] {
  const settings = fleet.settings;
  if (!settings) return [];
  checkTopology(fleet);
  const rollouts = planRollouts(fleet);
  const units: RenderUnit[] = [];
  for (const [name, { file }] of [...fleet.clusters].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (filter.cluster && filter.cluster !== name) continue;
    units.push({
      cluster: name,
      dir: "argocd",
      sourceFile: file,
      owner: {},
      layout: "flat",
      objects: argocdObjects(clusterArgocdInput(fleet, settings, name, rollouts)),
      // The one file a person applies by hand: `kubectl apply -f clusters/<cluster>/argocd/bootstrap.yaml`.
      fileNames: { [`Application/${names.bootstrap(name)}`]: "bootstrap.yaml" },
    });
  }
  return units;
}
