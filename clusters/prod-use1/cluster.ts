import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "prod-use1",
  environments: ["prod"],
  kubernetesVersion: "1.33",
  aws: {
    accountId: "777788889999",
    region: "us-east-1",
    vpcId: "vpc-0f1e2d3c4b5a69788",
    vpcCidr: "10.30.0.0/16",
    oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D",
    // Where pods reach AWS: the interface endpoints' subnets, and the S3 gateway endpoint's prefix
    // list (its CIDRs, as \`aws ec2 get-managed-prefix-list-entries\` lists them). Services not
    // listed fall back to the VPC CIDR (interface endpoints) or every public address (DynamoDB).
    endpoints: {
      secretsmanager: { cidrs: ["10.30.96.0/24"] },
      kms: { cidrs: ["10.30.96.0/24"] },
      sts: { cidrs: ["10.30.96.0/24"] },
      sqs: { cidrs: ["10.30.96.0/24"] },
      s3: { prefixList: "pl-63a5400a", cidrs: ["3.5.0.0/19", "16.182.0.0/16", "52.216.0.0/15", "54.231.0.0/16"] },
    },
  },
  ingressDomains: ["example.com"],
  edge: {
    certificates: { "example.com": "arn:aws:acm:us-east-1:777788889999:certificate/4e1f2a3b-6c5d-4e7f-8a9b-0c1d2e3f4a5b" },
    wafAclArn: "arn:aws:wafv2:us-east-1:777788889999:regional/webacl/prod-use1-edge/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
    // Served from both prod regions: each publishes its own latency-routed record.
    sharedHosts: ["shop.example.com", "checkout.internal.example.com"],
  },
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
      "aws-ebs-csi-driver": "arn:aws:iam::777788889999:role/prod-use1-aws-ebs-csi-driver",
      "aws-load-balancer-controller": "arn:aws:iam::777788889999:role/prod-use1-aws-load-balancer-controller",
      "cert-manager": "arn:aws:iam::777788889999:role/prod-use1-cert-manager",
      "external-dns": "arn:aws:iam::777788889999:role/prod-use1-external-dns",
      "external-secrets": "arn:aws:iam::777788889999:role/prod-use1-external-secrets",
      "fluent-bit": "arn:aws:iam::777788889999:role/prod-use1-fluent-bit",
      "karpenter": "arn:aws:iam::777788889999:role/prod-use1-karpenter",
      "velero": "arn:aws:iam::777788889999:role/prod-use1-velero",
    },
    values: {
      hostedZoneId: "Z03PROD0EXAMPLE33333",
      karpenterInterruptionQueue: "karpenter-prod-use1",
      karpenterNodeRole: "KarpenterNodeRole-prod-use1",
      veleroBucket: "acme-velero-prod-use1",
    },
  },
});
