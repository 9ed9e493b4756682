import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import type { EnvironmentInput, KubeObject } from "@slipway/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { argocdObjects } from "./cluster-objects";
import type { ArgocdClusterInput, RolloutInput } from "./model";
import { previewCluster } from "./preview";
import { FixtureTree, cluster, environment, input, tenant } from "./test-fixtures";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into written YAML, which is untyped
const byName = (objects: readonly KubeObject[], name: string) => objects.find((o) => o.metadata.name === name) as KubeObject & { spec: any };

const STEPS: NonNullable<EnvironmentInput["sync"]>["rollout"] = { steps: [{ clusters: ["prod-use1"] }, { clusters: ["prod-euw1", "prod-apse1"], maxUpdate: "50%" }] };
const prod = environment("prod", { rollout: STEPS });
const hub = cluster("prod-use1", ["prod"]);
const spoke = (name: string) => cluster(name, ["prod"], { topology: "hub", hub: "prod-use1", registeredName: `${name}-eks` });
const tenants = [tenant("payments"), tenant("storefront")];

/** Each cluster runs ledger (payments); only the hub and prod-euw1 run web (storefront). */
const placement: Record<string, { app: string; tenant: string }[]> = {
  "prod-use1": [{ app: "ledger", tenant: "payments" }, { app: "web", tenant: "storefront" }],
  "prod-euw1": [{ app: "ledger", tenant: "payments" }, { app: "web", tenant: "storefront" }],
  "prod-apse1": [{ app: "ledger", tenant: "payments" }],
};
const destinationNames: Record<string, string> = { "prod-use1": "in-cluster", "prod-euw1": "prod-euw1-eks", "prod-apse1": "prod-apse1-eks" };
const rollout: RolloutInput = {
  environment: prod,
  environmentFile: "environments/prod/environment.ts",
  instances: Object.entries(placement).flatMap(([c, apps]) => apps.map((a) => ({ cluster: c, ...a, destinationName: destinationNames[c]! }))),
};

function clusterInput(name: string): ArgocdClusterInput {
  const def = name === "prod-use1" ? hub : spoke(name);
  return input({
    cluster: def,
    environments: [prod],
    tenants,
    apps: placement[name]!.map((a) => ({ environment: "prod", ...a })),
    ...(name === "prod-use1" ? { spokes: [{ name: "prod-euw1", sourceFile: "clusters/prod-euw1/cluster.ts" }, { name: "prod-apse1", sourceFile: "clusters/prod-apse1/cluster.ts" }], rollouts: [rollout] } : {}),
  });
}

