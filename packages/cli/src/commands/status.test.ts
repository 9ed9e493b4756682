import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TempRepo } from "@slipway/diff/testing";
import { computeStatus, formatStatusText, loadReleaseChain } from "@slipway/promote";
import { createFleetRepo, fakeRender } from "../../../promote/src/fixture.test-helpers";
import { slipway } from "../test-io";

let repo: TempRepo;
beforeEach(async () => {
  repo = createFleetRepo();
  await fakeRender(repo.dir);
  repo.commit("fleet");
});
afterEach(() => repo.cleanup());

describe("slipway status", () => {
  it("GIVEN a rendered tree that matches the lock files THEN it shows apps × environments and what is promotable, and exits 0 (from any directory)", async () => {
    for (const cwd of [repo.dir, join(repo.dir, "environments/prod")]) {
      const run = await slipway(cwd, ["status"]);
      expect(run.code, run.stderr).toBe(0);
      // The table itself is @slipway/promote's (tested there); the command prints it whole.
      expect(run.stdout).toBe(formatStatusText(computeStatus(repo.dir, await loadReleaseChain(repo.dir))));
      expect(run.stdout).toContain("  promotable: checkout 1.1.0 (sha256:bbbbbbb…) → staging, changing its image: slipway promote checkout --to staging\n");
    }
  });

  it("GIVEN drift THEN it reports it in every format and exits 1", async () => {
    const lock = join(repo.dir, "environments/prod/releases.yaml");
    writeFileSync(lock, `apps:\n  checkout: { image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/checkout, tag: "0.9.0", digest: "sha256:${"9".repeat(64)}", commit: "${"9".repeat(40)}" }\n`);
    const text = await slipway(repo.dir, ["status"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe("");
    expect(text.stdout).toContain("  drift: checkout in prod rendered image 111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/checkout:1.0.0@sha256:");
    const markdown = await slipway(repo.dir, ["status", "--output", "markdown"]);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain("| `checkout` | `1.1.0` `bbbbbbb` def `tree` | `1.0.0` `aaaaaaa` def `tree` ⇐ `1.1.0` | `0.9.0` `9999999` def `tree` ⇐ `1.0.0` ⚠ |");
    const json = await slipway(repo.dir, ["status", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).cells.checkout.prod.drift).toHaveLength(1);
  });

  it("GIVEN a release the previous environment does not have THEN that is drift too: exit 1", async () => {
    const lock = join(repo.dir, "environments/prod/releases.yaml");
    writeFileSync(lock, `apps:\n  ledger: { image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/ledger, tag: "2.0.0", digest: "sha256:${"c".repeat(64)}", commit: "${"c".repeat(40)}" }\n`);
    await fakeRender(repo.dir);
    const run = await slipway(repo.dir, ["status"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("  drift: ledger in prod runs a release staging does not have");
  });

  it("exits 2 for an unknown format or an argument, with the usage", async () => {
    const html = await slipway(repo.dir, ["status", "--output", "html"]);
    expect(html.code).toBe(2);
    expect(html.stderr).toMatch(/^unknown output format `html`\n {2}expected: text \| markdown \| json\n {2}received: html\n\nUsage: slipway status/);
    expect((await slipway(repo.dir, ["status", "prod"])).code).toBe(2);
    const help = await slipway(repo.dir, ["status", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("1 drift reported");
  });
});
