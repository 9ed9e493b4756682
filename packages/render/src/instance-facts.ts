/**
 * What the tenant and add-on producers need to know about each app instance (does it read
 * secrets, which ingress host does it claim) without resolving every app again. Facts of an
 * instance the render cache vouches for come from the cache; the rest are resolved once per render.
 */
import { resolveApp, type ResolvedApp } from "@slipway/core";
import type { Fleet } from "./fleet";
import type { AppInstance } from "./plan";

export interface InstanceFacts {
  readonly secrets: boolean;
  readonly ingressHost?: string;
  /** The IAM role of an app using EKS Pod Identity (its association goes to the AWS-resources summary). */
  readonly podIdentityRole?: string;
}

const byFleet = new WeakMap<Fleet, Map<string, InstanceFacts>>();

export function instanceId(instance: AppInstance): string {
  return `${instance.cluster}/${instance.environment}/${instance.app}`;
}

function factsMap(fleet: Fleet): Map<string, InstanceFacts> {
  let map = byFleet.get(fleet);
  if (!map) byFleet.set(fleet, (map = new Map()));
  return map;
}

export function factsOf(app: ResolvedApp): InstanceFacts {
  return {
    secrets: app.secrets.length > 0,
    ...(app.ingress ? { ingressHost: app.ingress.host } : {}),
    ...(app.aws?.identity === "pod-identity" ? { podIdentityRole: app.aws.roleArn } : {}),
  };
}

/** Records facts known without resolving (from the render cache). */
export function rememberFacts(fleet: Fleet, instance: AppInstance, facts: InstanceFacts): void {
  factsMap(fleet).set(instanceId(instance), facts);
}

const resolvedByFleet = new WeakMap<Fleet, Map<string, ResolvedApp>>();

/**
 * An app resolved for an instance. Clusters hosting the same environment with the same
 * `appDefaults` resolve an app identically, so the result is shared between them: resolving
 * (layering plus a full schema check) is a large part of synthesizing an instance.
 */
export function resolveInstance(fleet: Fleet, instance: AppInstance): ResolvedApp {
  let memo = resolvedByFleet.get(fleet);
  if (!memo) resolvedByFleet.set(fleet, (memo = new Map()));
  const cluster = fleet.clusters.get(instance.cluster)!.def;
  const key = `${instance.app}\u0000${instance.environment}\u0000${JSON.stringify(cluster.appDefaults)}`;
  let app = memo.get(key);
  if (!app) {
    app = resolveApp(fleet.apps.get(instance.app)!, fleet.environments.get(instance.environment)!.def, cluster);
    memo.set(key, app);
  }
  return app;
}

/** The facts of an instance: remembered, or resolved now (which also checks the app in that environment). */
export function instanceFacts(fleet: Fleet, instance: AppInstance): InstanceFacts {
  const map = factsMap(fleet);
  const id = instanceId(instance);
  let facts = map.get(id);
  if (!facts) map.set(id, (facts = factsOf(resolveInstance(fleet, instance))));
  return facts;
}
