import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "prod-euw1",
  environments: ["prod"],
  kubernetesVersion: "1.32",
  // Long-running streaming and training: no voluntary node disruption in working hours.
  profile: "static",
  aws: {
    accountId: "777788889999",
    region: "eu-west-1",
    vpcId: "vpc-0123456789abcdef0",
    vpcCidr: "10.40.0.0/16",
    oidcProvider: "oidc.eks.eu-west-1.amazonaws.com/id/D6C5B4A3F2E1D0C9B8A7F6E5D4C3B2A1",
    // Where pods reach AWS: the interface endpoints' subnets, and the S3 gateway endpoint's prefix
    // list (its CIDRs, as \`aws ec2 get-managed-prefix-list-entries\` lists them). Services not
    // listed fall back to the VPC CIDR (interface endpoints) or every public address (DynamoDB).
    endpoints: {
      secretsmanager: { cidrs: ["10.40.96.0/24"] },
      kms: { cidrs: ["10.40.96.0/24"] },
      sts: { cidrs: ["10.40.96.0/24"] },
      sqs: { cidrs: ["10.40.96.0/24"] },
      s3: { prefixList: "pl-6da54004", cidrs: ["3.5.64.0/21", "3.5.72.0/23", "52.218.0.0/17", "52.92.0.0/17"] },
    },
  },
  ingressDomains: ["example.com"],
  edge: {
    // ACM certificates are regional: eu-west-1's own, for the same domain as prod-use1's.
    certificates: { "example.com": "arn:aws:acm:eu-west-1:777788889999:certificate/8a9b0c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d" },
    wafAclArn: "arn:aws:wafv2:eu-west-1:777788889999:regional/webacl/prod-euw1-edge/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    sharedHosts: ["shop.example.com", "checkout.internal.example.com"],
  },
  // Managed by prod-use1's Argo CD, so one Argo CD can roll prod out cluster by cluster.
  argocd: { topology: "hub", hub: "prod-use1", registeredName: "prod-euw1" },
  // Production runs every add-on except Cluster Autoscaler (Karpenter scales the nodes).
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
    "velero": true,
  },
  facts: {
    roles: {
      "aws-ebs-csi-driver": "arn:aws:iam::777788889999:role/prod-euw1-aws-ebs-csi-driver",
      "aws-load-balancer-controller": "arn:aws:iam::777788889999:role/prod-euw1-aws-load-balancer-controller",
      "cert-manager": "arn:aws:iam::777788889999:role/prod-euw1-cert-manager",
      "external-dns": "arn:aws:iam::777788889999:role/prod-euw1-external-dns",
      "external-secrets": "arn:aws:iam::777788889999:role/prod-euw1-external-secrets",
      "fluent-bit": "arn:aws:iam::777788889999:role/prod-euw1-fluent-bit",
      "karpenter": "arn:aws:iam::777788889999:role/prod-euw1-karpenter",
      "velero": "arn:aws:iam::777788889999:role/prod-euw1-velero",
    },
    values: {
      hostedZoneId: "Z03PROD0EXAMPLE33333",
      karpenterInterruptionQueue: "karpenter-prod-euw1",
      karpenterNodeRole: "KarpenterNodeRole-prod-euw1",
      veleroBucket: "acme-velero-prod-euw1",
    },
  },
});
