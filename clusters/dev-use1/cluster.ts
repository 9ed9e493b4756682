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
  },
  ingressDomains: ["dev.example.com"],
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
