/**
 * The incremental path must never change what render produces: every test compares a cached
 * render with a cold one. Renders after an edit run the CLI in a fresh process, as users do
 * (a process never re-imports a module it already imported).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE_DIR } from "./cache";
import { renderFleet } from "./render";
import { editFile, fingerprint, renderedFleetCopies, REPO_ROOT } from "./test-fleet";

const CLI = join(REPO_ROOT, "packages/cli/bin/slipway.js");
const fleet = renderedFleetCopies("cache-");

interface CliResult {
  readonly written: string[];
  readonly deleted: string[];
  readonly cache: { hits: number; synthesized: number; definitionsImported: number; definitionsCached: number; platformReused: boolean; indexesSpliced: number };
}

function render(root: string, env: Record<string, string> = {}): CliResult {
  const out = execFileSync(process.execPath, [CLI, "render", "--json"], { cwd: root, env: { ...process.env, NO_COLOR: "1", ...env }, encoding: "utf8" });
  return JSON.parse(out) as CliResult;
}

/** The same edits in a second copy, rendered with the cache off: what the tree must be. */
function coldTree(edit: (root: string) => void): Record<string, string> {
  const root = fleet("cold");
  edit(root);
  render(root, { SLIPWAY_CACHE: "off" });
  return fingerprint(join(root, "clusters"));
}


