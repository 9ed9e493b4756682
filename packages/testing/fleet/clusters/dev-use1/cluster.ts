import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "dev-use1",
  environments: ["dev"],
  kubernetesVersion: "1.34",
  aws: {
    accountId: "210900001111",
    region: "us-east-1",
    vpcId: "vpc-a9dda2acee638f028",
    vpcCidr: "10.110.0.0/16",
    oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/0EC760F6B6CEC7B7FEBFBFEE22B69FC0",
  },
  ingressDomains: ["dev.shop.example.net"],
  edge: {
    certificates: { "dev.shop.example.net": "arn:aws:acm:us-east-1:210900001111:certificate/6f0e4b7a-2c1d-4e8f-9a3b-5d7c1e2f4a6b" },
  },
  addons: {
    "aws-load-balancer-controller": true,
    "cert-manager": true,
    "external-secrets": true,
    "metrics-server": true,
  },
  facts: {
    roles: {
      "aws-load-balancer-controller": "arn:aws:iam::210900001111:role/dev-use1-aws-load-balancer-controller",
      "external-secrets": "arn:aws:iam::210900001111:role/dev-use1-external-secrets",
    },
  },
});
