import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "staging-use1",
  environments: ["staging"],
  kubernetesVersion: "1.33",
  aws: {
    accountId: "210900002222",
    region: "us-east-1",
    vpcId: "vpc-5341c9ead477a47bf",
    vpcCidr: "10.120.0.0/16",
    oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/07FD3C01BD977AF7C75A780B9A9EE467",
  },
  ingressDomains: ["staging.shop.example.net"],
  addons: {
    "aws-load-balancer-controller": true,
    "cert-manager": true,
    "external-secrets": true,
    "metrics-server": true,
  },
  facts: {
    roles: {
      "aws-load-balancer-controller": "arn:aws:iam::210900002222:role/staging-use1-aws-load-balancer-controller",
      "external-secrets": "arn:aws:iam::210900002222:role/staging-use1-external-secrets",
    },
  },
});
