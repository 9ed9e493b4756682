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
});
