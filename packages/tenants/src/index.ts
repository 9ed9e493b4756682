/**
 * Tenant objects per cluster and environment: namespace `<tenant>-<environment>` with Pod
 * Security labels, RBAC for the tenant's groups, ResourceQuota, LimitRange and baseline
 * NetworkPolicies; plus the fleet checks tenants imply. (The tenant's Argo CD AppProject is
 * rendered by @slipway/argocd.)
 */
export { metadata, namespaceOf, tenantLabels, type TenantInstanceContext } from "./context";
export { synthesizeTenant } from "./synthesize";
export { addNamespace, POD_SECURITY_REASON_ANNOTATION, READINESS_GATE_LABEL } from "./namespace";
export { priorityClassObjects, PRIORITY_CLASSES_DIR } from "./priority-classes";
export { addRbac, roleRules, type TenantRole } from "./rbac";
export { addResourceQuota, quotaFor } from "./resource-quota";
export { addLimitRange, CONTAINER_DEFAULTS } from "./limit-range";
export { addNetworkPolicies, DEFAULT_MONITORING_NAMESPACE } from "./network-policies";
export { addSecretStore, EXTERNAL_SECRETS_ADDON } from "./secret-store";
export { addAlerting, ALERTING_NAME } from "./alerting";
export { checkIngressHost, checkTenantAlerting, checkTenantNamespaces, RESERVED_NAMESPACES, type SourcedTenant } from "./checks";
export { checkFleetTenancy, instanceFacts, platformAppInputs, type InstanceFacts } from "./fleet-tenancy";
export { checkTenancy } from "./instance-tenancy";
export { produceTenantUnits, type PlatformNamespaces } from "./fleet-units";
