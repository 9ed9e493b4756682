import { readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UnitCache } from "./cache";
import { renderFleet } from "./render";
import { StatConfirmation } from "./stat-confirmation";
import { renderedFleetCopies } from "./test-fleet";

const fleet = renderedFleetCopies("stats-");

/** The units whose stats hold, checked on a worker thread and on this one: both answers must agree. */
async function bothWays(root: string): Promise<ReadonlySet<string>> {
  const onWorker = StatConfirmation.start(root, new UnitCache(root, true), { minFilesForWorker: 1 });
  const here = StatConfirmation.start(root, new UnitCache(root, true), { minFilesForWorker: Number.POSITIVE_INFINITY });
  expect([onWorker.onWorker, here.onWorker]).toEqual([true, false]);
  const [fromWorker, fromHere] = await Promise.all([onWorker.unchanged(), here.unchanged()]);
  expect([...fromWorker].sort()).toEqual([...fromHere].sort());
  return fromWorker;
}

describe("stat confirmation", () => {
  it("GIVEN a rendered fleet WHEN its files are checked by stat THEN every unit holds, until one of its files is edited or touched", async () => {
    const root = fleet("claims");
    await renderFleet({ root, mode: "write" });
    const units = new UnitCache(root, true).statClaims().map(([id]) => id);
    expect(units).toContain("prod-use1/prod/storefront");
    expect(units).toContain("(platform)");
    expect([...(await bothWays(root))].sort()).toEqual([...units].sort());

    const file = join(root, "clusters/prod-use1/prod/storefront/service-storefront.yaml");
    writeFileSync(file, `${readFileSync(file, "utf8")}# edited\n`);
    utimesSync(join(root, "clusters/dev-use1/argocd/bootstrap.yaml"), new Date(), new Date(Date.now() + 5000));
    const held = await bothWays(root);
    expect(units.filter((id) => !held.has(id)).sort()).toEqual(["(platform)", "prod-use1/prod/storefront"]);
  });

  it("GIVEN stats checked on a worker thread WHEN a file is edited and another only touched THEN render restores the first and trusts the second once hashed", async () => {
    const root = fleet("render");
    const options = { root, mode: "write", minFilesForStatWorker: 1 } as const;
    const cold = await renderFleet(options);
    const edited = join(root, "clusters/prod-use1/prod/storefront/service-storefront.yaml");
    const original = readFileSync(edited, "utf8");
    writeFileSync(edited, `${original}# edited\n`);
    utimesSync(join(root, "clusters/prod-euw1/prod/storefront/service-storefront.yaml"), new Date(), new Date(Date.now() + 5000));

    const repaired = await renderFleet(options);
    expect(repaired.written).toEqual(["clusters/prod-use1/prod/storefront/service-storefront.yaml"]);
    expect(repaired.cache).toMatchObject({ synthesized: 1, hits: cold.cache!.synthesized - 1 });
    expect(readFileSync(edited, "utf8")).toBe(original);

    // The touched file's new stats were recorded: every unit now holds by stat alone.
    const units = new UnitCache(root, true).statClaims().map(([id]) => id);
    expect((await bothWays(root)).size).toBe(units.length);
  });
});
