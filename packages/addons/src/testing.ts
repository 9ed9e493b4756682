/** Fixtures for the add-on tests: a cluster, environments and choices, built through the real schemas. */
import { AddonChoiceSchema, ClusterSchema, EnvironmentSchema, type AddonChoiceInput, type ClusterInput } from "@slipway/core";
import { stringify } from "yaml";
import type { SourcedChoice } from "./plan";

export const prod = EnvironmentSchema.parse({
  name: "prod",
  policy: { guardrails: "strict", minReplicas: 2, requirePdb: true, allowExec: false, trustedRegistries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/"] },
});
export const dev = EnvironmentSchema.parse({
  name: "dev",
  policy: { guardrails: "relaxed", requireDigest: false, trustedRegistries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/"] },
});

export const ACCOUNT = "111122223333";

export function testCluster(overrides: Partial<ClusterInput> = {}) {
  return ClusterSchema.parse({
    name: "test-use1",
    environments: ["prod"],
    kubernetesVersion: "1.33",
    aws: {
      accountId: ACCOUNT,
      region: "us-east-1",
      vpcId: "vpc-0123456789abcdef0",
      vpcCidr: "10.0.0.0/16",
      oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
    },
    ingressDomains: ["example.com"],
    facts: {
      roles: Object.fromEntries(
        ["aws-ebs-csi-driver", "aws-load-balancer-controller", "cert-manager", "cluster-autoscaler", "external-dns", "external-secrets", "fluent-bit", "karpenter", "velero"].map((a) => [a, `arn:aws:iam::${ACCOUNT}:role/test-${a}`]),
      ),
      values: { hostedZoneId: "Z0TEST0000000000000", karpenterInterruptionQueue: "karpenter-test", karpenterNodeRole: "KarpenterNodeRole-test", veleroBucket: "acme-velero-test" },
    },
    ...overrides,
  });
}

export const VERSIONS: Record<string, string> = {
  "aws-ebs-csi-driver": "v1.47.0",
  "aws-load-balancer-controller": "v2.13.4",
  "cert-manager": "v1.18.2",
  "cluster-autoscaler": "v1.33.0",
  "external-dns": "v0.18.0",
  "external-secrets": "v0.18.2",
  "fluent-bit": "4.0.3",
  karpenter: "1.6.3",
  kyverno: "v1.14.4",
  "metrics-server": "v0.8.0",
  monitoring: "v0.85.0",
  "spark-operator": "v2.5.2",
  "prometheus-adapter": "v0.12.0",
  velero: "v1.16.2",
};

export const REQUIRED_VALUES: Record<string, Record<string, unknown>> = {
  karpenter: { amiAlias: "al2023@v20250715" },
  "cert-manager": { acme: { email: "platform@example.com" } },
};

export function choices(overrides: Record<string, Partial<AddonChoiceInput>> = {}): Map<string, SourcedChoice> {
  return new Map(
    Object.keys(VERSIONS).map((addon) => [
      addon,
      { file: `addons/${addon}.ts`, def: AddonChoiceSchema.parse({ addon, version: VERSIONS[addon], values: REQUIRED_VALUES[addon] ?? {}, ...overrides[addon] }) },
    ]),
  );
}

export function toYaml(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
}
