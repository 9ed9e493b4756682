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
  },
  ingressDomains: ["example.com"],
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
