/** Builds a fully resolved app instance context for tests, from intent only. */
import { ClusterSchema, EnvironmentSchema, ResolvedAppSchema, TenantSchema, type AppInput } from "@slipway/core";
import type { AppInstanceContext } from "./context";

const REGISTRY = "111122223333.dkr.ecr.us-east-1.amazonaws.com";

export function testContext(app: Omit<AppInput, "image" | "tenant"> & { tenant?: string }, env: "dev" | "prod" = "prod"): AppInstanceContext {
  const resolved = ResolvedAppSchema.parse({ tenant: "shop", image: `${REGISTRY}/shop/${app.name}`, ...app });
  const environment = EnvironmentSchema.parse({
    name: env,
    policy: env === "prod"
      ? { minReplicas: 2, requirePdb: true, trustedRegistries: [`${REGISTRY}/`] }
      : { guardrails: "relaxed", requireDigest: false, trustedRegistries: [`${REGISTRY}/`] },
  });
  const cluster = ClusterSchema.parse({
    name: `${env}-use1`,
    environments: [env],
    kubernetesVersion: "1.33",
    aws: { accountId: "111122223333", region: "us-east-1", vpcId: "vpc-0abc12345def67890", vpcCidr: "10.30.0.0/16", oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/ABC123" },
    addons: { monitoring: true },
  });
  const tenant = TenantSchema.parse({ name: resolved.tenant, team: `@acme/${resolved.tenant}`, groups: {}, registries: [`${REGISTRY}/${resolved.tenant}/`] });
  return {
    app: resolved,
    environment,
    cluster,
    tenant,
    namespace: `${resolved.tenant}-${env}`,
    sourceFile: `apps/${resolved.tenant}/${resolved.name}/app.ts`,
    release: { image: resolved.image, tag: "1.2.3", digest: `sha256:${"ab".repeat(32)}`, commit: "0123456789abcdef0123456789abcdef01234567" },
  };
}
