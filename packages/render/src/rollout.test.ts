import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { previewCluster } from "@slipway/argocd";
import { SlipwayError } from "@slipway/core";
import { beforeAll, describe, expect, it } from "vitest";
import { renderFleet } from "./render";
import { editFile, fingerprint, renderedFleetCopies } from "../test/test-fleet";

const fleet = renderedFleetCopies();

const PROD_ENV = "environments/prod/environment.ts";
const STEPS = `steps: [{ clusters: ["prod-use1"] }, { clusters: ["prod-euw1"] }],`;
const EUW1_HUB = `argocd: { topology: "hub", hub: "prod-use1", registeredName: "prod-euw1" },`;

const argocdFiles = (root: string, cluster: string) => readdirSync(join(root, "clusters", cluster, "argocd")).sort();
/** Prod Applications as the hub's Argo CD would create them: name → [project, source path]. */
function prodApplications(root: string): Record<string, [string, string]> {
  const apps = ["prod-use1", "prod-euw1"].flatMap((c) => previewCluster(root, c).applications);
  return Object.fromEntries(apps.filter((a) => a.labels["slipway.dev/environment"] === "prod").map((a) => [a.name, [a.project, a.source.path]]));
}

describe("progressive rollout on the fixture fleet", () => {
  let root: string;
  beforeAll(async () => {
    root = fleet("rollout");
    await renderFleet({ root, mode: "write" });
  });

  it("GIVEN prod rolled out over prod-use1 then prod-euw1 WHEN rendered THEN the hub holds one rollout set per prod app and prod-euw1 only its platform sets", () => {
    const hub = argocdFiles(root, "prod-use1");
    expect(hub.filter((f) => f.includes("-rollout-"))).toEqual([
      "applicationset-prod-use1-rollout-prod-reconcile.yaml",
      "applicationset-prod-use1-rollout-prod-settlement.yaml",
      "applicationset-prod-use1-rollout-prod-storefront.yaml",
    ]);
    expect(hub).toContain("application-prod-euw1-bootstrap.yaml");
    expect(argocdFiles(root, "prod-euw1").filter((f) => f.includes("-prod-euw1-prod-"))).toEqual([]);
    expect(existsSync(join(root, "clusters/prod-euw1/argocd/bootstrap.yaml"))).toBe(false);
    for (const cluster of ["prod-use1", "prod-euw1"]) expect(previewCluster(root, cluster).problems).toEqual([]);
  });

  it("GIVEN the rollout switched off (and prod-euw1 back on its own Argo CD) WHEN rendered THEN the same Applications come from per-cluster sets", async () => {
    const before = prodApplications(root);
    expect(Object.keys(before).sort()).toEqual([
      "prod-euw1-prod-reconcile",
      "prod-euw1-prod-settlement",
      "prod-euw1-prod-storefront",
      "prod-use1-prod-reconcile",
      "prod-use1-prod-settlement",
      "prod-use1-prod-storefront",
    ]);
    const off = fleet("rollout-off");
    editFile(join(off, PROD_ENV), (text) => text.replace(/rollout: \{[^}]*\}[^}]*\}\],\s*\},/s, ""));
    editFile(join(off, "clusters/prod-euw1/cluster.ts"), (text) => text.replace(EUW1_HUB, ""));
    await renderFleet({ root: off, mode: "write" });
    expect(argocdFiles(off, "prod-use1").filter((f) => f.includes("-rollout-"))).toEqual([]);
    expect(argocdFiles(off, "prod-euw1")).toContain("applicationset-prod-euw1-prod-payments.yaml");
    expect(prodApplications(off)).toEqual(before);
  });
});

describe("a rollout the fleet cannot run is refused, naming the field", () => {
  /** Edits a fresh copy of the fixture fleet (its rendered tree included) and renders it. */
  async function failure(label: string, edits: Record<string, (text: string) => string>): Promise<{ message: string; untouched: boolean }> {
    const root = fleet(label);
    for (const [file, edit] of Object.entries(edits)) editFile(join(root, file), edit);
    const before = fingerprint(join(root, "clusters"));
    try {
      await renderFleet({ root, mode: "write" });
    } catch (error) {
      expect(error).toBeInstanceOf(SlipwayError);
      return { message: (error as SlipwayError).format(), untouched: JSON.stringify(fingerprint(join(root, "clusters"))) === JSON.stringify(before) };
    }
    throw new Error("expected render to fail");
  }

  it("GIVEN a step naming an unknown cluster WHEN rendered THEN the field, the clusters hosting prod and a suggestion are given, and nothing is written", async () => {
    const { message, untouched } = await failure("rollout-typo", { [PROD_ENV]: (t) => t.replace(`{ clusters: ["prod-euw1"] }`, `{ clusters: ["prod-euw2"] }`) });
    expect(message).toContain(`${PROD_ENV}: sync.rollout.steps[1].clusters[0]: unknown cluster \`prod-euw2\``);
    expect(message).toContain("expected: prod-euw1 | prod-use1");
    expect(message).toContain("did you mean `prod-euw1`?");
    expect(untouched).toBe(true);
  });

  it("GIVEN a cluster named twice and one left out WHEN rendered THEN both are reported", async () => {
    const { message } = await failure("rollout-twice", { [PROD_ENV]: (t) => t.replace(STEPS, `steps: [{ clusters: ["prod-use1"] }, { clusters: ["prod-use1"] }],`) });
    expect(message).toContain("sync.rollout.steps[1].clusters[0]: cluster `prod-use1` is named in more than one rollout step");
    expect(message).toContain("sync.rollout.steps: the rollout leaves out `prod-euw1`, which hosts environment `prod`");
  });

  it("GIVEN the prod clusters on two Argo CDs WHEN rendered THEN the rollout is refused with the topology fix", async () => {
    const { message } = await failure("rollout-two-argocds", { "clusters/prod-euw1/cluster.ts": (t) => t.replace(EUW1_HUB, "") });
    expect(message).toContain(`${PROD_ENV}: sync.rollout: a rollout needs every cluster of the environment managed by one Argo CD`);
    expect(message).toContain("received: prod-euw1 → its own Argo CD, prod-use1 → its own Argo CD");
    expect(message).toContain("topology: \"hub\"");
  });

  it("GIVEN a rollout in a manual environment WHEN rendered THEN sync.mode is named", async () => {
    const { message } = await failure("rollout-manual", { [PROD_ENV]: (t) => t.replace(`mode: "automated"`, `mode: "manual"`) });
    expect(message).toContain(`${PROD_ENV}: sync.mode: a rollout syncs Applications step by step`);
    expect(message).toContain("maxUpdate: 0");
  });

  it("GIVEN a spoke naming an unknown hub WHEN rendered THEN argocd.hub is named with the clusters that can be hubs", async () => {
    const { message } = await failure("hub-typo", { "clusters/prod-euw1/cluster.ts": (t) => t.replace(`hub: "prod-use1"`, `hub: "prod-use2"`) });
    expect(message).toContain("clusters/prod-euw1/cluster.ts: argocd.hub: unknown hub cluster `prod-use2`");
    expect(message).toContain("expected: dev-use1 | prod-use1 | staging-use1");
  });
});
