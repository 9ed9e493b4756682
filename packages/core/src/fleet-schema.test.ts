import { describe, expect, it } from "vitest";
import { DefinitionError } from "./errors";
import { AddonChoiceSchema, ClusterSchema, EnvironmentSchema, ReleasesFileSchema, TenantSchema } from "./fleet-schema";
import { parseDefinition } from "./zod-errors";

function errorOf(schema: Parameters<typeof parseDefinition>[0], input: unknown, file: string): string {
  try {
    parseDefinition(schema, input, { file });
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as DefinitionError).format();
  }
  throw new Error("expected the definition to be rejected");
}

const cluster = {
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
};

describe("platform definitions", () => {
  it("GIVEN an account id written as a number WHEN parsed THEN the error says to use a string", () => {
    const message = errorOf(ClusterSchema, { ...cluster, aws: { ...cluster.aws, accountId: 777788889999 } }, "clusters/prod-use1/cluster.ts");
    expect(message).toMatch(/clusters\/prod-use1\/cluster\.ts: aws\.accountId: wrong type/);
    expect(message).toMatch(/expected: string/);
    expect(message).toMatch(/received: number 777788889999/);
  });

  it("GIVEN a Kubernetes version with a patch level WHEN parsed THEN the expected form is shown", () => {
    const message = errorOf(ClusterSchema, { ...cluster, kubernetesVersion: "1.33.2" }, "clusters/prod-use1/cluster.ts");
    expect(message).toMatch(/kubernetesVersion: value must be a Kubernetes minor version such as `1\.31`/);
  });

  it("GIVEN a hub topology without its registered name WHEN parsed THEN the missing field is named", () => {
    const message = errorOf(ClusterSchema, { ...cluster, argocd: { topology: "hub", hub: "ops-use1" } }, "clusters/prod-use1/cluster.ts");
    expect(message).toMatch(/argocd\.registeredName: required field is missing/);
  });

  it("GIVEN a rollout of one step or a malformed maxUpdate WHEN parsed THEN the field and the expected form are named", () => {
    const env = (rollout: unknown) => ({ name: "prod", policy: { trustedRegistries: ["r.example.com/"] }, sync: { rollout } });
    expect(errorOf(EnvironmentSchema, env({ steps: [{ clusters: ["prod-use1"] }] }), "environments/prod/environment.ts")).toMatch(
      /environments\/prod\/environment\.ts: sync\.rollout\.steps: value is too small[\s\S]*fix: a rollout needs at least two steps/,
    );
    expect(errorOf(EnvironmentSchema, env({ steps: [{ clusters: ["a"] }, { clusters: ["b"], maxUpdate: "half" }] }), "environments/prod/environment.ts")).toMatch(
      /sync\.rollout\.steps\[1\]\.maxUpdate: value must be a percentage such as `25%`[\s\S]*fix: change `sync\.rollout\.steps\[1\]\.maxUpdate` so it is a percentage such as `25%`/,
    );
    expect(EnvironmentSchema.parse(env({ steps: [{ clusters: ["a"] }, { clusters: ["b", "c"], maxUpdate: "50%" }] })).sync.rollout?.steps[1]).toEqual({ clusters: ["b", "c"], maxUpdate: "50%" });
  });

  it("GIVEN an environment without trusted registries WHEN parsed THEN policy.trustedRegistries is required", () => {
    const message = errorOf(EnvironmentSchema, { name: "prod", policy: {} }, "environments/prod/environment.ts");
    expect(message).toMatch(/environments\/prod\/environment\.ts: policy\.trustedRegistries: required field is missing/);
  });

  it("GIVEN a baseline Pod Security exception without reason WHEN parsed THEN the reason is demanded", () => {
    const message = errorOf(
      TenantSchema,
      { name: "data", team: "@acme/data", groups: {}, registries: ["111122223333.dkr.ecr"], podSecurity: { level: "baseline" } },
      "apps/data/tenant.ts",
    );
    expect(message).toMatch(/podSecurity\.reason: required field is missing/);
  });

  it("GIVEN a tenant team that is not a GitHub team WHEN parsed THEN the format is explained", () => {
    const message = errorOf(TenantSchema, { name: "data", team: "data-team", groups: {}, registries: ["x.io/"] }, "apps/data/tenant.ts");
    expect(message).toMatch(/team: value must be a GitHub team such as `@acme\/payments`/);
  });

  it("GIVEN an add-on pinned to a range WHEN parsed THEN exact versions are demanded", () => {
    const message = errorOf(AddonChoiceSchema, { addon: "karpenter", version: "^1.1.0" }, "addons/karpenter.ts");
    expect(message).toMatch(/addons\/karpenter\.ts: version: value must be an exact version/);
  });

  it("GIVEN a release with a short digest WHEN parsed THEN the digest format is explained", () => {
    const message = errorOf(
      ReleasesFileSchema,
      { apps: { web: { image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/storefront/web", tag: "1.0.0", digest: "sha256:abc", commit: "abcdef0" } } },
      "environments/dev/releases.yaml",
    );
    expect(message).toMatch(/environments\/dev\/releases\.yaml: apps\.web\.digest: value must be `sha256:` followed by 64 hex digits/);
  });

  it("GIVEN a valid cluster WHEN parsed THEN defaults are applied once", () => {
    const parsed = ClusterSchema.parse(cluster);
    expect(parsed.argocd).toEqual({ topology: "in-cluster" });
    expect(parsed.addons).toEqual({});
  });
});
