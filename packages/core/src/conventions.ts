/**
 * Naming, label and annotation conventions shared by every stage: the renderer writes
 * them, the validator, the diff and Argo CD read them. One place, so they cannot drift.
 */

/** Label keys every rendered object carries. */
export const Labels = {
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  partOf: "app.kubernetes.io/part-of",
  component: "app.kubernetes.io/component",
  managedBy: "app.kubernetes.io/managed-by",
  tenant: "slipway.dev/tenant",
  environment: "slipway.dev/environment",
  app: "slipway.dev/app",
  addon: "slipway.dev/addon",
  /** On pods an AWS load balancer sends traffic to directly (target-type ip); the tenant's policy admits the VPC to them. */
  loadBalanced: "slipway.dev/load-balanced",
} as const;

/** Annotation keys Slipway writes or honours. */
export const Annotations = {
  /** Repository-relative path of the TypeScript file an object was rendered from. */
  source: "slipway.dev/source",
  /** Who approved exposing an ingress to the internet (a ticket or a person); required for `public`. */
  publicIngressApproval: "slipway.dev/public-ingress-approval",
  /**
   * Prefix of a guardrail exemption: `exempt.slipway.dev/<RULE-ID>: <reason>`.
   * The reason is mandatory; exemptions are listed in the validation summary.
   */
  exemptionPrefix: "exempt.slipway.dev/",
  /** On an object an app's `patches` changed after synthesis: which patches, and why. */
  patched: "slipway.dev/patched",
} as const;

export const MANAGED_BY = "slipway";

/** Tenants get one namespace per environment: `<tenant>-<environment>`. */
export function tenantNamespace(tenant: string, environment: string): string {
  return `${tenant}-${environment}`;
}

/** DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
