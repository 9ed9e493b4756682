/**
 * Fleet checks a tenant definition implies: every rendered namespace has exactly one owner, and
 * app ingress hosts stay inside the tenant's and the cluster's domains.
 */
import { FleetConsistencyError, MONITORING_ADDON, PolicyError, closest, receiverSecrets, tenantAlerting, tenantNamespace, throwIfAny, type Cluster, type SlipwayError, type Tenant } from "@slipway/core";

/** Namespaces no tenant may take: Kubernetes' own and the platform's. */
export const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease", "argocd"] as const;

export interface SourcedTenant {
  readonly def: Tenant;
  readonly file: string;
}

/**
 * `<tenant>-<environment>` can collide: tenant `a` in environment `b-prod` and tenant `a-b` in
 * `prod` both make `a-b-prod`. Every name is checked against every other tenant and environment,
 * the reserved namespaces and the add-ons' namespaces.
 */
export function checkTenantNamespaces(tenants: readonly SourcedTenant[], environments: readonly string[], addonNamespaces: Readonly<Record<string, string>>): void {
  const errors: SlipwayError[] = [];
  const owners = new Map<string, string>();
  for (const ns of RESERVED_NAMESPACES) owners.set(ns, "Kubernetes or the platform (reserved)");
  for (const [addon, ns] of Object.entries(addonNamespaces)) owners.set(ns, `add-on ${addon}`);
  for (const { def, file } of [...tenants].sort((a, b) => (a.def.name < b.def.name ? -1 : 1))) {
    for (const env of environments) {
      const ns = tenantNamespace(def.name, env);
      const owner = owners.get(ns);
      if (owner) {
        errors.push(new FleetConsistencyError(`namespace \`${ns}\` (tenant ${def.name}, environment ${env}) is already claimed by ${owner}`, {
          file, field: "name", environment: env,
          expected: "a tenant name whose `<tenant>-<environment>` namespaces are unique",
          hint: "rename the tenant so no `<tenant>-<environment>` equals another tenant's namespace, an add-on's or a reserved one",
        }));
      } else {
        owners.set(ns, `tenant ${def.name} in environment ${env} (${file})`);
      }
    }
    for (const env of Object.keys(def.environments)) {
      if (!environments.includes(env)) {
        const guess = closest(env, environments);
        errors.push(new FleetConsistencyError(`unknown environment \`${env}\``, {
          file, field: `environments.${env}`, expected: environments.join(" | "), received: env, hint: guess ? `did you mean \`${guess}\`?` : "remove the layer or define the environment",
        }));
      }
    }
  }
  throwIfAny(errors);
}

function inDomain(host: string, suffix: string): boolean {
  return host === suffix || host.endsWith(`.${suffix}`);
}

/** An app's ingress host must end in one of its tenant's suffixes and one of the cluster's domains. */
export function checkIngressHost(host: string, tenant: SourcedTenant, cluster: Cluster, location: { file: string; app: string; environment: string }): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const base = { ...location, cluster: cluster.name, field: "ingress.host", received: host };
  if (!tenant.def.ingressHostSuffixes.some((s) => inDomain(host, s))) {
    errors.push(new PolicyError(`ingress host \`${host}\` is outside the domains tenant ${tenant.def.name} may use`, {
      ...base, expected: tenant.def.ingressHostSuffixes.map((s) => `*.${s}`).join(" | ") || "none (the tenant has no `ingressHostSuffixes`)",
      hint: `use a host under one of them, or add the suffix to \`ingressHostSuffixes\` in ${tenant.file}`,
    }));
  }
  if (!cluster.ingressDomains.some((d) => inDomain(host, d))) {
    errors.push(new PolicyError(`ingress host \`${host}\` is not served by cluster ${cluster.name}`, {
      ...base, expected: cluster.ingressDomains.map((d) => `*.${d}`).join(" | ") || "none (the cluster has no `ingressDomains`)",
      hint: `use a host under the cluster's ingressDomains (override \`ingress.host\` for ${location.environment} in ${location.file})`,
    }));
  }
  return errors;
}

/**
 * What a tenant's alert routing needs of a cluster that runs the monitoring add-on: receivers with
 * credentials need external-secrets (their Secret comes from Secrets Manager through it), SNS
 * receivers the Alertmanager's IAM role (`facts.roles.alertmanager`, with the add-on's
 * `alertmanager.sns`).
 */
export function checkTenantAlerting(tenant: SourcedTenant, cluster: Cluster, clusterFile: string): SlipwayError[] {
  if (!Object.hasOwn(cluster.addons, MONITORING_ADDON)) return [];
  const errors: SlipwayError[] = [];
  for (const env of cluster.environments) {
    const alerting = tenantAlerting(tenant.def, env);
    if (!alerting) continue;
    const field = tenant.def.environments[env]?.alerting ? `environments.${env}.alerting` : "alerting";
    if (receiverSecrets(alerting).length > 0 && !Object.hasOwn(cluster.addons, "external-secrets")) {
      errors.push(new FleetConsistencyError(`receivers of tenant ${tenant.def.name} read credentials from Secrets Manager, but cluster ${cluster.name} does not run external-secrets`, {
        file: tenant.file, field: `${field}.receivers`, environment: env, cluster: cluster.name,
        expected: "the external-secrets add-on on every cluster whose tenants' receivers have credentials",
        hint: `switch \`"external-secrets": true\` on in ${clusterFile}, or use an \`sns\` receiver there`,
      }));
    }
    if (alerting.receivers.some((r) => r.type === "sns") && !cluster.facts.roles.alertmanager) {
      errors.push(new FleetConsistencyError(`an SNS receiver of tenant ${tenant.def.name} needs the Alertmanager's IAM role on cluster ${cluster.name}`, {
        file: tenant.file, field: `${field}.receivers`, environment: env, cluster: cluster.name,
        expected: "`facts.roles.alertmanager` in the cluster's cluster.ts and `alertmanager: { sns: true }` in the monitoring add-on's values",
        hint: `add \`facts: { roles: { alertmanager: "arn:aws:iam::${cluster.aws.accountId}:role/${cluster.name}-alertmanager" } }\` to ${clusterFile} and \`values: { alertmanager: { sns: true } }\` to addons/monitoring.ts`,
      }));
    }
  }
  return errors;
}