describe("render cache", () => {
  it("GIVEN a rendered fleet WHEN rendered again THEN nothing is imported or synthesized and the tree equals a cold render", () => {
    const root = fleet("warm");
    const first = render(root);
    expect(first.cache.synthesized).toBeGreaterThan(0);
    const second = render(root);
    expect(second.cache).toMatchObject({ synthesized: 0, definitionsImported: 0 });
    expect(second.cache.hits).toBe(first.cache.synthesized);
    expect(second.written).toEqual([]);
    expect(fingerprint(join(root, "clusters"))).toEqual(coldTree(() => {}));
  });

  it("GIVEN apps importing a shared module WHEN the shared module changes THEN exactly those apps are re-rendered, as a cold render would", () => {
    const share = (root: string) => {
      writeFileSync(join(root, "apps/payments/shared.ts"), 'export const cacheTtl = "300";\n');
      for (const app of ["reconcile", "settlement"]) {
        editFile(join(root, `apps/payments/${app}/app.ts`), (t) =>
          t
            .replace('import { defineApp } from "@slipway/core";', 'import { defineApp } from "@slipway/core";\nimport { cacheTtl } from "../shared";')
            .replace(/config: \{/, "config: { SHARED_TTL: cacheTtl,")
            .replace(/(\n  kind: "[^"]+",\n)(?![\s\S]*config: \{)/, '$1  config: { SHARED_TTL: cacheTtl },\n'),
        );
      }
    };
    const change = (root: string) => editFile(join(root, "apps/payments/shared.ts"), (t) => t.replace('"300"', '"600"'));
    const root = fleet("shared");
    share(root);
    render(root);
    change(root);
    const after = render(root);
    expect(after.cache.definitionsImported).toBe(2);
    const changedApps = new Set(after.written.filter((p) => /\/(dev|staging|prod)\//.test(p)).map((p) => p.split("/")[3]));
    expect([...changedApps].sort()).toEqual(["reconcile", "settlement"]);
    expect(fingerprint(join(root, "clusters"))).toEqual(coldTree((r) => (share(r), change(r))));
  });

  it("GIVEN a promotion (releases.yaml changes) WHEN rendered THEN only the promoted app's instances are synthesized", () => {
    const promote = (root: string) => editFile(join(root, "environments/prod/releases.yaml"), (t) => t.replace(/(  settlement:\n(?:    .*\n)*?    tag: )"?[^"\n]+"?/, '$1"9.9.9"'));
    const root = fleet("promote");
    render(root);
    promote(root);
    const after = render(root);
    const prodSettlement = after.written.filter((p) => p.includes("/prod/settlement/"));
    expect(prodSettlement).toEqual(["clusters/prod-euw1/prod/settlement/deployment-settlement.yaml", "clusters/prod-use1/prod/settlement/deployment-settlement.yaml"]);
    expect(after.cache.synthesized).toBe(2);
    expect(fingerprint(join(root, "clusters"))).toEqual(coldTree(promote));
  });

  it("GIVEN a corrupted or foreign cache WHEN rendered THEN it is ignored and the tree equals a cold render", () => {
    const root = fleet("corrupt");
    render(root);
    const cache = join(root, CACHE_DIR);
    writeFileSync(join(cache, "units.json"), "{ not json");
    writeFileSync(join(cache, "definitions.json"), JSON.stringify({ version: 1, toolchain: "someone else's", modules: { "apps/shop/storefront/app.ts": { key: "x", input: {} } } }));
    editFile(join(root, "clusters/dev-use1/dev/storefront/deployment-storefront.yaml"), (t) => t.replace("revisionHistoryLimit: 5", "revisionHistoryLimit: 6"));
    const after = render(root);
    expect(after.cache.hits).toBe(0);
    expect(after.written).toEqual(["clusters/dev-use1/dev/storefront/deployment-storefront.yaml"]);
    expect(fingerprint(join(root, "clusters"))).toEqual(coldTree(() => {}));
  });

  it("GIVEN a warm cache WHEN a cached instance's file is edited by hand or deleted THEN render restores it and check reports it", async () => {
    const root = fleet("hand-edit");
    render(root);
    const file = join(root, "clusters/prod-use1/prod/storefront/service-storefront.yaml");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, `${original}# edited\n`);
    const check = await renderFleet({ root, mode: "check" });
    expect(check.differences).toEqual(["clusters/prod-use1/prod/storefront/service-storefront.yaml: differs from what render produces (edited by hand, or stale)"]);
    const after = render(root);
    expect(after.written).toEqual(["clusters/prod-use1/prod/storefront/service-storefront.yaml"]);
    expect(readFileSync(file, "utf8")).toBe(original);
  });

  it("GIVEN a cache that vouches for an older tree (clusters/ restored from git) WHEN rendered THEN the tree is rendered again, not trusted", () => {
    const root = fleet("restored");
    render(root);
    const saved = join(root, ".slipway/saved-clusters");
    mkdirSync(saved, { recursive: true });
    cpSync(join(root, "clusters"), saved, { recursive: true });
    const bump = (r: string) => editFile(join(r, "apps/shop/storefront/app.ts"), (t) => t.replace("cpuTargetPercent: 70", "cpuTargetPercent: 71"));
    bump(root);
    render(root);
    // Sources stay edited; the rendered tree goes back to before the edit, rendered.json included.
    cpSync(saved, join(root, "clusters"), { recursive: true });
    const after = render(root);
    expect(after.written.some((p) => p.includes("/storefront/"))).toBe(true);
    expect(fingerprint(join(root, "clusters"))).toEqual(coldTree(bump));
  });

  it("GIVEN rendered.json edited by hand (one entry's hash), then a filtered render of another app WHEN rendered THEN the edited unit is rendered again, not trusted", () => {
    const root = fleet("index-edit");
    render(root);
    const index = join(root, "clusters/prod-use1/rendered.json");
    const path = "prod/storefront/service-storefront.yaml";
    const text = readFileSync(index, "utf8");
    const sha = (JSON.parse(text) as { files: Record<string, { sha256: string }> }).files[path]!.sha256;
    writeFileSync(index, text.replace(sha, "0".repeat(64)));
    // A filtered render keeps the storefront's entries as it found them: it must not vouch for them.
    const filtered = JSON.parse(execFileSync(process.execPath, [CLI, "render", "--json", "--app", "settlement"], { cwd: root, encoding: "utf8" })) as CliResult;
    expect(filtered.written.some((p) => p.includes("/storefront/"))).toBe(false);
    const after = render(root);
    expect(after.cache.synthesized).toBe(1);
    expect(after.written).toEqual(["clusters/prod-use1/rendered.json"]);
    expect(fingerprint(join(root, "clusters"))).toEqual(coldTree(() => {}));
  });

  it("GIVEN a change inside one app WHEN rendered THEN tenants, add-ons and Argo CD are reused; a tenant change re-renders them, as a cold render would", () => {
    const root = fleet("platform");
    render(root);
    const before = fingerprint(join(root, "clusters"));
    const appEdit = (r: string) => editFile(join(r, "apps/shop/storefront/app.ts"), (t) => t.replace('SESSION_TTL_SECONDS: "1800"', 'SESSION_TTL_SECONDS: "2100"'));
    appEdit(root);
    const afterApp = render(root);
    expect(afterApp.cache.platformReused).toBe(true);
    expect(afterApp.written.every((p) => p.includes("/storefront/") || /rendered\.json$|README\.md$/.test(p))).toBe(true);
    // Exactly the files whose bytes changed are written.
    const after = fingerprint(join(root, "clusters"));
    expect(afterApp.written).toEqual(Object.keys(after).filter((p) => after[p] !== before[p]).map((p) => `clusters/${p}`).sort());
    const tenantEdit = (r: string) => editFile(join(r, "apps/payments/tenant.ts"), (t) => t.replace('"payments-oncall"', '"payments-oncall", "payments-sre"'));
    tenantEdit(root);
    const afterTenant = render(root);
    expect(afterTenant.cache.platformReused).toBe(false);
    expect(afterTenant.written.some((p) => p.includes("/tenants/payments/"))).toBe(true);
    expect(fingerprint(join(root, "clusters"))).toEqual(coldTree((r) => (appEdit(r), tenantEdit(r))));
  });

  it("GIVEN app edits that drop and add an object WHEN rendered THEN each index is updated in place, and the tree (indexes and README counts included) equals a cold render", () => {
    const root = fleet("splice");
    render(root);
    const clusters = readdirSync(join(root, "clusters")).length;
    const dropConfig = (r: string) => editFile(join(r, "apps/shop/storefront/app.ts"), (t) => t.replace(/\n  config: \{[^}]*\},/, ""));
    dropConfig(root);
    const dropped = render(root);
    expect(dropped.cache).toMatchObject({ synthesized: 4, platformReused: true, indexesSpliced: clusters });
    expect(dropped.deleted.sort()).toEqual(readdirSync(join(root, "clusters")).sort().map((c) => `clusters/${c}/${c.split("-")[0]}/storefront/configmap-storefront-config.yaml`));
    expect(dropped.written.filter((p) => p.endsWith("README.md")).length).toBeGreaterThan(0);
    expect(fingerprint(join(root, "clusters"))).toEqual(coldTree(dropConfig));

    const addConfig = (r: string) => editFile(join(r, "apps/shop/storefront/app.ts"), (t) => t.replace("  resources: {", '  config: { FEATURED_PRODUCTS: "24" },\n  resources: {'));
    addConfig(root);
    const added = render(root);
    expect(added.cache).toMatchObject({ synthesized: 4, platformReused: true, indexesSpliced: clusters });
    expect(added.written.filter((p) => /\/storefront\/configmap-/.test(p)).length).toBe(clusters);
    expect(fingerprint(join(root, "clusters"))).toEqual(coldTree((r) => (dropConfig(r), addConfig(r))));
  });

  it("GIVEN reused platform units WHEN one of their files is edited by hand THEN render restores it", () => {
    const root = fleet("platform-edit");
    render(root);
    const file = join(root, "clusters/prod-use1/argocd/bootstrap.yaml");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, original.replace("prune: true", "prune: false"));
    const after = render(root);
    expect(after.cache.platformReused).toBe(false);
    expect(after.written).toContain("clusters/prod-use1/argocd/bootstrap.yaml");
    expect(readFileSync(file, "utf8")).toBe(original);
  });
});
