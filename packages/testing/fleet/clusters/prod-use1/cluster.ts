import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "prod-use1",
  environments: ["prod"],
  kubernetesVersion: "1.33",
  aws: {
    accountId: "210900003333",
    region: "us-east-1",
    vpcId: "vpc-e94f2025b10d03a62",
    vpcCidr: "10.130.0.0/16",
    oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/D29E55CF3085803A9D4777CFB4E6F86E",
  },
  ingressDomains: ["shop.example.net"],
  edge: {
    certificates: { "shop.example.net": "arn:aws:acm:us-east-1:210900003333:certificate/9c8b7a6f-5e4d-4c3b-8a2f-1e0d9c8b7a6f" },
    sharedHosts: ["www.shop.example.net"],
  },
  // The prod Argo CD hub: it also manages prod-euw1, so prod rolls out cluster by cluster.
  addons: {
    "aws-load-balancer-controller": true,
    "cert-manager": true,
    "external-secrets": true,
    "metrics-server": true,
  },
  facts: {
    roles: {
      "aws-load-balancer-controller": "arn:aws:iam::210900003333:role/prod-use1-aws-load-balancer-controller",
      "external-secrets": "arn:aws:iam::210900003333:role/prod-use1-external-secrets",
    },
  },
});
