/**
 * Helm-free add-ons for EKS: one module per add-on, each a typed generator with a pinned upstream
 * version. `describeAddon` and `addonNames` are what the Argo CD library needs; the render
 * pipeline uses `planClusterAddons` and `synthesizeAddon`.
 */
export { addonNames, addonNamespaces, findAddon } from "./registry";
export { describeAddon, requireAddon, upstreamTag } from "./describe";
export { AddonWave, ResourceWave, SYNC_WAVE_ANNOTATION } from "./waves";
export { SELF_REPO, defineAddonModule } from "./types";
export type {
  AddonContext,
  AddonCrds,
  AddonDescription,
  AddonIdentity,
  AddonModule,
  AnyAddonModule,
  AwsResource,
  CrdRef,
  CrdSource,
  FactRequirement,
  IamTrust,
  IdentityMode,
} from "./types";
export { checkAddonChoices, planClusterAddons, type AddonRequirement, type ClusterAddonsInput, type PlannedAddon, type SourcedChoice } from "./plan";
export { clusterAwsResources, synthesizeAddon, type AppPodIdentity } from "./synthesize";
export { AWS_RESOURCES_API_VERSION, AWS_RESOURCES_KIND, renderAwsResources } from "./aws-resources";
export { withAppRoles, type AppRoleUse, type TenantSecretsRole } from "./app-roles";
export { AWS_RESOURCES_DIR, clusterAddonChoices, governingEnvironment, planFleetAddons, produceAddonUnits } from "./fleet-units";
export { MONITORING_NAMESPACE } from "./modules/monitoring";
export { SECRETS_MANAGER_STORE } from "./modules/external-secrets";
export { ALB_CLASS } from "./modules/aws-load-balancer-controller";
export { GP3_STORAGE_CLASS } from "./modules/aws-ebs-csi-driver";
export type { AppBackup, ScrapeTarget } from "./types";
export { checkSource, checkSources, includeMatcher, type CheckSourcesOptions, type SourceCheck, type SourceProblem, type SourceProblemCode, type SourceTarget } from "./check-sources";
