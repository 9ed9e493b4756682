import { defineAddon } from "@slipway/core";

/** AWS Secrets Manager → Kubernetes Secrets for the apps' `secrets`. */
export default defineAddon({
  addon: "external-secrets",
  version: "v0.18.2",
  environments: {
    dev: { replicas: 1 },
    prod: { concurrent: 4 },
  },
});
