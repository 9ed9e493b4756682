import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeGitHub, type FakeGitHub } from "@slipway/addons/testing";
import { fixtureFleetCopies } from "@slipway/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slipway } from "../test-io";

const fleet = fixtureFleetCopies("addons-");
let github: FakeGitHub;
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.close());
const env = () => ({ GITHUB_API_URL: github.url });

describe("slipway addons check-sources", () => {
  it("prints usage for --help and exits 0; a missing or unknown subcommand or add-on is a usage error (2)", async () => {
    const root = fleet.template;
    const help = await slipway(root, ["addons", "check-sources", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: slipway addons check-sources");
    const missing = await slipway(root, ["addons"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^missing subcommand\n {2}expected: check-sources\n/);
    const typo = await slipway(root, ["addons", "check-source"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("fix: did you mean `check-sources`?");
    const addon = await slipway(root, ["addons", "check-sources", "--addon", "velero"], { env: env() });
    expect(addon.code).toBe(2);
    expect(addon.stderr).toMatch(/^unknown add-on `velero`\n {2}expected: aws-load-balancer-controller \| cert-manager \| external-secrets \| metrics-server\n/);
  });

  it("exits 0 when every pinned source resolves to its CRDs, from any directory of the repository", async () => {
    const root = fleet.template;
    for (const cwd of [root, join(root, "apps/shop")]) {
      const run = await slipway(cwd, ["addons", "check-sources"], { env: env() });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^✓ aws-load-balancer-controller v2\.13\.4: kubernetes-sigs\/aws-load-balancer-controller config\/crd\/bases@v2\.13\.4 include \*\.yaml \(2 files, 2 CRDs\)\n/);
      expect(run.stdout).toContain("(3 checked)");
    }
    const json = JSON.parse((await slipway(root, ["addons", "check-sources", "--addon", "cert-manager", "--json"], { env: env() })).stdout);
    expect(json.problems).toBe(0);
    expect(json.checks.map((c: { addon: string }) => c.addon)).toEqual(["cert-manager"]);
  });

  it("exits 1 naming each problem: a pin whose release upstream does not have", async () => {
    const root = fleet("broken");
    writeFileSync(join(root, "addons/cert-manager.ts"), 'import { defineAddon } from "@slipway/core";\n\nexport default defineAddon({ addon: "cert-manager", version: "v1.18.3" });\n');
    cpSync(join(root, "addons/crds/cert-manager/v1.18.2"), join(root, "addons/crds/cert-manager/v1.18.3"), { recursive: true });
    const run = await slipway(root, ["addons", "check-sources"], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ cert-manager v1\.18\.3/);
    expect(run.stderr).toMatch(/cert-manager v1\.18\.3:\n {2}\[release-not-found\] cert-manager\/cert-manager has no release for tag v1\.18\.3\n/);
    expect(run.stderr).toContain("1 of 3 CRD sources do not resolve to the CRDs their add-on needs.");
  });

  it("exits 1 when GitHub cannot be asked, saying so", async () => {
    const run = await slipway(fleet.template, ["addons", "check-sources", "--addon", "external-secrets"], { env: { GITHUB_API_URL: "http://127.0.0.1:9" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\[github\] /);
  });
});
