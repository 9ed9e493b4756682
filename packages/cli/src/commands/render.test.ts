import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderFleet } from "@slipway/render";
import { editFile, fingerprint, fixtureFleetCopies } from "@slipway/testing";
import { slipway } from "../test-io";

const fleet = fixtureFleetCopies("render-", { prepare: (root) => renderFleet({ root, mode: "write" }) });

describe("slipway render", () => {
  it("GIVEN the rendered tree WHEN --check runs THEN it exits 0; after a hand edit, 1 naming the file", async () => {
    const root = fleet("check");
    const ok = await slipway(root, ["render", "--check"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^clusters\/ is up to date \(\d+ objects checked in [\d.]+s\)\n$/);
    editFile(join(root, "clusters/prod-use1/prod/storefront/service-storefront.yaml"), (text) => text.replace("type: ClusterIP", "type: NodePort"));
    const differs = await slipway(root, ["render", "--check"]);
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain("clusters/prod-use1/prod/storefront/service-storefront.yaml: differs from what render produces");
    expect(differs.stdout).toContain("Run `npx slipway render` and commit the result");
  });

  it("GIVEN a broken definition THEN it exits 1 with file, field, expected, received and fix, and clusters/ is untouched", async () => {
    const root = fleet("broken");
    editFile(join(root, "apps/payments/settlement/app.ts"), (text) => text.replace('memory: "256Mi"', 'memory: "256MB"'));
    const before = fingerprint(join(root, "clusters"));
    const run = await slipway(root, ["render"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^apps\/payments\/settlement\/app\.ts: resources\.memory: value must be a memory quantity/);
    expect(run.stderr).toMatch(/\n {2}received: string "256MB"\n {2}fix: /);
    expect(run.stderr).not.toContain("Usage:");
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
  });

  it("GIVEN --json THEN the summary is machine-readable; from a subdirectory the whole fleet is rendered", async () => {
    const root = fleet("json");
    for (const cwd of [root, join(root, "apps/shop/storefront"), join(root, "clusters/dev-use1/dev")]) {
      const run = await slipway(cwd, ["render", "--json"]);
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout);
      expect(summary).toMatchObject({ mode: "write", written: [], deleted: [] });
      expect(summary.objects).toBeGreaterThan(100);
    }
  });

  it("GIVEN an unknown --cluster, --env or --app THEN it exits 2 with the known names, a suggestion and the usage, rendering nothing", async () => {
    const root = fleet("unknown");
    const before = fingerprint(join(root, "clusters"));
    const cases: [string[], string][] = [
      [["--cluster", "nope"], "unknown cluster `nope`\n  expected: dev-use1 | prod-euw1 | prod-use1 | staging-use1\n  received: nope\n  fix: a cluster is a directory clusters/<cluster>/ with a cluster.ts\n"],
      [["--cluster", "prod-use2"], "unknown cluster `prod-use2`\n  expected: dev-use1 | prod-euw1 | prod-use1 | staging-use1\n  received: prod-use2\n  fix: did you mean `--cluster prod-use1`?\n"],
      [["--env", "nope"], "unknown environment `nope`\n  expected: dev | prod | staging\n  received: nope\n  fix: an environment is a directory environments/<env>/ with an environment.ts\n"],
      [["--env", "stagin"], "unknown environment `stagin`\n  expected: dev | prod | staging\n  received: stagin\n  fix: did you mean `--env staging`?\n"],
      [["--app", "nope"], "unknown app `nope`\n  expected: reconcile | settlement | storefront\n  received: nope\n  fix: an app is a directory apps/<tenant>/<app>/ with an app.ts\n"],
      [["--check", "--app", "storefrnt"], "unknown app `storefrnt`\n  expected: reconcile | settlement | storefront\n  received: storefrnt\n  fix: did you mean `--app storefront`?\n"],
    ];
    for (const [argv, message] of cases) {
      const run = await slipway(join(root, "apps"), ["render", ...argv]);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stderr.startsWith(`${message}\nUsage: slipway render`), run.stderr).toBe(true);
      expect(run.stdout).toBe("");
    }
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
  });

  it("GIVEN a known --cluster THEN only that cluster is rendered", async () => {
    const root = fleet("filter");
    editFile(join(root, "apps/shop/storefront/app.ts"), (text) => text.replace(/cpu: "(\d+)m"/, (_, n: string) => `cpu: "${Number(n) + 1}m"`));
    const run = await slipway(root, ["render", "--cluster", "dev-use1", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const written: string[] = JSON.parse(run.stdout).written;
    expect(written.length).toBeGreaterThan(0);
    expect(written.every((path) => path.startsWith("clusters/dev-use1/"))).toBe(true);
  });

  it("GIVEN a directory outside any fleet THEN it exits 1 saying where it looked", async () => {
    const run = await slipway("/", ["render"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("not inside a Slipway fleet repository\n  expected: a directory with `environments/` and `clusters/`, here or above\n  received: /\n  fix: run slipway inside the fleet repository (the root or any directory in it)\n");
  });
});
