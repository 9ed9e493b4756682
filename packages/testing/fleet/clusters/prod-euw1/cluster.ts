import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "prod-euw1",
  environments: ["prod"],
  kubernetesVersion: "1.32",
  aws: {
    accountId: "210900003333",
    region: "eu-west-1",
    vpcId: "vpc-ebc1be914d93f4a8d",
    vpcCidr: "10.140.0.0/16",
    oidcProvider: "oidc.eks.eu-west-1.amazonaws.com/id/8D106CF67AAEE35C54D1C55109906877",
  },
  ingressDomains: ["shop.example.net"],
  edge: {
    certificates: { "shop.example.net": "arn:aws:acm:eu-west-1:210900003333:certificate/3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a" },
    sharedHosts: ["www.shop.example.net"],
  },
  // A spoke: managed by prod-use1's Argo CD.
  argocd: { topology: "hub", hub: "prod-use1", registeredName: "prod-euw1" },
  addons: {
    "aws-load-balancer-controller": true,
    "cert-manager": true,
    "external-secrets": true,
    "metrics-server": true,
  },
  facts: {
    roles: {
      "aws-load-balancer-controller": "arn:aws:iam::210900003333:role/prod-euw1-aws-load-balancer-controller",
      "external-secrets": "arn:aws:iam::210900003333:role/prod-euw1-external-secrets",
    },
  },
});
