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
    // Where pods reach AWS: the interface endpoints' subnets, and the S3 gateway endpoint's prefix
    // list (its CIDRs, as \`aws ec2 get-managed-prefix-list-entries\` lists them). Services not
    // listed fall back to the VPC CIDR (interface endpoints) or every public address (DynamoDB).
    endpoints: {
      secretsmanager: { cidrs: ["10.20.96.0/24"] },
      kms: { cidrs: ["10.20.96.0/24"] },
      sts: { cidrs: ["10.20.96.0/24"] },
      sqs: { cidrs: ["10.20.96.0/24"] },
      s3: { prefixList: "pl-63a5400a", cidrs: ["3.5.0.0/19", "16.182.0.0/16", "52.216.0.0/15", "54.231.0.0/16"] },
    },
  },
  ingressDomains: ["staging.example.com"],
  edge: {
    certificates: { "staging.example.com": "arn:aws:acm:us-east-1:444455556666:certificate/7d3e2c1b-0a9f-4e8d-b7c6-5a4f3e2d1c0b" },
    wafAclArn: "arn:aws:wafv2:us-east-1:444455556666:regional/webacl/staging-use1-edge/2b4c6d8e-0f1a-4b3c-9d5e-7f8a9b0c1d2e",
  },
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
    "spark-operator": true,
    "prometheus-adapter": true,
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
