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
});
