import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "dev-use1",
  environments: ["dev"],
  kubernetesVersion: "1.34",
  aws: {
    accountId: "111122223333",
    region: "us-east-1",
    vpcId: "vpc-0d1e2a3b4c5d6e7f8",
    vpcCidr: "10.10.0.0/16",
    oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/5C3A1D0F7E2B49A6B8C4D1E0F9A7B3C2",
    // Where pods reach AWS: the interface endpoints' subnets, and the S3 gateway endpoint's prefix
    // list (its CIDRs, as \`aws ec2 get-managed-prefix-list-entries\` lists them). Services not
    // listed fall back to the VPC CIDR (interface endpoints) or every public address (DynamoDB).
    endpoints: {
      secretsmanager: { cidrs: ["10.10.96.0/24"] },
      kms: { cidrs: ["10.10.96.0/24"] },
      sts: { cidrs: ["10.10.96.0/24"] },
      sqs: { cidrs: ["10.10.96.0/24"] },
      s3: { prefixList: "pl-63a5400a", cidrs: ["3.5.0.0/19", "16.182.0.0/16", "52.216.0.0/15", "54.231.0.0/16"] },
    },
  },
  ingressDomains: ["dev.example.com"],
  edge: {
    // The wildcard certificate of the cluster's ingress domain (us-east-1, this account).
    certificates: { "dev.example.com": "arn:aws:acm:us-east-1:111122223333:certificate/0b7c6d2e-5a41-4f3b-9e8d-1c2b3a4d5e6f" },
  },
  // Dev runs Cluster Autoscaler instead of Karpenter (and no backups): cheap, and it keeps the
  // managed-node-group path exercised.
  addons: {
    "aws-ebs-csi-driver": true,
    "aws-load-balancer-controller": true,
    "cert-manager": true,
    "cluster-autoscaler": true,
    "external-dns": true,
    "external-secrets": true,
    "fluent-bit": true,
    "kyverno": true,
    "metrics-server": true,
    "monitoring": true,
    "spark-operator": true,
    "prometheus-adapter": true,
  },
  facts: {
    roles: {
      "aws-ebs-csi-driver": "arn:aws:iam::111122223333:role/dev-use1-aws-ebs-csi-driver",
      "aws-load-balancer-controller": "arn:aws:iam::111122223333:role/dev-use1-aws-load-balancer-controller",
      "cert-manager": "arn:aws:iam::111122223333:role/dev-use1-cert-manager",
      "cluster-autoscaler": "arn:aws:iam::111122223333:role/dev-use1-cluster-autoscaler",
      "external-dns": "arn:aws:iam::111122223333:role/dev-use1-external-dns",
      "external-secrets": "arn:aws:iam::111122223333:role/dev-use1-external-secrets",
      "fluent-bit": "arn:aws:iam::111122223333:role/dev-use1-fluent-bit",
    },
    values: {
      hostedZoneId: "Z01DEV0EXAMPLE11111A",
    },
  },
});
