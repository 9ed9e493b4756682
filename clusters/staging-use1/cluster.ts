import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "staging-use1",
  environments: ["staging"],
  kubernetesVersion: "1.33",
  aws: {
    accountId: "444455556666",
    region: "us-east-1",
    vpcId: "vpc-0a9b8c7d6e5f40312",
    vpcCidr: "10.20.0.0/16",
    oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/8F2E4C6A1B3D5E7F9A0C2E4B6D8F1A3C",
  },
  ingressDomains: ["staging.example.com"],
});
