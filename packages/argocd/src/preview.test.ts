import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { previewCluster } from "./preview";
import { FixtureTree, cluster, input, tenant, type InputOptions } from "./test-fixtures";

const C = "dev-use1";
const baseApps = [
  { environment: "dev", app: "ledger", tenant: "payments" },
  { environment: "dev", app: "checkout", tenant: "storefront" },
];

let tree: FixtureTree;

/** Renders the fixture cluster: app and tenant directories, then its Argo CD objects. */
function render(options: InputOptions = {}): void {
  const apps = options.apps ?? baseApps;
  for (const a of apps) tree.app(C, a.environment, a.app, a.tenant);
  tree.tenantDir(C, "payments", ["dev"]);
  tree.tenantDir(C, "storefront", ["dev"]);
  tree.argocd(input({ ...options, apps }));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into written YAML, which is untyped
function editYaml(path: string, edit: (object: any) => void): void {
  const abs = join(tree.root, path);
  const object = parse(readFileSync(abs, "utf8"));
  edit(object);
  writeFileSync(abs, stringify(object));
}

const names = () => previewCluster(tree.root, C).applications.map((a) => a.name);
const codes = () => previewCluster(tree.root, C).problems.map((p) => p.code);

beforeEach(() => {
  tree = new FixtureTree();
});
afterEach(() => rmSync(tree.root, { recursive: true, force: true }));

describe("previewCluster", () => {
  it("GIVEN a rendered cluster WHEN previewed THEN it lists every Application with project, source and destination, and no problems", () => {
    render();
    const { applications, problems } = previewCluster(tree.root, C);
    expect(problems).toEqual([]);
    expect(applications.map((a) => a.name)).toEqual([
      "dev-use1-bootstrap",
      "dev-use1-dev-checkout",
      "dev-use1-dev-ledger",
      "dev-use1-tenant-payments",
      "dev-use1-tenant-storefront",
    ]);
    const ledger = applications.find((a) => a.name === "dev-use1-dev-ledger")!;
    expect(ledger).toMatchObject({
      applicationSet: "dev-use1-dev-payments",
      project: "dev-use1-payments",
      source: { path: "clusters/dev-use1/dev/ledger", local: true },
      destination: { server: "https://kubernetes.default.svc", namespace: "payments-dev" },
      labels: { "slipway.dev/app": "ledger", "slipway.dev/tenant": "payments", "slipway.dev/environment": "dev" },
      syncWave: "60",
    });
  });

  it("GIVEN an app directory is added (and rendered) THEN exactly one Application is added", () => {
    render();
    const before = names();
    render({ apps: [...baseApps, { environment: "dev", app: "settlement", tenant: "payments" }] });
    const after = names();
    expect(after.filter((n) => !before.includes(n))).toEqual(["dev-use1-dev-settlement"]);
    expect(before.filter((n) => !after.includes(n))).toEqual([]);
    expect(codes()).toEqual([]);
  });

  it("GIVEN a tenant directory appears THEN the tenants generator (a glob) yields exactly one more Application", () => {
    render();
    const before = names();
    tree.tenantDir(C, "data", ["dev"]);
    tree.flushIndex(C);
    expect(names().filter((n) => !before.includes(n))).toEqual(["dev-use1-tenant-data"]);
  });

  it("GIVEN an app directory is deleted (and rendered) THEN its Application is gone", () => {
    render();
    rmSync(join(tree.root, `clusters/${C}/dev/checkout`), { recursive: true });
    tree.forget(C, "dev/checkout/");
    rmSync(join(tree.root, `clusters/${C}/argocd`), { recursive: true });
    tree.forget(C, "argocd/");
    tree.argocd(input({ apps: baseApps.filter((a) => a.app !== "checkout") }));
    expect(names()).not.toContain("dev-use1-dev-checkout");
    expect(names()).toContain("dev-use1-dev-ledger");
    expect(codes()).toEqual([]);
  });

  it("GIVEN an app directory deleted by hand (generator not re-rendered) THEN the stale generator path is reported", () => {
    render();
    rmSync(join(tree.root, `clusters/${C}/dev/checkout`), { recursive: true });
    expect(names()).not.toContain("dev-use1-dev-checkout");
    expect(codes()).toEqual(["generator"]);
  });

  it("GIVEN a typo in a generator path THEN it is caught", () => {
    render();
    editYaml(`clusters/${C}/argocd/applicationset-dev-use1-dev-payments.yaml`, (set) => {
      set.spec.generators[0].git.directories[0].path = "clusters/dev-use1/dve/ledger";
    });
    const { problems } = previewCluster(tree.root, C);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "generator", file: `clusters/${C}/argocd/applicationset-dev-use1-dev-payments.yaml` });
    expect(problems[0]!.message).toContain("clusters/dev-use1/dve/ledger");
  });

  it("GIVEN a typo in a glob generator path THEN it is caught too", () => {
    render();
    editYaml(`clusters/${C}/argocd/applicationset-dev-use1-tenants.yaml`, (set) => {
      set.spec.generators[0].git.directories[0].path = "clusters/dev-use1/tenant/*";
    });
    expect(codes()).toEqual(["generator"]);
  });

  it("GIVEN a template pointing elsewhere than the generated directory THEN the missing directory is caught", () => {
    render();
    editYaml(`clusters/${C}/argocd/applicationset-dev-use1-dev-payments.yaml`, (set) => {
      set.spec.template.spec.source.path = "clusters/dev-use1/{{.path.basename}}";
    });
    expect(codes()).toEqual(["missing-directory"]);
  });

  it("GIVEN an empty source directory THEN it is caught", () => {
    render();
    rmSync(join(tree.root, `clusters/${C}/dev/ledger/deployment-ledger.yaml`));
    mkdirSync(join(tree.root, `clusters/${C}/dev/ledger/sub`), { recursive: true });
    expect(codes()).toEqual(["empty-directory"]);
  });

  it("GIVEN a template key that no generator provides THEN missingkey=error is honoured", () => {
    render();
    editYaml(`clusters/${C}/argocd/applicationset-dev-use1-dev-payments.yaml`, (set) => {
      set.spec.template.metadata.name = "dev-use1-dev-{{.path.name}}";
    });
    expect(codes()).toEqual(["template"]);
  });

  it("GIVEN a tenant Application targeting another tenant's namespace THEN it is caught", () => {
    render();
    editYaml(`clusters/${C}/argocd/applicationset-dev-use1-dev-payments.yaml`, (set) => {
      set.spec.template.spec.destination.namespace = "storefront-dev";
    });
    const { problems } = previewCluster(tree.root, C);
    expect(problems.map((p) => [p.code, p.application])).toEqual([["namespace-outside-project", "dev-use1-dev-ledger"]]);
  });

  it("GIVEN a tenant app whose rendered objects sit in a foreign namespace THEN it is caught", () => {
    tree.app(C, "dev", "ledger", "payments", "storefront-dev");
    render({ apps: [{ environment: "dev", app: "checkout", tenant: "storefront" }, { environment: "dev", app: "ledger", tenant: "payments" }] });
    // render() rewrote ledger into its own namespace; put the foreign one back.
    tree.app(C, "dev", "ledger", "payments", "storefront-dev");
    tree.flushIndex(C);
    const { problems } = previewCluster(tree.root, C);
    expect(problems.map((p) => p.code)).toEqual(["namespace-outside-project"]);
    expect(problems[0]!.message).toContain("storefront-dev");
  });

  it("GIVEN two Applications with one name THEN the duplicate is caught", () => {
    render();
    editYaml(`clusters/${C}/argocd/applicationset-dev-use1-dev-storefront.yaml`, (set) => {
      set.spec.template.metadata.name = "dev-use1-dev-ledger";
    });
    const { problems } = previewCluster(tree.root, C);
    expect(problems.map((p) => [p.code, p.application])).toEqual([["duplicate-name", "dev-use1-dev-ledger"]]);
  });

  it("GIVEN an Application in an undefined project THEN it is caught", () => {
    render();
    editYaml(`clusters/${C}/argocd/applicationset-dev-use1-dev-storefront.yaml`, (set) => {
      set.spec.template.spec.project = "storefront";
    });
    expect(codes()).toEqual(["unknown-project"]);
  });

  it("GIVEN an object that does not match the Argo CD schema THEN it is caught", () => {
    render();
    editYaml(`clusters/${C}/argocd/appproject-dev-use1-payments.yaml`, (p) => {
      p.spec.destinations = "payments-dev";
    });
    expect(codes()).toContain("invalid-object");
  });

  it("GIVEN a cluster with no argocd directory THEN that is a problem", () => {
    expect(codes()).toEqual(["no-argocd-objects"]);
  });

  it("GIVEN a hub THEN the spoke's bootstrap points at the spoke's argocd directory", () => {
    const spoke = cluster("prod-use1", ["prod"], { topology: "hub", hub: C, registeredName: "prod-use1-eks" });
    tree.app("prod-use1", "prod", "ledger", "payments");
    tree.tenantDir("prod-use1", "payments", ["prod"]);
    tree.argocd(input({ cluster: spoke, tenants: [tenant("payments")], apps: [{ environment: "prod", app: "ledger", tenant: "payments" }] }));
    render({ spokes: [{ name: "prod-use1", sourceFile: "clusters/prod-use1/cluster.ts" }] });
    expect(previewCluster(tree.root, C).problems).toEqual([]);
    expect(names()).toContain("prod-use1-bootstrap");
    const spokePreview = previewCluster(tree.root, "prod-use1");
    expect(spokePreview.problems).toEqual([]);
    expect(spokePreview.applications.find((a) => a.name === "prod-use1-prod-ledger")!.destination).toEqual({ name: "prod-use1-eks", namespace: "payments-prod" });
  });
});
