import { describe, expect, it } from "vitest";
import { addonGateScope } from "./health-gate";
import { planAddonMoves, planAddonPromotion } from "./addon-plan";
import type { AddonRevision } from "./addon-plan";
import type { ChainEnvironment, ReleaseChain } from "./chain";
import { PromotionError } from "./errors";

const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);
const rev = (version: string, commit?: string): AddonRevision => ({ version, digest: `digest-${version}`, ...(commit ? { commit } : {}) });

function env(name: string, promotesFrom: string | undefined, waves: string[][], addons: ChainEnvironment["addons"]): ChainEnvironment {
  return { name, ...(promotesFrom ? { promotesFrom } : {}), file: `environments/${name}/environment.ts`, releasesFile: `environments/${name}/releases.yaml`, releases: {}, definitions: {}, clusters: waves.flat(), waves, addons, addonPins: {} };
}

/** dev → staging → prod (prod-use1, then prod-euw1); `backup` runs in prod only. */
function chain(prod: Record<string, AddonRevision>, staging: AddonRevision = rev("v2", OLD)): ReleaseChain {
  return {
    environments: [
      env("dev", undefined, [["dev-use1"]], { metrics: { "dev-use1": rev("v2") } }),
      env("staging", "dev", [["staging-use1"]], { metrics: { "staging-use1": staging } }),
      env("prod", "staging", [["prod-use1"], ["prod-euw1"]], { metrics: prod, backup: { "prod-use1": rev("v1", OLD), "prod-euw1": rev("v1", OLD) } }),
    ],
    addons: new Set(["backup", "metrics"]),
    workingAddons: new Map([["metrics", rev("v2")], ["backup", rev("v1.1")]]),
    apps: new Map(),
    head: HEAD,
  };
}
const prodOf = (c: ReleaseChain) => c.environments[2]!;

describe("planAddonMoves", () => {
  it("moves the first rollout step that does not run the previous environment's definition, then the next", () => {
    const start = chain({ "prod-use1": rev("v1", OLD), "prod-euw1": rev("v1", OLD) });
    expect(planAddonMoves(start, prodOf(start), ["metrics"]).moves.map((m) => [m.cluster, m.step, m.after.version, m.after.definition])).toEqual([["prod-use1", 1, "v2", OLD]]);
    const half = chain({ "prod-use1": rev("v2", OLD), "prod-euw1": rev("v1", OLD) });
    expect(planAddonMoves(half, prodOf(half), ["metrics"]).moves.map((m) => [m.cluster, m.step, m.steps])).toEqual([["prod-euw1", 2, 2]]);
    const done = chain({ "prod-use1": rev("v2", OLD), "prod-euw1": rev("v2", OLD) });
    expect(planAddonMoves(done, prodOf(done), ["metrics"])).toEqual({ moves: [], unchanged: ["metrics"] });
  });

  it("pins clusters that render the definition from the working tree, all steps at once, as pin-only moves", () => {
    const unpinned = chain({ "prod-use1": rev("v2"), "prod-euw1": rev("v2") });
    const { moves } = planAddonMoves(unpinned, prodOf(unpinned), ["metrics"]);
    expect(moves.map((m) => [m.cluster, m.pinOnly])).toEqual([["prod-use1", true], ["prod-euw1", true]]);
    expect(addonGateScope(planAddonPromotion(unpinned, { addons: ["metrics"], to: "prod" }, prodOf(unpinned), unpinned.environments[1]!))).toBeUndefined();
  });

  it("takes an add-on no earlier environment runs from the working tree at HEAD, recorded as from the first environment", () => {
    const c = chain({ "prod-use1": rev("v2", OLD), "prod-euw1": rev("v2", OLD) });
    const [move] = planAddonMoves(c, prodOf(c), ["backup"]).moves;
    expect(move).toMatchObject({ cluster: "prod-use1", after: { version: "v1.1", definition: HEAD, promotedFrom: "dev" } });
  });

  it("pins the first environment's working tree at HEAD, and refuses a previous environment still rolling out", () => {
    const c = chain({ "prod-use1": rev("v1", OLD), "prod-euw1": rev("v1", OLD) }, rev("v1", OLD));
    expect(planAddonMoves(c, c.environments[1]!, ["metrics"]).moves[0]!.after).toEqual({ version: "v2", definition: HEAD, promotedFrom: "dev" });
    const base = chain({ "prod-use1": rev("v2", OLD), "prod-euw1": rev("v1", OLD) });
    const rolling: ReleaseChain = { ...base, environments: [...base.environments, env("dr", "prod", [["dr-use1"]], { metrics: { "dr-use1": rev("v1", OLD) } })] };
    expect(() => planAddonMoves(rolling, rolling.environments[3]!, ["metrics"])).toThrow(PromotionError);
    expect(() => planAddonMoves(rolling, rolling.environments[3]!, ["metrics"])).toThrow(/prod is still rolling out `metrics`/);
  });

  it("gates only moves whose definition ran somewhere, and refuses add-ons at different rollout steps in one command", () => {
    const c = chain({ "prod-use1": rev("v2", OLD), "prod-euw1": rev("v1", OLD) });
    const plan = planAddonPromotion(c, { addons: ["backup", "metrics"], to: "prod" }, prodOf(c), c.environments[1]!);
    expect(plan.addonMoves!.map((m) => [m.addon, m.cluster, m.step])).toEqual([["backup", "prod-use1", 1], ["metrics", "prod-euw1", 2]]);
    // backup's first step comes from the working tree, which ran nowhere: only metrics' second step is gated, on prod-use1.
    const scope = addonGateScope(plan)!;
    expect([scope.environment.name, [...scope.byAddon]]).toEqual(["prod", [["metrics", ["prod-use1"]]]]);

    const mixed = chain({ "prod-use1": rev("v2", OLD), "prod-euw1": rev("v1", OLD) });
    (mixed.environments[1]!.addons as Record<string, Record<string, AddonRevision>>).backup = { "staging-use1": rev("v3", OLD) };
    const both = planAddonPromotion(mixed, { addons: ["backup", "metrics"], to: "prod" }, prodOf(mixed), mixed.environments[1]!);
    expect(() => addonGateScope(both)).toThrow(/the add-ons are at different rollout steps of prod/);
  });
});
