/**
 * What a tenant may use in AWS and at the edge, derived in one place from tenant.ts and the
 * cluster's facts: the Secrets Manager prefixes it reads, the IAM roles its apps may name, the
 * role its namespaced SecretStore uses, and which certificate and WAF ACL an ingress gets.
 */
import type { Cluster, Tenant } from "./fleet-schema";

/** Secrets Manager name prefixes the tenant's apps may read. @default [`<tenant>/`] */
export function tenantSecretPrefixes(tenant: Tenant): readonly string[] {
  return tenant.aws.secretPrefixes ?? [`${tenant.name}/`];
}

/** IAM role name patterns (path included) the tenant's apps may name. @default [`<tenant>-*`] */
export function tenantRolePatterns(tenant: Tenant): readonly string[] {
  return tenant.aws.rolePatterns ?? [`${tenant.name}-*`];
}

/** The ServiceAccount in each tenant namespace whose IRSA role the tenant's SecretStore uses. */
export const TENANT_SECRETS_SERVICE_ACCOUNT = "tenant-secrets";
/** The namespaced SecretStore in each tenant namespace; every ExternalSecret of the tenant reads through it. */
export const TENANT_SECRET_STORE = "tenant-secrets";

/** `aws`, `aws-us-gov` or `aws-cn`, from the region. */
export function awsPartition(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

/**
 * The IAM role of the tenant's SecretStores on a cluster: `<cluster>-<tenant>-secrets` in the
 * cluster's account. Per cluster, because its trust policy names the cluster's OIDC provider.
 */
export function tenantSecretsRoleArn(tenant: string, cluster: Cluster): string {
  return `arn:${awsPartition(cluster.aws.region)}:iam::${cluster.aws.accountId}:role/${cluster.name}-${tenant}-secrets`;
}

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return { partition: parts[1]!, service: parts[2]!, region: parts[3]!, account: parts[4]!, resource: parts.slice(5).join(":") };
}

/** The secret's name from `secrets[].from`: a name as written, or the name inside an ARN (without its random suffix). */
export function secretsManagerName(from: string): string {
  const arn = parseArn(from);
  if (!arn) return from;
  const name = arn.resource.replace(/^secret:/, "");
  // Secrets Manager appends `-` and six random characters to the name in a secret's ARN.
  return name.replace(/-[A-Za-z0-9]{6}$/, "");
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*");
  return new RegExp(`^${escaped}$`);
}

/** The role's name with its path (what follows `:role/`), or undefined for an ARN that is no IAM role. */
export function roleNameOf(roleArn: string): string | undefined {
  const arn = parseArn(roleArn);
  return arn && arn.service === "iam" && arn.resource.startsWith("role/") ? arn.resource.slice("role/".length) : undefined;
}

export function roleMatches(roleArn: string, patterns: readonly string[]): boolean {
  const name = roleNameOf(roleArn);
  return name !== undefined && patterns.some((p) => globToRegExp(p).test(name));
}

function inDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** The cluster's certificate for a host: the entry of the longest domain the host is in. */
export function clusterCertificateFor(cluster: Cluster, host: string): { domain: string; arn: string } | undefined {
  const domains = Object.keys(cluster.edge.certificates).filter((d) => inDomain(host, d)).sort((a, b) => b.length - a.length);
  return domains[0] === undefined ? undefined : { domain: domains[0], arn: cluster.edge.certificates[domains[0]]! };
}

/** The certificate and WAF ACL an ingress gets on a cluster: its own, else the cluster's. */
export function ingressEdge(
  ingress: { readonly host: string; readonly exposure: "internal" | "public"; readonly certificateArn?: string | undefined; readonly wafAclArn?: string | undefined },
  cluster: Cluster,
): { certificateArn?: string; certificateFrom?: "app" | "cluster"; wafAclArn?: string; wafFrom?: "app" | "cluster" } {
  const clusterCert = clusterCertificateFor(cluster, ingress.host);
  const certificate = ingress.certificateArn
    ? { certificateArn: ingress.certificateArn, certificateFrom: "app" as const }
    : clusterCert
      ? { certificateArn: clusterCert.arn, certificateFrom: "cluster" as const }
      : {};
  const waf = ingress.wafAclArn
    ? { wafAclArn: ingress.wafAclArn, wafFrom: "app" as const }
    : ingress.exposure === "public" && cluster.edge.wafAclArn
      ? { wafAclArn: cluster.edge.wafAclArn, wafFrom: "cluster" as const }
      : {};
  return { ...certificate, ...waf };
}

/** Whether a host is declared shared with other clusters by this cluster. */
export function sharedHost(cluster: Cluster, host: string): boolean {
  return cluster.edge.sharedHosts.includes(host);
}

/** Where the tenant's alerts go in an environment: the environment's `alerting`, else the tenant's. */
export function tenantAlerting(tenant: Tenant, environment: string): Tenant["alerting"] {
  return tenant.environments[environment]?.alerting ?? tenant.alerting;
}

/**
 * The label the monitoring add-on's Alertmanager selects AlertmanagerConfigs by; the tenants
 * library puts it on each tenant's config. One definition, so the two cannot drift.
 */
export const ALERTMANAGER_CONFIG_LABEL = { "slipway.dev/alertmanager": "platform" } as const;
/** The monitoring add-on, whose Alertmanager routes tenants' alerts. */
export const MONITORING_ADDON = "monitoring";
