import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderFleet } from "@slipway/render";
import { editFile, fixtureFleetCopies } from "@slipway/testing";
import { slipway } from "../test-io";

const fleet = fixtureFleetCopies("argocd-", { prepare: (root) => renderFleet({ root, mode: "write" }) });

describe("slipway argocd preview", () => {
  it("prints usage for --help and exits 0", async () => {
    const root = fleet.template;
    for (const argv of [["argocd", "--help"], ["argocd", "preview", "--help"], ["argocd", "-h"]]) {
      const run = await slipway(root, argv);
      expect(run.code, argv.join(" ")).toBe(0);
      expect(run.stdout).toContain("Usage: slipway argocd preview");
    }
  });

  it("exits 2 on usage errors, with the message and then the usage", async () => {
    const root = fleet.template;
    const missing = await slipway(root, ["argocd"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^missing subcommand\n {2}expected: preview\n\nUsage: slipway argocd preview/);
    const list = await slipway(root, ["argocd", "list"]);
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/^unknown subcommand `list`\n/);
    const typo = await slipway(root, ["argocd", "previw"]);
    expect(typo.stderr).toContain("fix: did you mean `preview`?");
    expect((await slipway(root, ["argocd", "preview", "--bogus"])).code).toBe(2);
    const nope = await slipway(root, ["argocd", "preview", "--cluster", "nope"]);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toMatch(/^unknown rendered cluster `nope`\n {2}expected: dev-use1 \| prod-euw1 \| prod-use1 \| staging-use1\n {2}received: nope\n/);
    const near = await slipway(root, ["argocd", "preview", "--cluster", "dev-use2"]);
    expect(near.code).toBe(2);
    expect(near.stderr).toContain("fix: did you mean `--cluster dev-use1`?");
  });

  it("lists Applications and exits 0 when there is no problem, from any directory of the repository", async () => {
    const root = fleet.template;
    for (const cwd of [root, join(root, "apps/shop/storefront")]) {
      const run = await slipway(cwd, ["argocd", "preview", "--cluster", "dev-use1"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^dev-use1: \d+ Applications\n/);
      expect(run.stdout).toMatch(/dev-use1-dev-storefront\s+dev-use1-shop\s+60\s+deletes workloads\s+clusters\/dev-use1\/dev\/storefront\s+https:\/\/kubernetes.default.svc\/shop-dev/);
      expect(run.stdout).toContain("No problems in 1 cluster.");
    }
  });

  it("prints JSON with --json, and exits 1 with the problems when there are some", async () => {
    const root = fleet("problem");
    const file = join(root, "clusters/dev-use1/argocd/applicationset-dev-use1-dev-shop.yaml");
    editFile(file, (text) => text.replace("clusters/dev-use1/dev/storefront", "clusters/dev-use1/dev/storefrnt"));
    const json = await slipway(root, ["argocd", "preview", "--cluster", "dev-use1", "--json"]);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.problems).toBe(1);
    expect(parsed.clusters[0].problems[0]).toMatchObject({ code: "generator", cluster: "dev-use1" });
    const text = await slipway(root, ["argocd", "preview"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^1 problem:\nclusters\/dev-use1\/argocd\/applicationset-dev-use1-dev-shop\.yaml: .*matches no directory/);
  });
});
