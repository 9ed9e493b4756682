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
});
