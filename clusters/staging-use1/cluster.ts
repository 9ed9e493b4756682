import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "staging-use1",
  environments: ["staging"],
  kubernetesVersion: "1.33",
  aws: {
    accountId: "444455556666",
    region: "us-east-1",
    vpcId: "vpc-0a9b8c7d6e5f40312",
    vpcCidr: "10.20.0.0/16",
    oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/8F2E4C6A1B3D5E7F9A0C2E4B6D8F1A3C",
  },
  ingressDomains: ["staging.example.com"],
  // Staging mirrors prod except backups (nothing there outlives a rebuild).
  addons: {
    "aws-ebs-csi-driver": true,
    "aws-load-balancer-controller": true,
    "cert-manager": true,
    "external-dns": true,
    "external-secrets": true,
    "fluent-bit": true,
    "karpenter": true,
    "kyverno": true,
    "metrics-server": true,
    "monitoring": true,
  },
  facts: {
    roles: {
      "aws-ebs-csi-driver": "arn:aws:iam::444455556666:role/staging-use1-aws-ebs-csi-driver",
      "aws-load-balancer-controller": "arn:aws:iam::444455556666:role/staging-use1-aws-load-balancer-controller",
      "cert-manager": "arn:aws:iam::444455556666:role/staging-use1-cert-manager",
      "external-dns": "arn:aws:iam::444455556666:role/staging-use1-external-dns",
      "external-secrets": "arn:aws:iam::444455556666:role/staging-use1-external-secrets",
      "fluent-bit": "arn:aws:iam::444455556666:role/staging-use1-fluent-bit",
      "karpenter": "arn:aws:iam::444455556666:role/staging-use1-karpenter",
    },
    values: {
      hostedZoneId: "Z02STAGING0EXAMPLE2B",
      karpenterInterruptionQueue: "karpenter-staging-use1",
      karpenterNodeRole: "KarpenterNodeRole-staging-use1",
    },
  },
});