describe("rollout sets", () => {
  it("GIVEN a rolled-out environment WHEN the hub is generated THEN it holds one RollingSync set per app, schema-valid, and no per-cluster apps sets", () => {
    const objects = argocdObjects(clusterInput("prod-use1"));
    const sets = objects.filter((o) => o.kind === "ApplicationSet").map((o) => o.metadata.name);
    expect(sets).toEqual(["prod-use1-tenants", "prod-use1-rollout-prod-ledger", "prod-use1-rollout-prod-web"]);
    for (const name of ["prod-use1-rollout-prod-ledger", "prod-use1-rollout-prod-web"]) {
      expect(() => new ApplicationSet(byName(objects, name) as never).validate()).not.toThrow();
    }
    for (const name of ["prod-euw1", "prod-apse1"]) {
      expect(argocdObjects(clusterInput(name)).filter((o) => o.kind === "ApplicationSet").map((o) => o.metadata.name)).toEqual([`${name}-tenants`]);
    }
  });

  it("lists the app's clusters in step order and selects each step by the generated cluster label", () => {
    const ledger = byName(argocdObjects(clusterInput("prod-use1")), "prod-use1-rollout-prod-ledger");
    expect(ledger.spec.generators).toEqual([{
      list: {
        elements: [
          { cluster: "prod-use1", destination: "in-cluster", path: "clusters/prod-use1/prod/ledger" },
          { cluster: "prod-apse1", destination: "prod-apse1-eks", path: "clusters/prod-apse1/prod/ledger" },
          { cluster: "prod-euw1", destination: "prod-euw1-eks", path: "clusters/prod-euw1/prod/ledger" },
        ],
      },
    }]);
    expect(ledger.spec.strategy).toEqual({
      type: "RollingSync",
      rollingSync: {
        steps: [
          { matchExpressions: [{ key: "slipway.dev/cluster", operator: "In", values: ["prod-use1"] }] },
          { matchExpressions: [{ key: "slipway.dev/cluster", operator: "In", values: ["prod-apse1", "prod-euw1"] }], maxUpdate: "50%" },
        ],
      },
    });
    const t = ledger.spec.template;
    expect(t.metadata.name).toBe("{{.cluster}}-prod-ledger");
    expect(t.metadata.labels).toMatchObject({ "slipway.dev/cluster": "{{.cluster}}", "slipway.dev/environment": "prod", "slipway.dev/tenant": "payments", "slipway.dev/app": "ledger" });
    expect(t.spec.project).toBe("{{.cluster}}-payments");
    expect(t.spec.destination).toEqual({ name: "{{.destination}}", namespace: "payments-prod" });
    // RollingSync triggers the syncs and takes their prune flag from the template's automated.prune.
    expect(t.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
    expect(t.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    expect(ledger.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: false, applicationsSync: "sync" });
    expect(t.spec.syncPolicy.retry.limit).toBe(10);
  });

  it("leaves out steps naming none of the app's clusters", () => {
    const web = byName(argocdObjects(clusterInput("prod-use1")), "prod-use1-rollout-prod-web");
    expect(web.spec.strategy.rollingSync.steps.map((s: { matchExpressions: { values: string[] }[] }) => s.matchExpressions[0]!.values)).toEqual([["prod-use1"], ["prod-euw1"]]);
  });

  it("makes the projects of a rolled-out environment allow the cluster by name and hold manual syncs in deny windows", () => {
    const frozen = environment("prod", { rollout: STEPS, windows: [{ kind: "deny", schedule: "0 17 * * 5", duration: "64h" }] });
    const hubProject = byName(argocdObjects({ ...clusterInput("prod-use1"), environments: [frozen] }), "prod-use1-payments");
    expect(hubProject.spec.destinations).toEqual([{ name: "in-cluster", namespace: "payments-prod" }]);
    expect(hubProject.spec.syncWindows).toEqual([expect.objectContaining({ kind: "deny", applications: ["prod-use1-prod-*"], manualSync: false })]);
    const spokeProject = byName(argocdObjects(clusterInput("prod-euw1")), "prod-euw1-payments");
    expect(spokeProject.spec.destinations).toEqual([{ name: "prod-euw1-eks", namespace: "payments-prod" }]);
  });
});

describe("previewing a hub with a rollout", () => {
  let tree: FixtureTree;
  beforeEach(() => {
    tree = new FixtureTree();
    for (const [c, apps] of Object.entries(placement)) {
      for (const a of apps) tree.app(c, "prod", a.app, a.tenant);
      for (const t of tenants) tree.tenantDir(c, t.def.name, ["prod"]);
      tree.argocd(clusterInput(c));
    }
  });
  afterEach(() => rmSync(tree.root, { recursive: true, force: true }));

  it("GIVEN the rendered hub and spokes WHEN the hub is previewed THEN every cluster's Application appears, in its spoke's project, with no problems", () => {
    const { applications, problems } = previewCluster(tree.root, "prod-use1");
    expect(problems).toEqual([]);
    const ledger = applications.filter((a) => a.labels["slipway.dev/app"] === "ledger");
    expect(ledger.map((a) => [a.name, a.project, a.destination.name])).toEqual([
      ["prod-apse1-prod-ledger", "prod-apse1-payments", "prod-apse1-eks"],
      ["prod-euw1-prod-ledger", "prod-euw1-payments", "prod-euw1-eks"],
      ["prod-use1-prod-ledger", "prod-use1-payments", "in-cluster"],
    ]);
  });

  it("shows the RollingSync step that syncs each Application", () => {
    const steps = Object.fromEntries(previewCluster(tree.root, "prod-use1").applications.filter((a) => a.rolloutStep !== undefined).map((a) => [a.name, a.rolloutStep]));
    expect(steps).toEqual({ "prod-use1-prod-ledger": 1, "prod-use1-prod-web": 1, "prod-euw1-prod-ledger": 2, "prod-euw1-prod-web": 2, "prod-apse1-prod-ledger": 2 });
  });

  it("GIVEN a rollout set edited so a cluster is in no step WHEN previewed THEN its Application is reported as never synced", () => {
    const file = join(tree.root, "clusters/prod-use1/argocd/applicationset-prod-use1-rollout-prod-ledger.yaml");
    const set = parse(readFileSync(file, "utf8"));
    set.spec.strategy.rollingSync.steps[1].matchExpressions[0].values = ["prod-euw1"];
    writeFileSync(file, stringify(set));
    const { problems } = previewCluster(tree.root, "prod-use1");
    expect(problems).toEqual([expect.objectContaining({ code: "rollout-step", application: "prod-apse1-prod-ledger" })]);
    expect(problems[0]!.message).toContain("matches no RollingSync step");
  });

  it("GIVEN a spoke's app directory deleted WHEN previewed THEN the hub's rollout set points at a missing directory", () => {
    rmSync(join(tree.root, "clusters/prod-apse1/prod/ledger"), { recursive: true });
    const { problems } = previewCluster(tree.root, "prod-use1");
    expect(problems).toEqual([expect.objectContaining({ code: "missing-directory", application: "prod-apse1-prod-ledger" })]);
  });

  it("GIVEN a spoke's object in another tenant's namespace WHEN previewed THEN it is outside the spoke's project (read from the spoke's index)", () => {
    tree.app("prod-euw1", "prod", "ledger", "payments", "storefront-prod");
    tree.flushIndex("prod-euw1");
    const { problems } = previewCluster(tree.root, "prod-use1");
    expect(problems).toEqual([expect.objectContaining({ code: "namespace-outside-project", application: "prod-euw1-prod-ledger", file: "clusters/prod-euw1/prod/ledger/deployment-ledger.yaml" })]);
  });

  it("GIVEN a spoke whose projects are not rendered WHEN the hub is previewed THEN its Applications name an unknown project", () => {
    rmSync(join(tree.root, "clusters/prod-apse1/argocd"), { recursive: true });
    const { problems } = previewCluster(tree.root, "prod-use1");
    expect(problems.map((p) => [p.code, p.application])).toEqual([
      ["missing-directory", "prod-apse1-bootstrap"],
      ["unknown-project", "prod-apse1-prod-ledger"],
    ]);
  });
});
