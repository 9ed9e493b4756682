import { describe, expect, it } from "vitest";
import { ClusterSchema, EnvironmentSchema } from "./fleet-schema";
import { PolicyError } from "./errors";
import { layer, resolveApp, type LoadedApp } from "./resolve";

const environment = (policy: Record<string, unknown>, appDefaults: Record<string, unknown> = {}) =>
  EnvironmentSchema.parse({ name: "prod", promotesFrom: "staging", policy: { trustedRegistries: ["r.example/"], ...policy }, appDefaults });
const cluster = (appDefaults: Record<string, unknown> = {}) =>
  ClusterSchema.parse({
    name: "prod-use1",
    environments: ["prod"],
    kubernetesVersion: "1.33",
    aws: { accountId: "777788889999", region: "us-east-1", vpcId: "vpc-0f1e2d3c4b5a6978", vpcCidr: "10.30.0.0/16", oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/ABC" },
    appDefaults,
  });
const app = (base: Record<string, unknown>, environments: LoadedApp["environments"] = {}): LoadedApp => ({
  file: "apps/t/api/app.ts",
  base: { name: "api", tenant: "t", kind: "web-service", image: "r.example/t/api", ports: [{ name: "http", port: 8080 }], ...base },
  environments,
});

describe("value layering", () => {
  it("merges objects field by field and replaces arrays", () => {
    expect(layer({ a: { x: 1, y: 2 }, list: [1, 2] }, { a: { y: 3 }, list: [9] })).toEqual({ a: { x: 1, y: 3 }, list: [9] });
  });

  it("GIVEN every layer WHEN resolved THEN library < environment < cluster < app < app's environment block", () => {
    const resolved = resolveApp(
      app({ resources: { memory: "256Mi" } }, { prod: { resources: { cpuLimit: "2" } } }),
      environment({}, { resources: { cpu: "50m", memory: "64Mi" }, env: { FROM_ENV: "1" } }),
      cluster({ resources: { cpu: "75m" }, env: { FROM_CLUSTER: "1" } }),
    );
    expect(resolved.resources).toEqual({ cpu: "75m", memory: "256Mi", cpuLimit: "2" });
    expect(resolved.env).toEqual({ FROM_ENV: "1", FROM_CLUSTER: "1" });
    expect(resolved.scaling.cpuTargetPercent).toBe(70);
  });

  it("GIVEN prod requires two replicas WHEN the app asks for one THEN a policy error names the override to add", () => {
    expect(() => resolveApp(app({ scaling: { min: 1 } }), environment({ minReplicas: 2 }), cluster())).toThrow(PolicyError);
    try {
      resolveApp(app({ scaling: { min: 1 } }), environment({ minReplicas: 2 }), cluster());
    } catch (error) {
      const message = (error as PolicyError).format();
      expect(message).toMatch(/apps\/t\/api\/app\.ts: scaling\.min: environment prod requires at least 2 replicas/);
      expect(message).toMatch(/fix: set `environments: \{ prod: \{ scaling: \{ min: 2 \} \} \}`/);
    }
  });

  it("GIVEN the environment's default of two replicas WHEN the app does not set scaling THEN the default applies", () => {
    expect(resolveApp(app({}), environment({ minReplicas: 2 }, { scaling: { min: 2 } }), cluster()).scaling.min).toBe(2);
  });

  it("GIVEN a merged value that is invalid WHEN resolved THEN the error carries app, environment and cluster", () => {
    try {
      resolveApp(app({}, { prod: { scaling: { min: 0 } } }), environment({}), cluster());
      throw new Error("expected failure");
    } catch (error) {
      expect((error as PolicyError).format()).toMatch(/\(cluster prod-use1, environment prod, app api\)/);
    }
  });
});
