/**
 * Render units of add-ons: one per add-on switched on for a cluster (`clusters/<cluster>/addons/<addon>/`),
 * plus the cluster's AWS-resources summary (`clusters/<cluster>/aws-resources/`), the hand-off
 * to the infrastructure code.
 */
import {
  governingEnvironmentName,
  planAppInstances,
  resolveInstance,
  TENANT_SECRETS_SERVICE_ACCOUNT,
  tenantNamespace,
  tenantSecretPrefixes,
  tenantSecretsRoleArn,
  throwIfAny,
  type Environment,
  type Fleet,
  type RenderFilter,
  type RenderUnit,
  type SlipwayError,
} from "@slipway/core";
import { EXTERNAL_SECRETS_ADDON, instanceFacts, type InstanceFacts } from "@slipway/tenants";
import { withAppRoles, type AppRoleUse, type TenantSecretsRole } from "./app-roles";
import { renderAwsResources } from "./aws-resources";
import { checkAddonChoices, planClusterAddons, type PlannedAddon, type SourcedChoice } from "./plan";
import { clusterAwsResources, synthesizeAddon, type AppPodIdentity } from "./synthesize";
import type { AppBackup } from "./types";

export const AWS_RESOURCES_DIR = "aws-resources";

/** The environment whose policy governs a cluster's add-ons: the latest in the promotion chain it hosts. */
export function governingEnvironment(fleet: Fleet, hosted: readonly string[]): Environment {
  return fleet.environments.get(governingEnvironmentName(fleet, hosted)!)!.def;
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


/**
 * The add-on choices a cluster renders: each pinned one with the version and values of its pin
 * (its `environments` and `clusters` blocks from the working tree), the others as in the working tree.
 */
export function clusterAddonChoices(fleet: Fleet, clusterName: string): ReadonlyMap<string, SourcedChoice> {
  const cluster = fleet.clusters.get(clusterName)!.def;
  const governing = governingEnvironmentName(fleet, cluster.environments);
  const pins = governing ? fleet.environments.get(governing)!.addons : undefined;
  if (!pins) return fleet.addons;
  return new Map([...fleet.addons].map(([name, choice]) => {
    const pin = pins[name]?.[clusterName];
    return [name, pin ? { file: choice.file, def: { ...choice.def, version: pin.version, values: pin.values } } : choice];
  }));
}

/** The add-ons a cluster runs, each with the context its module generates from. */
export function planFleetAddons(fleet: Fleet, clusterName: string, facts: readonly InstanceFacts[] = instanceFacts(fleet)): PlannedAddon[] {
  const { def: cluster, file: clusterFile } = fleet.clusters.get(clusterName)!;
  return planClusterAddons({
    cluster,
    clusterFile,
    environment: governingEnvironment(fleet, cluster.environments),
    choices: clusterAddonChoices(fleet, clusterName),
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
  // A pinned version must be one the generator still supports, too (blamed on the lock file).
  for (const env of fleet.environments.values()) {
    for (const [addon, byCluster] of Object.entries(env.addons ?? {})) {
      for (const pin of new Set(Object.values(byCluster).map((p) => p.version))) {
        checkAddonChoices(new Map([[addon, { file: env.releasesFile, def: { ...fleet.addons.get(addon)!.def, version: pin, environments: {}, clusters: {} } }]]), [], []);
      }
    }
  }
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

