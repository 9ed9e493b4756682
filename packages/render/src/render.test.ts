import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AggregateSlipwayError, SlipwayError } from "@slipway/core";
import { beforeAll, describe, expect, it } from "vitest";
import { renderFleet } from "./render";
import { WORK_DIR } from "./tree";
import { FIXTURE_FLEET, REPO_ROOT, editFile, fingerprint, renderedFleetCopies } from "../test/test-fleet";

/** Copies of the fixture fleet holding its rendered tree; `fleet.template` is that first render. */
const fleet = renderedFleetCopies();

async function errorOf(task: Promise<unknown>): Promise<string> {
  try {
    await task;
  } catch (error) {
    expect(error).toBeInstanceOf(SlipwayError);
    return (error as SlipwayError).format();
  }
  throw new Error("expected render to fail");
}

describe("render on the fixture fleet", () => {
  let root: string;
  beforeAll(async () => {
    root = fleet("base");
    await renderFleet({ root, mode: "write" });
  });

  it("GIVEN a rendered tree moved to another directory WHEN checked THEN it is exactly what render produces there", async () => {
    const result = await renderFleet({ root: fleet("moved"), mode: "check" });
    expect(result.differences).toEqual([]);
  });

  it("GIVEN a rendered tree WHEN rendered again THEN nothing is written", async () => {
    const before = fingerprint(join(root, "clusters"));
    const result = await renderFleet({ root, mode: "write" });
    expect(result.written).toEqual([]);
    expect(result.deleted).toEqual([]);
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
  });

  it("lays out one file per object: clusters/<cluster>/<env>/<app>/<kind>-<name>.yaml, headed by its source", () => {
    const deployment = readFileSync(join(root, "clusters/prod-use1/prod/storefront/deployment-storefront.yaml"), "utf8");
    expect(deployment.split("\n")[0]).toBe("# Rendered by slipway from apps/shop/storefront/app.ts. Do not edit: change the source and run `npx slipway render`.");
    expect(deployment).toContain("kind: Deployment\n");
    const index = JSON.parse(readFileSync(join(root, "clusters/prod-use1/rendered.json"), "utf8"));
    expect(index.files["prod/storefront/deployment-storefront.yaml"]).toMatchObject({ kind: "Deployment", name: "storefront", namespace: "shop-prod", environment: "prod", tenant: "shop", app: "storefront" });
    expect(index.kubernetesVersion).toBe("1.33");
  });

  it("names the one file people apply by hand `argocd/bootstrap.yaml`", () => {
    const bootstrap = readFileSync(join(root, "clusters/prod-use1/argocd/bootstrap.yaml"), "utf8");
    expect(bootstrap).toMatch(/^kind: Application$/m);
    expect(bootstrap).toMatch(/^  name: prod-use1-bootstrap$/m);
    expect(existsSync(join(root, "clusters/prod-use1/argocd/application-prod-use1-bootstrap.yaml"))).toBe(false);
  });

  it("GIVEN a hand edit WHEN checked THEN check names the file; render, trusting its cache, leaves it; repair restores it", async () => {
    await renderFleet({ root, mode: "write" });
    const file = join(root, "clusters/dev-use1/dev/storefront/deployment-storefront.yaml");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, original.replace("maxSurge: 25%", "maxSurge: 50%"));
    const check = await renderFleet({ root, mode: "check" });
    expect(check.differences).toEqual(["clusters/dev-use1/dev/storefront/deployment-storefront.yaml: differs from what render produces (edited by hand, or stale)"]);
    expect((await renderFleet({ root, mode: "write" })).written).toEqual([]);
    const repaired = await renderFleet({ root, mode: "repair" });
    expect(repaired.written).toEqual(["clusters/dev-use1/dev/storefront/deployment-storefront.yaml"]);
    expect(readFileSync(file, "utf8")).toBe(original);
    expect((await renderFleet({ root, mode: "check" })).differences).toEqual([]);
  });

  it("GIVEN a hand-added manifest in an app directory WHEN checked THEN it is reported, render leaves it alone, repair deletes it", async () => {
    const file = join(root, "clusters/dev-use1/dev/storefront/configmap-extra.yaml");
    writeFileSync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n");
    const check = await renderFleet({ root, mode: "check" });
    expect(check.differences).toEqual([expect.stringMatching(/^clusters\/dev-use1\/dev\/storefront\/configmap-extra\.yaml: not rendered by slipway/)]);
    await renderFleet({ root, mode: "write" });
    expect(existsSync(file)).toBe(true);
    const repaired = await renderFleet({ root, mode: "repair" });
    expect(repaired.deleted).toEqual(["clusters/dev-use1/dev/storefront/configmap-extra.yaml"]);
    expect(existsSync(file)).toBe(false);
  });
});

