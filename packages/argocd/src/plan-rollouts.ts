/**
 * Progressive rollouts (`sync.rollout` in an environment): checked against the fleet's clusters
 * and planned onto the Argo CD that runs them. RollingSync steers the Applications of one
 * ApplicationSet in one Argo CD, so every cluster of a rolled-out environment must be managed
 * by the same Argo CD: one cluster and its spokes, or spokes of one hub.
 */
import { destinationName } from "./destination";
import type { RolloutInput } from "./model";
import { FleetConsistencyError, closest, throwIfAny, type Cluster, type SlipwayError, type Fleet, planAppInstances } from "@slipway/core";

/** The cluster whose Argo CD applies this cluster's Applications. */
function managingCluster(cluster: Cluster): string {
  return cluster.argocd.topology === "hub" ? cluster.argocd.hub : cluster.name;
}

/** Rollouts by the cluster whose Argo CD runs them; throws every inconsistency found. */
export function planRollouts(fleet: Fleet): Map<string, RolloutInput[]> {
  const errors: SlipwayError[] = [];
  const byHub = new Map<string, RolloutInput[]>();
  for (const { def: env, file } of fleet.environments.values()) {
    const rollout = env.sync.rollout;
    if (!rollout) continue;
    const at = { file, environment: env.name };
    const hosting = [...fleet.clusters.values()].filter((c) => c.def.environments.includes(env.name)).map((c) => c.def.name).sort();
    const before = errors.length;

    if (env.sync.mode === "manual") {
      errors.push(new FleetConsistencyError("a rollout syncs Applications step by step, which contradicts `sync.mode: manual`", {
        ...at, field: "sync.mode", expected: "automated", received: "manual",
        hint: "set `sync.mode: \"automated\"` and make a step a manual gate with `maxUpdate: 0`, or drop `sync.rollout`",
      }));
    }
    const named = new Set<string>();
    rollout.steps.forEach((step, s) =>
      step.clusters.forEach((cluster, c) => {
        const field = `sync.rollout.steps[${s}].clusters[${c}]`;
        if (named.has(cluster)) {
          errors.push(new FleetConsistencyError(`cluster \`${cluster}\` is named in more than one rollout step`, { ...at, field, hint: "name each cluster in one step only" }));
        } else if (!hosting.includes(cluster)) {
          const suggestion = closest(cluster, hosting);
          errors.push(new FleetConsistencyError(
            fleet.clusters.has(cluster) ? `cluster \`${cluster}\` does not host environment \`${env.name}\`` : `unknown cluster \`${cluster}\``,
            { ...at, field, expected: hosting.join(" | ") || `a cluster hosting ${env.name}`, received: cluster, hint: suggestion ? `did you mean \`${suggestion}\`?` : `name clusters whose cluster.ts lists \`${env.name}\` in \`environments\`` },
          ));
        }
        named.add(cluster);
      }),
    );
    const missing = hosting.filter((c) => !named.has(c));
    if (missing.length) {
      errors.push(new FleetConsistencyError(`the rollout leaves out ${missing.map((c) => `\`${c}\``).join(", ")}, which host${missing.length === 1 ? "s" : ""} environment \`${env.name}\``, {
        ...at, field: "sync.rollout.steps", expected: `every cluster hosting ${env.name}: ${hosting.join(", ")}`, received: [...named].sort().join(", "),
        hint: "add each cluster to a step (a cluster in no step would never be synced)",
      }));
    }
    const managers = new Map(hosting.map((c) => [c, managingCluster(fleet.clusters.get(c)!.def)]));
    const hubs = [...new Set(managers.values())].sort();
    if (hubs.length > 1) {
      errors.push(new FleetConsistencyError("a rollout needs every cluster of the environment managed by one Argo CD; RollingSync steers one ApplicationSet in one Argo CD", {
        ...at, field: "sync.rollout",
        expected: "one managing Argo CD",
        received: hosting.map((c) => `${c} → ${managers.get(c) === c ? "its own Argo CD" : `hub ${managers.get(c)}`}`).join(", "),
        hint: "make the clusters spokes of one hub (`argocd: { topology: \"hub\", hub, registeredName }` in their cluster.ts), or drop `sync.rollout` and stagger the clusters with sync windows",
      }));
    }
    if (errors.length > before || hubs.length === 0) continue;

    const instances = planAppInstances(fleet, { env: env.name }).map((i) => ({
      cluster: i.cluster,
      app: i.app,
      tenant: fleet.apps.get(i.app)!.tenant,
      destinationName: destinationName(fleet.clusters.get(i.cluster)!.def),
    }));
    const hub = hubs[0]!;
    (byHub.get(hub) ?? byHub.set(hub, []).get(hub)!).push({ environment: env, environmentFile: file, instances });
  }
  throwIfAny(errors);
  return byHub;
}
