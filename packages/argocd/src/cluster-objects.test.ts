import { AppProject, Application, ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "@slipway/core";
import { argocdModels, argocdObjects } from "./cluster-objects";
import { cluster, environment, input, settings, tenant } from "./test-fixtures";
import type { AddonDescription } from "./model";

const MODEL = { Application, ApplicationSet, AppProject } as const;

/** Every object passes the Argo CD CRD schema (re-validated from its plain, written form). */
function expectValid(objects: readonly KubeObject[]): void {
  for (const object of objects) {
    const Model = MODEL[object.kind as keyof typeof MODEL];
    expect(Model, object.kind).toBeDefined();
    expect(() => new Model(object as never).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into written YAML, which is untyped
const byName = (objects: readonly KubeObject[], name: string) => objects.find((o) => o.metadata.name === name) as KubeObject & { spec: any };

const addons: AddonDescription[] = [
  { name: "cert-manager", namespace: "cert-manager", syncWave: 10, serverSideApply: false, crds: { repoURL: "https://github.com/cert-manager/cert-manager.git", path: "deploy/crds", targetRevision: "v1.16.2" } },
  { name: "karpenter", namespace: "karpenter", syncWave: 10, serverSideApply: true, crds: { repoURL: "self", path: "addons/crds/karpenter/v1.0.0", targetRevision: "HEAD", recurse: true } },
  { name: "issuer", namespace: "issuer", syncWave: 10, serverSideApply: true, crds: { repoURL: "self", path: "addons/crds/issuer/v1.0.0", targetRevision: "HEAD", kustomize: true } },
  { name: "monitoring", namespace: "monitoring", syncWave: 30, serverSideApply: true },
];

describe("argocdObjects", () => {
  it("GIVEN an in-cluster dev cluster WHEN generated THEN it has a bootstrap, projects and one apps set per tenant, all schema-valid", () => {
    const objects = argocdObjects(input());
    expectValid(objects);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Application/dev-use1-bootstrap",
      "AppProject/dev-use1-platform",
      "AppProject/dev-use1-payments",
      "AppProject/dev-use1-storefront",
      "ApplicationSet/dev-use1-tenants",
      "ApplicationSet/dev-use1-dev-payments",
      "ApplicationSet/dev-use1-dev-storefront",
    ]);
    for (const o of objects) expect(o.metadata.namespace).toBe("argocd");
  });

  it("generates apps sets with Go templates, missingkey=error, deliberate retirement and per-Application refresh paths", () => {
    const set = byName(argocdObjects(input()), "dev-use1-dev-payments");
    expect(set.spec.goTemplate).toBe(true);
    expect(set.spec.goTemplateOptions).toEqual(["missingkey=error"]);
    // A retired app's Application is deleted by the set, with cascade: nothing is orphaned.
    expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: false, applicationsSync: "sync" });
    expect(set.spec.generators).toEqual([{ git: { repoURL: settings.repository.url, revision: "main", directories: [{ path: "clusters/dev-use1/dev/ledger" }] } }]);
    const t = set.spec.template;
    expect(t.metadata.name).toBe("dev-use1-dev-{{.path.basename}}");
    expect(t.metadata.labels).toMatchObject({ "slipway.dev/environment": "dev", "slipway.dev/tenant": "payments", "slipway.dev/app": "{{.path.basename}}" });
    expect(t.metadata.annotations).toEqual({ "argocd.argoproj.io/sync-wave": "60", "argocd.argoproj.io/manifest-generate-paths": "." });
    expect(t.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    expect(t.spec.project).toBe("dev-use1-payments");
    expect(t.spec.destination).toEqual({ server: "https://kubernetes.default.svc", namespace: "payments-dev" });
    expect(t.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
    expect(t.spec.syncPolicy.retry).toEqual({ limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } });
    expect(t.spec.ignoreDifferences).toContainEqual({ group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] });
    expect(t.spec.syncPolicy.syncOptions).toContain("RespectIgnoreDifferences=true");
  });

  it("GIVEN prod in manual mode THEN apps are not synced automatically; GIVEN windows THEN the tenant projects carry them", () => {
    const manual = argocdObjects(input({
      cluster: cluster("prod-use1", ["prod"]),
      environments: [environment("prod", { mode: "manual" })],
      apps: [{ environment: "prod", app: "ledger", tenant: "payments" }],
    }));
    expect(byName(manual, "prod-use1-prod-payments").spec.template.spec.syncPolicy.automated).toBeUndefined();

    const windowed = argocdObjects(input({
      cluster: cluster("prod-use1", ["prod"]),
      environments: [environment("prod", { mode: "automated", windows: [{ kind: "allow", schedule: "0 9 * * 1-4", duration: "6h" }] })],
      apps: [{ environment: "prod", app: "ledger", tenant: "payments" }],
    }));
    expectValid(windowed);
    expect(byName(windowed, "prod-use1-prod-payments").spec.template.spec.syncPolicy.automated).toBeDefined();
    expect(byName(windowed, "prod-use1-payments").spec.syncWindows).toEqual([
      { kind: "allow", schedule: "0 9 * * 1-4", duration: "6h", timeZone: "Etc/UTC", applications: ["prod-use1-prod-*"], manualSync: true },
    ]);
  });

  it("fences tenant projects to their namespaces, with no cluster-scoped kinds, and maps groups to roles", () => {
    const objects = argocdObjects(input({ tenants: [tenant("payments", { viewers: ["v"], developers: ["d"], operators: ["o"] })] }));
    const project = byName(objects, "dev-use1-payments");
    expect(project.spec.destinations).toEqual([{ server: "https://kubernetes.default.svc", namespace: "payments-dev" }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.sourceRepos).toEqual([settings.repository.url]);
    expect(project.spec.roles.map((r: { name: string; groups: string[] }) => [r.name, r.groups])).toEqual([["viewer", ["v"]], ["developer", ["d"]], ["operator", ["o"]]]);
    expect(byName(objects, "dev-use1-platform").spec.clusterResourceWhitelist).toEqual([{ group: "*", kind: "*" }]);
  });

  it("GIVEN add-ons THEN each CRD source is an Application of its own, server-side, never pruned; add-on sets precede tenants and apps", () => {
    const objects = argocdObjects(input({ addons }));
    expectValid(objects);
    const crds = byName(objects, "dev-use1-addon-cert-manager-crds");
    expect(crds.kind).toBe("Application");
    expect(crds.spec.source).toEqual({ repoURL: "https://github.com/cert-manager/cert-manager.git", targetRevision: "v1.16.2", path: "deploy/crds", directory: { recurse: false, include: "*.yaml" } });
    expect(crds.spec.destination).toEqual({ server: "https://kubernetes.default.svc" });
    expect(crds.spec.syncPolicy.syncOptions).toContain("ServerSideApply=true");
    expect(crds.spec.syncPolicy.automated.prune).toBe(false);
    expect(crds.metadata.labels).toMatchObject({ "slipway.dev/addon": "cert-manager", "slipway.dev/stage": "crds" });
    // A source in this repository reads it at the fleet's revision.
    const local = byName(objects, "dev-use1-addon-karpenter-crds");
    expect(local.spec.source).toMatchObject({ repoURL: settings.repository.url, targetRevision: "main", path: "addons/crds/karpenter/v1.0.0", directory: { recurse: true } });

    expect(byName(objects, "dev-use1-addons").spec.generators[0].list.elements).toEqual([
      { addon: "cert-manager", namespace: "cert-manager", wave: "10", dir: "clusters/dev-use1/addons/cert-manager" },
    ]);
    const ssa = byName(objects, "dev-use1-addons-ssa");
    expect(ssa.spec.generators[0].list.elements.map((e: { addon: string }) => e.addon)).toEqual(["karpenter", "issuer", "monitoring"]);
    expect(ssa.spec.template.spec.syncPolicy.syncOptions).toContain("ServerSideApply=true");
    expect(ssa.spec.template.spec.ignoreDifferences).toContainEqual({ group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration", jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"] });

    const waves = (name: string) => Number(byName(objects, name).spec.template.metadata.annotations["argocd.argoproj.io/sync-wave"]);
    expect(waves("dev-use1-tenants")).toBeGreaterThan(30);
    expect(waves("dev-use1-dev-payments")).toBeGreaterThan(waves("dev-use1-tenants"));
    expect(byName(objects, "dev-use1-platform").spec.sourceRepos).toEqual(["https://github.com/acme/fleet.git", "https://github.com/cert-manager/cert-manager.git"]);
  });

  it("GIVEN CRD sources THEN the bootstrap applies their Applications before every ApplicationSet (and waits for them: the bootstrap orders its own resources by wave)", () => {
    const objects = argocdObjects(input({ addons }));
    const rootWave = (o: KubeObject) => Number(o.metadata.annotations?.["argocd.argoproj.io/sync-wave"]);
    const crdApps = objects.filter((o) => o.kind === "Application" && o.metadata.labels?.["slipway.dev/stage"] === "crds");
    expect(crdApps.map((o) => o.metadata.name)).toEqual(["dev-use1-addon-cert-manager-crds", "dev-use1-addon-issuer-crds", "dev-use1-addon-karpenter-crds"]);
    const sets = objects.filter((o) => o.kind === "ApplicationSet");
    const projects = objects.filter((o) => o.kind === "AppProject");
    expect(Math.max(...projects.map(rootWave))).toBeLessThan(Math.min(...crdApps.map(rootWave)));
    expect(Math.max(...crdApps.map(rootWave))).toBeLessThan(Math.min(...sets.map(rootWave)));
    expect(objects.some((o) => o.kind === "ApplicationSet" && o.metadata.name.includes("crds"))).toBe(false);
  });

  it("GIVEN a CRD source that is a kustomization (a release asset) THEN its Application reads it with kustomize, not as a directory", () => {
    const app = byName(argocdObjects(input({ addons })), "dev-use1-addon-issuer-crds");
    expect(app.spec.source).toEqual({ repoURL: settings.repository.url, targetRevision: "main", path: "addons/crds/issuer/v1.0.0", kustomize: {} });
  });

  it("GIVEN a spoke THEN its CRD Applications deploy to the spoke by its registered name", () => {
    const spoke = cluster("prod-use1", ["prod"], { topology: "hub", hub: "ops-use1", registeredName: "prod-use1-eks" });
    const app = byName(argocdObjects(input({ cluster: spoke, environments: [environment("prod")], addons })), "prod-use1-addon-cert-manager-crds");
    expect(app.spec.destination).toEqual({ name: "prod-use1-eks" });
  });

  it("keeps an add-on wave below the tenants' whatever the library says", () => {
    const objects = argocdObjects(input({ addons: [{ name: "late", namespace: "late", syncWave: 500, serverSideApply: false }] }));
    expect(byName(objects, "dev-use1-addons").spec.generators[0].list.elements[0].wave).toBe("49");
  });

  it("GIVEN a hub and a spoke THEN the spoke deploys by registered name, is bootstrapped from the hub, and nothing is rendered twice", () => {
    const hub = cluster("ops-use1", ["dev"]);
    const spoke = cluster("prod-use1", ["prod"], { topology: "hub", hub: "ops-use1", registeredName: "prod-use1-eks" });
    const hubObjects = argocdObjects(input({ cluster: hub, spokes: [{ name: "prod-use1", sourceFile: "clusters/prod-use1/cluster.ts" }] }));
    const spokeObjects = argocdObjects(input({ cluster: spoke, environments: [environment("prod")], apps: [{ environment: "prod", app: "ledger", tenant: "payments" }] }));
    expectValid([...hubObjects, ...spokeObjects]);

    expect(hubObjects.filter((o) => o.kind === "Application").map((o) => o.metadata.name)).toEqual(["ops-use1-bootstrap", "prod-use1-bootstrap"]);
    const spokeRoot = byName(hubObjects, "prod-use1-bootstrap");
    expect(spokeRoot.spec.source.path).toBe("clusters/prod-use1/argocd");
    expect(spokeRoot.spec.destination).toEqual({ server: "https://kubernetes.default.svc", namespace: "argocd" });
    expect(spokeObjects.some((o) => o.kind === "Application")).toBe(false);

    expect(byName(spokeObjects, "prod-use1-prod-payments").spec.template.spec.destination).toEqual({ name: "prod-use1-eks", namespace: "payments-prod" });
    expect(byName(spokeObjects, "prod-use1-payments").spec.destinations).toEqual([{ name: "prod-use1-eks", namespace: "payments-prod" }]);

    const keys = [...hubObjects, ...spokeObjects].map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("validates every model it returns", () => {
    for (const model of argocdModels(input({ addons }))) expect(() => model.validate()).not.toThrow();
  });
});