describe("render keeps the tree owned, pruned and deterministic", () => {
  it("GIVEN an app's release is removed from an environment WHEN rendered THEN exactly its files are deleted", async () => {
    const root = fleet("prune");
    const before = Object.keys(fingerprint(join(root, "clusters/dev-use1/dev/settlement")));
    expect(before).toEqual([
      "deployment-settlement.yaml",
      "externalsecret-settlement-network-keys.yaml",
      "horizontalpodautoscaler-settlement.yaml",
      "networkpolicy-settlement-outbound.yaml",
      "serviceaccount-settlement.yaml",
    ]);
    editFile(join(root, "environments/dev/releases.yaml"), (t) => t.replace(/  settlement:\n(    .*\n)+/, ""));
    const result = await renderFleet({ root, mode: "write" });
    expect(result.deleted.sort()).toEqual(before.map((f) => `clusters/dev-use1/dev/settlement/${f}`).sort());
    expect(existsSync(join(root, "clusters/dev-use1/dev/settlement"))).toBe(false);
    expect(existsSync(join(root, "clusters/dev-use1/cluster.ts"))).toBe(true);
    // Besides the index and README, only the ApplicationSet listing that tenant's app directories
    // changes, and the AWS resources summary, which no longer lists the app's role.
    expect(result.written).toEqual([
      "clusters/dev-use1/README.md",
      "clusters/dev-use1/argocd/applicationset-dev-use1-dev-payments.yaml",
      "clusters/dev-use1/aws-resources/awsresources-dev-use1.yaml",
      "clusters/dev-use1/rendered.json",
    ]);
  });

  it("GIVEN an app's Pod Identity role changes WHEN rendered THEN the AWS-resources summary follows, though no app file changes", async () => {
    // The association is made on the AWS side: nothing in the app's directory names the role, so
    // only the platform's summary changes — the platform unit's key covers apps' `aws` identity.
    const root = fleet("pod-identity-role");
    // A render first, so the platform unit is recorded and could be carried over.
    expect((await renderFleet({ root, mode: "write" })).written).toEqual([]);
    editFile(join(root, "apps/payments/settlement/app.ts"), (t) => t.replace('role/payments-settlement" },\n  access', 'role/payments-settlement-v2" },\n  access'));
    const result = await renderFleet({ root, mode: "write" });
    expect(result.written.filter((f) => !f.endsWith("rendered.json") && !f.endsWith("README.md"))).toEqual(["clusters/dev-use1/aws-resources/awsresources-dev-use1.yaml"]);
    expect(readFileSync(join(root, "clusters/dev-use1/aws-resources/awsresources-dev-use1.yaml"), "utf8")).toContain("roleArn: arn:aws:iam::210900001111:role/payments-settlement-v2");
  });

  it("GIVEN a file render does not own WHEN rendered THEN it is never touched", async () => {
    // The copy already holds the rendered tree; edits come before the copy's first render in this
    // process, because an imported definition module is not re-imported within one process.
    const root = fleet("unowned");
    const notes = join(root, "clusters/prod-use1/NOTES.md");
    writeFileSync(notes, "maintenance window: Tuesdays\n");
    editFile(join(root, "apps/shop/storefront/app.ts"), (t) => t.replace("cpuTargetPercent: 70", "cpuTargetPercent: 60"));
    const result = await renderFleet({ root, mode: "write" });
    expect(result.written.length).toBeGreaterThan(0);
    expect(readFileSync(notes, "utf8")).toBe("maintenance window: Tuesdays\n");
    expect(readFileSync(join(root, "clusters/prod-use1/cluster.ts"), "utf8")).toBe(readFileSync(join(FIXTURE_FLEET, "clusters/prod-use1/cluster.ts"), "utf8"));
  });

  it("GIVEN worker threads taking small chunks WHEN a fleet is rendered from nothing THEN the tree is byte-identical to the first render", async () => {
    const root = fleet("workers");
    for (const cluster of readdirSync(join(root, "clusters"))) {
      for (const entry of readdirSync(join(root, "clusters", cluster))) {
        if (entry !== "cluster.ts") rmSync(join(root, "clusters", cluster, entry), { recursive: true });
      }
    }
    // Files are compared and staged as chunks arrive from the worker; new directories move into place whole.
    await renderFleet({ root, mode: "write", workers: 1, chunkSize: 2, cache: false });
    expect(fingerprint(join(root, "clusters"))).toEqual(fingerprint(join(fleet.template, "clusters")));
    expect(existsSync(join(root, WORK_DIR, "txn"))).toBe(false);
  });

  it("GIVEN another timezone and locale WHEN rendered by the CLI THEN the bytes are identical", () => {
    const root = fleet("tz");
    const cli = join(REPO_ROOT, "packages/cli/bin/slipway.js");
    execFileSync(process.execPath, [cli, "render"], { cwd: root, env: { ...process.env, TZ: "Pacific/Chatham", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8", NO_COLOR: "1" } });
    expect(fingerprint(join(root, "clusters"))).toEqual(fingerprint(join(fleet.template, "clusters")));
  });

  it("GIVEN filters WHEN rendering one app THEN only that app's files are considered and the rest of the index is kept", async () => {
    const root = fleet("filter");
    const indexBefore = readFileSync(join(root, "clusters/dev-use1/rendered.json"), "utf8");
    editFile(join(root, "apps/shop/storefront/app.ts"), (t) => t.replace('SESSION_TTL_SECONDS: "1800"', 'SESSION_TTL_SECONDS: "900"'));
    const result = await renderFleet({ root, mode: "write", filter: { app: "storefront", cluster: "dev-use1" } });
    expect(result.written.every((p) => p.startsWith("clusters/dev-use1/dev/storefront/") || p.endsWith("rendered.json"))).toBe(true);
    expect(result.written).toContain("clusters/dev-use1/dev/storefront/configmap-storefront-config.yaml");
    const indexAfter = JSON.parse(readFileSync(join(root, "clusters/dev-use1/rendered.json"), "utf8"));
    expect(Object.keys(indexAfter.files)).toEqual(Object.keys(JSON.parse(indexBefore).files));
  });
});

describe("a failed render changes nothing", () => {
  const broken: [string, string, (t: string) => string, RegExp[]][] = [
    ["a misspelled field", "apps/shop/storefront/app.ts", (t) => t.replace("scaling:", "scalling:"), [/apps\/shop\/storefront\/app\.ts: \(top level\): unknown field `scalling`/, /did you mean `scaling`\?/]],
    ["a policy violation in prod", "apps/shop/storefront/app.ts", (t) => t.replace("scaling: { min: 3, max: 12 }", "scaling: { min: 1, max: 12 }"), [/apps\/shop\/storefront\/app\.ts: scaling\.min: environment prod requires at least 2 replicas \(cluster prod-euw1, environment prod, app storefront\)/]],
    ["a release for an unknown app", "environments/staging/releases.yaml", (t) => t.replace("  storefront:", "  storefrnt:"), [/environments\/staging\/releases\.yaml: apps\.storefrnt: unknown app `storefrnt`/, /did you mean `storefront`\?/]],
    ["an unknown environment override", "apps/payments/settlement/app.ts", (t) => t.replace("    prod: {", "    prd: {"), [/apps\/payments\/settlement\/app\.ts: environments\.prd: unknown environment `prd`/, /did you mean `prod`\?/]],
    ["a syntax error", "apps/payments/reconcile/app.ts", (t) => t.replace("schedule: {", "schedule: {{"), [/apps\/payments\/reconcile\/app\.ts: could not be loaded/]],
    ["a wrong export", "apps/payments/settlement/app.ts", (t) => t.replace("export default defineApp(", "export const app = defineApp("), [/must `export default defineApp\(\{ \.\.\. \}\)`/]],
    ["a broken promotion chain", "environments/prod/environment.ts", (t) => t.replace('promotesFrom: "staging"', 'promotesFrom: "stage"'), [/environments\/prod\/environment\.ts: promotesFrom: promotes from unknown environment `stage`/]],
    ["an image from another registry", "apps/payments/settlement/app.ts", (t) => t.replace("/payments/settlement", "/shop/settlement"), [/image: image `.*shop\/settlement` is not from a registry tenant payments may use/]],
    ["a billion replicas", "apps/shop/storefront/app.ts", (t) => t.replace("max: 4,", "max: 1000000000,"), [/apps\/shop\/storefront\/app\.ts: scaling\.max: value is too large\n  expected: at most 1000/, /split the app/]],
    ["a 100,000-core request", "apps/shop/storefront/app.ts", (t) => t.replace('cpu: "250m"', 'cpu: "100000"'), [/apps\/shop\/storefront\/app\.ts: resources\.cpu: must be at most 64 cores/]],
    ["a 3 MiB env literal", "apps/shop/storefront/app.ts", (t) => t.replace('NODE_ENV: "production"', 'NODE_ENV: "x".repeat(3 * 1024 * 1024)'), [/apps\/shop\/storefront\/app\.ts: env\.NODE_ENV: must be at most 32 KiB/]],
    ["a 2 MiB config value", "apps/shop/storefront/app.ts", (t) => t.replace('FEATURED_PRODUCTS: "12"', 'FEATURED_PRODUCTS: "x".repeat(2 * 1024 * 1024)'), [/apps\/shop\/storefront\/app\.ts: config: all config values together must be at most 1000 KiB/]],
    ["Kubernetes 1.99", "clusters/dev-use1/cluster.ts", (t) => t.replace('kubernetesVersion: "1.34"', 'kubernetesVersion: "1.99"'), [/clusters\/dev-use1\/cluster\.ts: kubernetesVersion: must be a Kubernetes version EKS runs and Slipway validates: 1\.28 … 1\.35/]],
    ["an empty lock file", "environments/dev/releases.yaml", () => "", [/environments\/dev\/releases\.yaml: release lock file is empty/, /write `apps: \{\}`/]],
  ];

  it.each(broken)("GIVEN %s WHEN rendered THEN it fails naming file and field, and clusters/ is byte-for-byte untouched", async (_case, file, edit, patterns) => {
    const root = fleet("broken");
    editFile(join(root, file), edit);
    const before = fingerprint(join(root, "clusters"));
    const message = await errorOf(renderFleet({ root, mode: "write" }));
    for (const pattern of patterns) expect(message).toMatch(pattern);
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
  });

  it("GIVEN two mistakes in two files WHEN rendered THEN both are reported together", async () => {
    const root = fleet("two-errors");
    editFile(join(root, "apps/shop/storefront/app.ts"), (t) => t.replace("scaling:", "scalling:"));
    editFile(join(root, "apps/payments/tenant.ts"), (t) => t.replace('team: "@fixture/payments"', 'team: "payments"'));
    try {
      await renderFleet({ root, mode: "write" });
      throw new Error("expected failure");
    } catch (error) {
      expect(error).toBeInstanceOf(AggregateSlipwayError);
      const message = (error as AggregateSlipwayError).format();
      expect(message).toMatch(/apps\/shop\/storefront\/app\.ts/);
      expect(message).toMatch(/apps\/payments\/tenant\.ts: team:/);
    }
  });
});
