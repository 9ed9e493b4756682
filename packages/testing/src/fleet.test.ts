import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { copyFixtureFleet, editFile, fingerprint, FIXTURE_FLEET, fixtureFleetCopies, fixtureFleetRepo, removeFleet } from "./fleet";

const fleet = fixtureFleetCopies("self-");
const WORKSPACE = fileURLToPath(new URL("../../../", import.meta.url));

const read = (path: string) => readFileSync(join(FIXTURE_FLEET, path), "utf8");
const dirs = (path: string) => readdirSync(join(FIXTURE_FLEET, path)).filter((n) => lstatSync(join(FIXTURE_FLEET, path, n)).isDirectory()).sort();

describe("the fixture fleet", () => {
  it("has dev → staging → prod, four clusters, two tenants, one app of each kind and four add-ons", () => {
    expect(dirs("environments")).toEqual(["dev", "prod", "staging"]);
    expect(read("environments/staging/environment.ts")).toContain('promotesFrom: "dev"');
    expect(read("environments/prod/environment.ts")).toContain('promotesFrom: "staging"');
    expect(read("environments/prod/environment.ts")).toContain('steps: [{ clusters: ["prod-use1"] }, { clusters: ["prod-euw1"] }]');
    expect(dirs("clusters")).toEqual(["dev-use1", "prod-euw1", "prod-use1", "staging-use1"]);
    expect(read("clusters/prod-euw1/cluster.ts")).toContain('argocd: { topology: "hub", hub: "prod-use1", registeredName: "prod-euw1" }');
    // Only definitions: whatever render produces is produced by the tests that need it.
    for (const cluster of dirs("clusters")) expect(readdirSync(join(FIXTURE_FLEET, "clusters", cluster))).toEqual(["cluster.ts"]);
    expect(dirs("apps")).toEqual(["payments", "shop"]);
    const kinds = Object.fromEntries(
      ["payments/reconcile", "payments/settlement", "shop/storefront"].map((app) => [app, /kind: "([^"]+)"/.exec(read(`apps/${app}/app.ts`))?.[1]]),
    );
    expect(kinds).toEqual({ "payments/reconcile": "cron-job", "payments/settlement": "worker", "shop/storefront": "web-service" });
    expect(read("apps/shop/storefront/app.ts")).toContain("ingress: {");
    expect(readdirSync(join(FIXTURE_FLEET, "addons")).sort()).toEqual(["aws-load-balancer-controller.ts", "cert-manager.ts", "crds", "external-secrets.ts", "metrics-server.ts"]);
    // cert-manager's CRDs: a kustomization fetching the release's CRD file of the pinned tag.
    expect(readdirSync(join(FIXTURE_FLEET, "addons", "crds", "cert-manager"))).toEqual(["v1.18.2"]);
  });

  it("releases every app in every environment, by digest and commit, each promoted from the environment before", () => {
    const from: Record<string, string | undefined> = { dev: undefined, staging: "dev", prod: "staging" };
    for (const [env, promotedFrom] of Object.entries(from)) {
      const apps = (parse(read(`environments/${env}/releases.yaml`)) as { apps: Record<string, Record<string, string>> }).apps;
      expect(Object.keys(apps), env).toEqual(["reconcile", "settlement", "storefront"]);
      for (const [app, release] of Object.entries(apps)) {
        const tenant = app === "storefront" ? "shop" : "payments";
        expect(`${release.image}:${release.tag}@${release.digest}`, `${env} ${app}`).toMatch(new RegExp(`^210987654321\\.dkr\\.ecr\\.us-east-1\\.amazonaws\\.com/${tenant}/${app}:\\d+\\.\\d+\\.\\d+@sha256:[0-9a-f]{64}$`));
        expect(release.commit, `${env} ${app}`).toMatch(/^[0-9a-f]{40}$/);
        expect(release.promotedFrom, `${env} ${app}`).toBe(promotedFrom);
      }
    }
  });
});

