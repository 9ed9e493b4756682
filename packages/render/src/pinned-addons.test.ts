/**
 * Add-on pins in the lock files that cannot mean anything are refused before any commit is read,
 * each naming the lock file and the field, all reported together. (Pins that load, and a version
 * that is not its commit's, are exercised through the CLI: packages/cli/test/addon-promotion.test.ts.)
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SlipwayError } from "@slipway/core";
import { copyFixtureFleet, removeFleet } from "@slipway/testing";
import { afterEach, describe, expect, it } from "vitest";
import { loadFleet } from "./load";

const commit = "0123456789abcdef0123456789abcdef01234567";
const pin = (version: string) => `      version: ${version}\n      definition: ${commit}\n`;
let root: string | undefined;
afterEach(() => root && removeFleet(root));

describe("add-on pins", () => {
  it("refuses pins in the first environment, on a cluster the environment does not govern, and of an unknown add-on", async () => {
    root = copyFixtureFleet("addon-pins");
    appendFileSync(join(root, "environments/dev/releases.yaml"), `addons:\n  metrics-server:\n    dev-use1:\n${pin("v0.8.0")}`);
    appendFileSync(join(root, "environments/prod/releases.yaml"), `addons:\n  metrics-server:\n    staging-use1:\n${pin("v0.8.0")}  velero:\n    prod-use1:\n${pin("v1.16.2")}`);
    let message = "";
    try {
      await loadFleet(root);
    } catch (error) {
      expect(error).toBeInstanceOf(SlipwayError);
      message = (error as SlipwayError).format();
    }
    expect(message).toContain("environments/dev/releases.yaml: addons.metrics-server.dev-use1");
    expect(message).toContain("dev is the first environment: its clusters render add-ons from the working tree, so it pins none");
    expect(message).toContain("environments/prod/releases.yaml: addons.metrics-server.staging-use1");
    expect(message).toContain("pins metrics-server on `staging-use1`, which is not a cluster whose add-ons prod governs");
    expect(message).toContain("expected: prod-euw1 | prod-use1");
    expect(message).toContain("environments/prod/releases.yaml: addons.velero");
    expect(message).toContain("pins add-on `velero`, which the fleet does not choose");
  });

  it("refuses a pin of an add-on the cluster does not switch on", async () => {
    root = copyFixtureFleet("addon-pins-off");
    const cluster = join(root, "clusters/prod-euw1/cluster.ts");
    writeFileSync(cluster, readFileSync(cluster, "utf8").replace('    "metrics-server": true,\n', ""));
    appendFileSync(join(root, "environments/prod/releases.yaml"), `addons:\n  metrics-server:\n    prod-euw1:\n${pin("v0.8.0")}`);
    await expect(loadFleet(root)).rejects.toThrow(/pins metrics-server on prod-euw1, which does not switch it on/);
  });
});
