import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TempRepo } from "@slipway/diff/testing";
import { loadReleaseChain } from "./chain";
import { createFleetRepo, fakeRender } from "./fixture.test-helpers";
import { computeStatus, formatStatusJson, formatStatusMarkdown, formatStatusText } from "./status";

let repo: TempRepo;
beforeEach(async () => {
  repo = createFleetRepo();
  await fakeRender(repo.dir);
  repo.commit("fleet");
});
afterEach(() => repo.cleanup());

const status = async () => computeStatus(repo.dir, await loadReleaseChain(repo.dir));

describe("fleet status", () => {
  it("shows apps × environments, what is promotable, and nothing else when the tree is current", async () => {
    expect(formatStatusText(await status())).toBe(`app       dev                     staging                         prod
checkout  1.1.0 bbbbbbb def tree  1.0.0 aaaaaaa def tree ⇐ 1.1.0  1.0.0 aaaaaaa def tree
ledger    2.0.0 ccccccc def tree  — ⇐ 2.0.0+def                   —
refunds   —                       —                               —
def: the fleet commit whose app definition the environment renders (tree: the working tree, which promotion pins at HEAD ${repo.git("rev-parse", "HEAD").trim().slice(0, 12)}).
  promotable: checkout 1.1.0 (sha256:bbbbbbb…) → staging, changing its image: slipway promote checkout --to staging
  promotable: ledger 2.0.0 (sha256:ccccccc…) → staging, changing its image and definition: slipway promote ledger --to staging
`);
  });

  it("reports drift: a lock file edited without re-rendering, and a release missing upstream", async () => {
    const lock = join(repo.dir, "environments/prod/releases.yaml");
    writeFileSync(lock, `apps:\n  checkout: { image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/checkout, tag: "0.9.0", digest: "sha256:${"9".repeat(64)}", commit: "${"9".repeat(40)}" }\n  ledger: { image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/ledger, tag: "2.0.0", digest: "sha256:${"c".repeat(64)}", commit: "${"c".repeat(40)}" }\n`);
    const drifting = await status();
    const out = formatStatusMarkdown(drifting);
    expect(out).toContain("| `checkout` | `1.1.0` `bbbbbbb` def `tree` | `1.0.0` `aaaaaaa` def `tree` ⇐ `1.1.0` | `0.9.0` `9999999` def `tree` ⇐ `1.0.0` ⚠ |");
    expect(out).toContain("- drift: checkout in prod rendered image 111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/checkout:1.0.0@sha256:");
    expect(out).toContain("- drift: ledger in prod runs a release staging does not have");
    expect(JSON.parse(formatStatusJson(drifting)).cells.ledger.prod.drift).toEqual(["runs a release staging does not have"]);
    expect(drifting.cells.checkout!.prod!.drift).toEqual([expect.stringMatching(/^rendered image .* is not the locked release: run `slipway render`$/)]);
    expect(drifting.cells.checkout!.staging!.drift).toEqual([]);
  });
});