describe("copies of the fixture fleet", () => {
  it("GIVEN a copy THEN it holds the fleet byte for byte, in its own directory, and resolves @slipway/* from the workspace", () => {
    const a = fleet("a");
    const b = fleet("b");
    expect(a).not.toBe(b);
    expect(a.startsWith(WORKSPACE)).toBe(false);
    for (const entry of ["apps", "environments", "addons", "clusters"]) expect(fingerprint(join(a, entry)), entry).toEqual(fingerprint(join(FIXTURE_FLEET, entry)));
    expect(readFileSync(join(a, "slipway.config.ts"), "utf8")).toBe(read("slipway.config.ts"));
    const resolved = createRequire(join(a, "apps/shop/storefront/app.ts")).resolve("@slipway/core");
    expect(resolved).toBe(join(WORKSPACE, "packages/core/src/index.ts"));
  });

  it("GIVEN a copy taken from another copy THEN it carries that copy's tree but never its .slipway/ work directory", () => {
    const from = fleet("from");
    writeFileSync(join(from, "clusters/dev-use1/README.md"), "rendered\n");
    writeFileSync(join(from, "slipway.config.ts"), "export default {};\n");
    const to = copyFixtureFleet("to", from);
    try {
      expect(readFileSync(join(to, "clusters/dev-use1/README.md"), "utf8")).toBe("rendered\n");
      expect(readFileSync(join(to, "slipway.config.ts"), "utf8")).toBe("export default {};\n");
      expect(existsSync(join(to, ".slipway"))).toBe(false);
    } finally {
      removeFleet(to);
    }
    expect(existsSync(to)).toBe(false);
  });

  describe("prepared once", () => {
    let prepared = 0;
    const rendered = fixtureFleetCopies("self-prepared-", {
      prepare: (root) => {
        prepared++;
        writeFileSync(join(root, "clusters/prod-use1/README.md"), "prepared\n");
      },
    });

    it("GIVEN a prepare step THEN it runs once, and every copy starts from its result", () => {
      const one = rendered("one");
      const two = rendered("two");
      expect(prepared).toBe(1);
      for (const copy of [one, two]) expect(readFileSync(join(copy, "clusters/prod-use1/README.md"), "utf8")).toBe("prepared\n");
      expect(fingerprint(join(one, "clusters"))).toEqual(fingerprint(join(rendered.template, "clusters")));
    });
  });
});

describe("fixtureFleetRepo", () => {
  it("GIVEN a repository THEN everything is committed once on main, pushed to origin, with a local identity", async () => {
    const repo = await fixtureFleetRepo({ prepare: (root) => writeFileSync(join(root, "clusters/dev-use1/README.md"), "rendered\n") });
    try {
      expect(repo.git("status", "--porcelain", "--untracked-files=all")).toBe("");
      expect(repo.git("rev-list", "--count", "HEAD").trim()).toBe("1");
      expect(repo.git("ls-remote", "origin", "main").split("\t")[0]).toBe(repo.git("rev-parse", "HEAD").trim());
      expect(repo.git("config", "--local", "user.email").trim()).toBe("test@example.com");
      const files = repo.git("ls-files").trim().split("\n");
      expect(files).toContain("apps/shop/storefront/app.ts");
      expect(files).toContain("slipway.config.ts");
      expect(files).toContain("clusters/dev-use1/README.md");
      expect(files.some((f) => f.startsWith("node_modules"))).toBe(false);
      editFile(join(repo.dir, "apps/shop/storefront/app.ts"), (t) => t.replace("max: 4", "max: 5"));
      expect(repo.commit("scale storefront")).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      repo.cleanup();
    }
    expect(existsSync(repo.dir)).toBe(false);
  });
});

describe("fingerprint and editFile", () => {
  it("GIVEN an edit that changes nothing THEN editFile refuses it; a real edit shows in the fingerprint", () => {
    const root = fleet("edit");
    const before = fingerprint(root);
    expect(Object.keys(before)).toContain("apps/payments/tenant.ts");
    expect(before.node_modules).toMatch(/^symlink → /);
    const file = join(root, "apps/payments/tenant.ts");
    expect(() => editFile(file, (t) => t.replace("no such text", "x"))).toThrow(/changed nothing/);
    editFile(file, (t) => t.replace('"payments-oncall"', '"payments-oncall", "payments-sre"'));
    const after = fingerprint(root);
    expect(Object.keys(after).filter((p) => after[p] !== before[p])).toEqual(["apps/payments/tenant.ts"]);
  });
});
