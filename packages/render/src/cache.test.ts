/**
 * The cache only makes render faster: every test compares a cached render with a cold one (a
 * render of the same sources in a fresh copy, cache off), and checks what was carried over.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE_DIR } from "./cache-files";
import { renderFleet, type RenderResult } from "./render";
import { editFile, fingerprint, renderedFleetCopies } from "../test/test-fleet";

const fleet = renderedFleetCopies("cache-");

const render = (root: string): Promise<RenderResult> => renderFleet({ root, mode: "write" });

/** The same edits in a second copy, rendered with the cache off: what the tree must be. */
async function coldTree(edit: (root: string) => void): Promise<Record<string, string>> {
  const root = fleet("cold");
  edit(root);
  await renderFleet({ root, mode: "write", cache: false });
  return fingerprint(join(root, "clusters"));
}

const storefrontTtl = (value: string) => (root: string) => editFile(join(root, "apps/shop/storefront/app.ts"), (t) => t.replace(/SESSION_TTL_SECONDS: "\d+"/, `SESSION_TTL_SECONDS: "${value}"`));

describe("render cache", () => {
  it("GIVEN a rendered fleet WHEN rendered again THEN nothing is imported or synthesized and the tree equals a cold render", async () => {
    const root = fleet("warm");
    const first = await render(root);
    expect(first.cache.synthesized).toBeGreaterThan(0);
    const second = await render(root);
    expect(second.cache).toMatchObject({ synthesized: 0, definitionsImported: 0, platformReused: true });
    expect(second.cache.hits).toBe(first.cache.synthesized);
    expect(second.written).toEqual([]);
    expect(fingerprint(join(root, "clusters"))).toEqual(await coldTree(() => {}));
  });

  it("GIVEN apps importing a shared module WHEN the shared module changes THEN exactly those apps are loaded and rendered again, as a cold render would", async () => {
    const share = (root: string) => {
      writeFileSync(join(root, "apps/payments/shared.ts"), 'export const cacheTtl = "300";\n');
      for (const app of ["reconcile", "settlement"]) {
        editFile(join(root, `apps/payments/${app}/app.ts`), (t) =>
          t.replace('import { defineApp } from "@slipway/core";', 'import { defineApp } from "@slipway/core";\nimport { cacheTtl } from "../shared";').replace(/(\n  kind: "[^"]+",\n)/, "$1  config: { SHARED_TTL: cacheTtl },\n"),
        );
      }
    };
    const change = (root: string) => editFile(join(root, "apps/payments/shared.ts"), (t) => t.replace('"300"', '"600"'));
    const root = fleet("shared");
    share(root);
    await render(root);
    change(root);
    const after = await render(root);
    expect(after.cache.definitionsImported).toBe(2);
    const changedApps = new Set(after.written.filter((p) => /\/(dev|staging|prod)\//.test(p)).map((p) => p.split("/")[3]));
    expect([...changedApps].sort()).toEqual(["reconcile", "settlement"]);
    expect(fingerprint(join(root, "clusters"))).toEqual(await coldTree((r) => (share(r), change(r))));
  });

  it("GIVEN a promotion (releases.yaml changes) WHEN rendered THEN only the promoted app's instances are synthesized", async () => {
    const promote = (root: string) => editFile(join(root, "environments/prod/releases.yaml"), (t) => t.replace(/(  settlement:\n(?:    .*\n)*?    tag: )"?[^"\n]+"?/, '$1"9.9.9"'));
    const root = fleet("promote");
    await render(root);
    promote(root);
    const after = await render(root);
    expect(after.written.filter((p) => p.includes("/prod/settlement/"))).toEqual(["clusters/prod-euw1/prod/settlement/deployment-settlement.yaml", "clusters/prod-use1/prod/settlement/deployment-settlement.yaml"]);
    expect(after.cache).toMatchObject({ synthesized: 2, platformReused: true });
    expect(fingerprint(join(root, "clusters"))).toEqual(await coldTree(promote));
  });

  it("GIVEN a change inside one app WHEN rendered THEN only its instances and the indexes are written; a tenant change renders the platform again, as a cold render would", async () => {
    const root = fleet("platform");
    await render(root);
    const before = fingerprint(join(root, "clusters"));
    storefrontTtl("2100")(root);
    const afterApp = await render(root);
    expect(afterApp.cache.platformReused).toBe(true);
    const after = fingerprint(join(root, "clusters"));
    // Exactly the files whose bytes changed are written.
    expect(afterApp.written).toEqual(Object.keys(after).filter((p) => after[p] !== before[p]).map((p) => `clusters/${p}`).sort());
    expect(afterApp.written.every((p) => p.includes("/storefront/") || p.endsWith("rendered.json"))).toBe(true);
    const tenantEdit = (r: string) => editFile(join(r, "apps/payments/tenant.ts"), (t) => t.replace('"payments-oncall"', '"payments-oncall", "payments-sre"'));
    tenantEdit(root);
    const afterTenant = await render(root);
    expect(afterTenant.cache.platformReused).toBe(false);
    expect(afterTenant.written.some((p) => p.includes("/tenants/payments/"))).toBe(true);
    expect(fingerprint(join(root, "clusters"))).toEqual(await coldTree((r) => (storefrontTtl("2100")(r), tenantEdit(r))));
  });

  it("GIVEN app edits that drop and then add an object WHEN rendered THEN the files, indexes and README counts equal a cold render", async () => {
    const dropConfig = (r: string) => editFile(join(r, "apps/shop/storefront/app.ts"), (t) => t.replace(/\n  config: \{[^}]*\},/, ""));
    const addConfig = (r: string) => editFile(join(r, "apps/shop/storefront/app.ts"), (t) => t.replace("  resources: {", '  config: { FEATURED_PRODUCTS: "24" },\n  resources: {'));
    const root = fleet("drop-add");
    await render(root);
    dropConfig(root);
    const dropped = await render(root);
    expect(dropped.deleted.filter((p) => p.endsWith("configmap-storefront-config.yaml"))).toHaveLength(4);
    expect(fingerprint(join(root, "clusters"))).toEqual(await coldTree(dropConfig));
    addConfig(root);
    const added = await render(root);
    expect(added.written.filter((p) => /\/storefront\/configmap-/.test(p))).toHaveLength(4);
    expect(fingerprint(join(root, "clusters"))).toEqual(await coldTree((r) => (dropConfig(r), addConfig(r))));
  });

  it("GIVEN a corrupted or foreign cache WHEN rendered THEN it is ignored and the tree equals a cold render", async () => {
    const root = fleet("corrupt");
    await render(root);
    storefrontTtl("1200")(root);
    writeFileSync(join(root, CACHE_DIR, "units.json"), "{ not json");
    writeFileSync(join(root, CACHE_DIR, "definitions.json"), JSON.stringify({ version: 4, toolchain: "someone else's", entries: { "apps/shop/storefront/app.ts": { inputs: {}, env: "", value: {} } } }));
    const after = await render(root);
    expect(after.cache.hits).toBe(0);
    expect(fingerprint(join(root, "clusters"))).toEqual(await coldTree(storefrontTtl("1200")));
  });

  it("GIVEN a valid but stale cache (restored from an older state of the fleet) WHEN rendered THEN its entries are ignored: the output is the sources' own", async () => {
    const root = fleet("stale");
    await render(root);
    const saved = join(root, "..", `${root.split("/").pop()}-saved-cache`);
    cpSync(join(root, CACHE_DIR), saved, { recursive: true });
    storefrontTtl("2400")(root);
    await render(root);
    // The cache of the older sources comes back, as an actions/cache restore or a copy would bring it.
    rmSync(join(root, CACHE_DIR), { recursive: true, force: true });
    cpSync(saved, join(root, CACHE_DIR), { recursive: true });
    rmSync(saved, { recursive: true, force: true });
    const after = await render(root);
    expect(after.cache.definitionsImported).toBe(1);
    expect(readFileSync(join(root, "clusters/dev-use1/dev/storefront/configmap-storefront-config.yaml"), "utf8")).toContain('SESSION_TTL_SECONDS: "2400"');
    expect(fingerprint(join(root, "clusters"))).toEqual(await coldTree(storefrontTtl("2400")));
    expect((await renderFleet({ root, mode: "check" })).differences).toEqual([]);
  });

  it("GIVEN deleting .slipway/ WHEN rendered THEN no byte changes", async () => {
    const root = fleet("deleted");
    storefrontTtl("1500")(root);
    await render(root);
    const before = fingerprint(join(root, "clusters"));
    rmSync(join(root, ".slipway"), { recursive: true, force: true });
    const after = await render(root);
    expect(after.written).toEqual([]);
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
  });

  it("GIVEN a definition reading the environment WHEN the variable is undeclared THEN render fails naming the file; declared, its value is part of the key", async () => {
    const root = fleet("env");
    await render(root);
    const readTtl = (expression: string) => (r: string) => editFile(join(r, "apps/shop/storefront/app.ts"), (t) => t.replace(/SESSION_TTL_SECONDS: "\d+"/, `SESSION_TTL_SECONDS: ${expression}`));
    readTtl('process["env"].TTL ?? "60"')(root);
    const before = fingerprint(join(root, "clusters"));
    await expect(render(root)).rejects.toMatchObject({ message: expect.stringMatching(/^threw while it was loaded: process\.env\.TTL is not declared/), details: { file: "apps/shop/storefront/app.ts" } });
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
    editFile(join(root, "slipway.config.ts"), (t) => t.replace(/\n\} satisfies/, '\n  definitions: { env: ["TTL"] },\n} satisfies'));
    const config = join(root, "clusters/dev-use1/dev/storefront/configmap-storefront-config.yaml");
    process.env.TTL = "120";
    try {
      await render(root);
      expect(readFileSync(config, "utf8")).toContain('SESSION_TTL_SECONDS: "120"');
      process.env.TTL = "240";
      const changed = await render(root);
      expect(changed.cache.definitionsImported).toBeGreaterThan(0);
      expect(readFileSync(config, "utf8")).toContain('SESSION_TTL_SECONDS: "240"');
    } finally {
      delete process.env.TTL;
    }
  });
});
