/**
 * Producer: one unit per add-on switched on for a cluster (`clusters/<cluster>/addons/<addon>/`),
 * plus the cluster's AWS-resources summary (`clusters/<cluster>/aws-resources/`), the hand-off
 * to the infrastructure code.
 */
import {
  AWS_RESOURCES_KIND,
  checkAddonChoices,
  clusterAwsResources,
  planClusterAddons,
  renderAwsResources,
  synthesizeAddon,
  withAppRoles,
  type AppBackup,
  type AppPodIdentity,
  type AppRoleUse,
  type PlannedAddon,
  type TenantSecretsRole,
} from "@slipway/addons";
import {
  TENANT_SECRETS_SERVICE_ACCOUNT,
  tenantNamespace,
  tenantSecretPrefixes,
  tenantSecretsRoleArn,
  throwIfAny,
  type Environment,
  type SlipwayError,
} from "@slipway/core";
import { EXTERNAL_SECRETS_ADDON } from "@slipway/tenants";
import type { Fleet } from "./fleet";
import { planAppInstances, resolveInstance } from "./produce-apps";
import { instanceFacts, type InstanceFacts } from "./tenancy";
import type { RenderFilter, RenderUnit } from "./units";

export const AWS_RESOURCES_DIR = "aws-resources";

/** The environment whose policy governs a cluster's add-ons: the latest in the promotion chain it hosts. */
export function governingEnvironment(fleet: Fleet, hosted: readonly string[]): Environment {
  const ordered = [...fleet.environments.keys()].filter((e) => hosted.includes(e));
  return fleet.environments.get(ordered[ordered.length - 1]!)!.def;
}

/**
 * Apps on a cluster whose ServiceAccount takes its IAM role through EKS Pod Identity: their
 * associations are made on the AWS side, so they belong in the cluster's AWS-resources summary.
 * Only instances whose definition asks for Pod Identity somewhere are resolved.
 */
function appPodIdentities(fleet: Fleet, cluster: string): AppPodIdentity[] {
  const out: AppPodIdentity[] = [];
  for (const instance of planAppInstances(fleet, { cluster })) {
    const loaded = fleet.apps.get(instance.app)!;
    if (!JSON.stringify([loaded.base.aws, loaded.environments[instance.environment]?.aws]).includes("pod-identity")) continue;
    const aws = resolveInstance(fleet, instance).aws;
    if (aws?.identity !== "pod-identity") continue;
    out.push({ app: loaded.name, namespace: tenantNamespace(loaded.tenant, instance.environment), serviceAccount: loaded.name, roleArn: aws.roleArn });
  }
  return out;
}

/** The add-ons a cluster runs, each with the context its module generates from. */
export function planFleetAddons(fleet: Fleet, clusterName: string, facts: readonly InstanceFacts[] = instanceFacts(fleet)): PlannedAddon[] {
  const { def: cluster, file: clusterFile } = fleet.clusters.get(clusterName)!;
  return planClusterAddons({
    cluster,
    clusterFile,
    environment: governingEnvironment(fleet, cluster.environments),
    choices: fleet.addons,
    appBackups: appBackups(facts, clusterName),
  });
}

/** The apps on a cluster that ask for their own Velero Schedule. */
function appBackups(facts: readonly InstanceFacts[], clusterName: string): AppBackup[] {
  return facts
    .filter((f) => f.instance.cluster === clusterName && f.backup)
    .map((f): AppBackup => ({ app: f.instance.app, tenant: f.tenant, environment: f.instance.environment, namespace: f.namespace, schedule: f.backup!.schedule, ttl: f.backup!.ttl, sourceFile: f.file }));
}

/** The roles the cluster's apps name (each use: app, environment, ServiceAccount) and its tenants' SecretStore roles. */
function clusterAppRoles(fleet: Fleet, clusterName: string, facts: readonly InstanceFacts[]): { uses: AppRoleUse[]; tenants: TenantSecretsRole[] } {
  const cluster = fleet.clusters.get(clusterName)!.def;
  const uses = facts
    .filter((f) => f.instance.cluster === clusterName && f.aws)
    .map((f): AppRoleUse => ({
      arn: f.aws!.roleArn, identity: f.aws!.identity, tenant: f.tenant, app: f.instance.app,
      environment: f.instance.environment, namespace: f.namespace, serviceAccount: f.instance.app,
    }));
  const tenants = !Object.hasOwn(cluster.addons, EXTERNAL_SECRETS_ADDON)
    ? []
    : [...fleet.tenants.values()].map(({ def }): TenantSecretsRole => ({
        arn: tenantSecretsRoleArn(def.name, cluster),
        tenant: def.name,
        namespaces: cluster.environments.map((env) => tenantNamespace(def.name, env)),
        serviceAccount: TENANT_SECRETS_SERVICE_ACCOUNT,
        secretPrefixes: tenantSecretPrefixes(def),
      }));
  return { uses, tenants };
}

export function produceAddonUnits(fleet: Fleet, filter: RenderFilter = {}): RenderUnit[] {
  checkAddonChoices(fleet.addons, [...fleet.environments.keys()], [...fleet.clusters.keys()]);
  if (filter.app || filter.env) return [];
  const units: RenderUnit[] = [];
  const facts = instanceFacts(fleet);
  const errors: SlipwayError[] = [];
  for (const [clusterName, { def: cluster, file: clusterFile }] of [...fleet.clusters].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (filter.cluster && filter.cluster !== clusterName) continue;
    try {
      const planned = planFleetAddons(fleet, clusterName, facts);
      for (const addon of planned) {
        const objects = synthesizeAddon(addon);
        const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter(Boolean));
        units.push({
          cluster: clusterName,
          dir: `addons/${addon.module.name}`,
          sourceFile: addon.context.sourceFile,
          owner: { addon: addon.module.name },
          // One directory per namespace only where an add-on writes into several.
          layout: namespaces.size > 1 ? "by-namespace" : "flat",
          objects,
        });
      }
      const podIdentities = appPodIdentities(fleet, clusterName);
      if (planned.length > 0 || podIdentities.length > 0) {
        const roles = clusterAppRoles(fleet, clusterName, facts);
        const summary = withAppRoles(renderAwsResources(cluster, clusterFile, clusterAwsResources(planned, podIdentities)), cluster, roles.uses, roles.tenants);
        units.push({
          cluster: clusterName,
          dir: AWS_RESOURCES_DIR,
          sourceFile: clusterFile,
          owner: {},
          layout: "flat",
          objects: [summary],
        });
      }
    } catch (error) {
      const collected = (error as { errors?: SlipwayError[] }).errors;
      if (collected || (error as SlipwayError).details) errors.push(...(collected ?? [error as SlipwayError]));
      else throw error;
    }
  }
  throwIfAny(errors);
  return units;
}

export { AWS_RESOURCES_KIND };
