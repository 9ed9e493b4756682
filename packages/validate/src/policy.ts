/**
 * Guardrail policies for `--policy <env>` on arbitrary files: the environment's policy
 * from the rendered index when the repository has one, else a built-in preset.
 */
import type { GuardrailPolicy } from "./types";

/** Private ECR registries of any account and region, and ECR Public. */
export const DEFAULT_TRUSTED_REGISTRIES: readonly string[] = ["*.dkr.ecr.*.amazonaws.com/", "public.ecr.aws/"];

const PROD: GuardrailPolicy = { guardrails: "strict", minReplicas: 2, requirePdb: true, requireDigest: true, trustedRegistries: DEFAULT_TRUSTED_REGISTRIES };
const STAGING: GuardrailPolicy = { guardrails: "strict", minReplicas: 2, requirePdb: true, requireDigest: false, trustedRegistries: DEFAULT_TRUSTED_REGISTRIES };
const DEV: GuardrailPolicy = { guardrails: "relaxed", minReplicas: 1, requirePdb: false, requireDigest: false, trustedRegistries: DEFAULT_TRUSTED_REGISTRIES };

export const POLICY_PRESETS: Readonly<Record<string, GuardrailPolicy>> = {
  prod: PROD,
  production: PROD,
  staging: STAGING,
  stage: STAGING,
  dev: DEV,
  development: DEV,
  test: DEV,
  sandbox: DEV,
};

/**
 * Objects outside any environment (add-ons, Argo CD): strict, but the replica, PDB,
 * digest and registry rules are left out — add-ons pin upstream images by version in
 * `addons/`, and controllers such as Karpenter or external-secrets run one elected leader.
 */
export const PLATFORM_POLICY: GuardrailPolicy = { guardrails: "strict", minReplicas: 1, requirePdb: false, requireDigest: false, trustedRegistries: [], platform: true };
