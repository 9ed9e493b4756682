/**
 * Progressive rollout across clusters: for an environment with `sync.rollout`, the Argo CD that
 * manages all of its clusters (a hub, or the one cluster whose spokes the others are) holds one
 * ApplicationSet per app with a RollingSync strategy. Its list generator has one element per
 * cluster running the app; each step selects Applications by their `slipway.dev/cluster` label,
 * and a step starts once every Application of the previous one is healthy.
 *
 * One set per app, not per tenant: a step waits for all of its Applications, so an unhealthy
 * app would otherwise hold back its neighbours' releases.
 *
 * The Applications keep the names, labels and projects the per-cluster sets give them
 * (`<cluster>-<env>-<app>`, project `<cluster>-<tenant>`), so switching a rollout on or off
 * moves them between sets without renaming anything. The project is templated from the list
 * elements, which render writes; no directory name can choose it.
 */
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { Labels, tenantNamespace } from "@slipway/core";
import { appMeta, appsCommon, fleetSource, setMeta } from "./application-set";
import type { ArgocdClusterInput, RolloutInput } from "./model";
import { CLUSTER_LABEL, STAGE_LABEL, Stage, names } from "./names";
import { HPA_REPLICAS, rolloutSyncPolicy } from "./sync-policy";

/** The rollout sets of every rollout this cluster's Argo CD runs, sorted by environment and app. */
export function rolloutSets(input: ArgocdClusterInput): ApplicationSet[] {
  return [...(input.rollouts ?? [])]
    .sort((a, b) => (a.environment.name < b.environment.name ? -1 : 1))
    .flatMap((rollout) => {
      const apps = [...new Set(rollout.instances.map((i) => i.app))].sort();
      return apps.map((app) => rolloutSet(input, rollout, app));
    });
}

function rolloutSet(input: ArgocdClusterInput, rollout: RolloutInput, app: string): ApplicationSet {
  const hub = input.cluster.name;
  const env = rollout.environment;
  const steps = env.sync.rollout!.steps;
  const instances = rollout.instances.filter((i) => i.app === app);
  const tenant = instances[0]!.tenant;
  const stepOf = (cluster: string) => steps.findIndex((s) => s.clusters.includes(cluster));
  const elements = [...instances]
    .sort((a, b) => stepOf(a.cluster) - stepOf(b.cluster) || (a.cluster < b.cluster ? -1 : 1))
    .map((i) => ({ cluster: i.cluster, destination: i.destinationName, path: ["clusters", i.cluster, env.name, app].join("/") }));
  // Steps naming none of the app's clusters are left out: the app's rollout has only its own stages.
  const running = new Set(instances.map((i) => i.cluster));
  const rollingSteps = steps
    .map((step) => ({ ...step, clusters: step.clusters.filter((c) => running.has(c)) }))
    .filter((step) => step.clusters.length > 0)
    .map((step) => ({
      matchExpressions: [{ key: CLUSTER_LABEL, operator: "In", values: [...step.clusters].sort() }],
      ...(step.maxUpdate !== undefined ? { maxUpdate: step.maxUpdate } : {}),
    }));
  return new ApplicationSet({
    metadata: setMeta(input, names.rolloutSet(hub, env.name, app), rollout.environmentFile),
    spec: {
      generators: [{ list: { elements } }],
      strategy: { type: "RollingSync", rollingSync: { steps: rollingSteps } },
      ...appsCommon({
        metadata: appMeta(input, names.app("{{.cluster}}", env.name, app), String(Stage.apps.wave), {
          [CLUSTER_LABEL]: "{{.cluster}}",
          [Labels.environment]: env.name,
          [Labels.tenant]: tenant,
          [Labels.app]: app,
          [STAGE_LABEL]: Stage.apps.name,
        }),
        spec: {
          project: names.tenantProject("{{.cluster}}", tenant),
          source: fleetSource(input, "{{.path}}"),
          destination: { name: "{{.destination}}", namespace: tenantNamespace(tenant, env.name) },
          syncPolicy: rolloutSyncPolicy(),
          ignoreDifferences: HPA_REPLICAS,
        },
      }),
    },
  });
}
