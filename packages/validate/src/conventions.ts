/**
 * The label and annotation keys of `@slipway/core`'s conventions that the validator reads.
 * Mirrored (not imported) so the validator runs on any YAML without loading the model;
 * `conventions.test.ts` fails if the two drift apart.
 */
export const Labels = {
  partOf: "app.kubernetes.io/part-of",
  tenant: "slipway.dev/tenant",
  environment: "slipway.dev/environment",
  app: "slipway.dev/app",
  addon: "slipway.dev/addon",
} as const;

export const Annotations = {
  publicIngressApproval: "slipway.dev/public-ingress-approval",
  exemptionPrefix: "exempt.slipway.dev/",
} as const;
