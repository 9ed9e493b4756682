import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "prod-euw1",
  environments: ["prod"],
  kubernetesVersion: "1.32",
  aws: {
    accountId: "777788889999",
    region: "eu-west-1",
    vpcId: "vpc-0123456789abcdef0",
    vpcCidr: "10.40.0.0/16",
    oidcProvider: "oidc.eks.eu-west-1.amazonaws.com/id/D6C5B4A3F2E1D0C9B8A7F6E5D4C3B2A1",
  },
  ingressDomains: ["example.com"],
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
