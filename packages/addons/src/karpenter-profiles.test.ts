import { describe, expect, it } from "vitest";
import { planClusterAddons, synthesizeAddon } from "./index";
import { choices, prod, testCluster } from "./testing";

// Test lookups navigate deep into synthesized objects; typing every level would only restate the API.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

function karpenter(values: Record<string, unknown>, profile: "dynamic" | "static" = "dynamic"): Loose[] {
  const planned = planClusterAddons({
    cluster: testCluster({ profile, addons: { karpenter: { values } } }),
    clusterFile: "clusters/test-use1/cluster.ts",
    environment: prod,
    choices: choices(),
  });
  return synthesizeAddon(planned.find((p) => p.module.name === "karpenter")!) as Loose[];
}
const named = (objects: Loose[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe("karpenter capacity profiles", () => {
  it("GIVEN the batch pool WHEN rendered THEN spot first, data families, instance-store NVMe in RAID0, emptied nodes removed fast and never consolidated while busy", () => {
    const objects = karpenter({ batch: { enabled: true } });
    const pool = named(objects, "NodePool", "batch")!;
    expect(pool.spec.disruption).toEqual({ consolidationPolicy: "WhenEmpty", consolidateAfter: "30s", budgets: [{ nodes: "10%" }] });
    expect(pool.spec.template.spec.expireAfter).toBe("168h");
    expect(pool.spec.template.spec.taints).toEqual([{ key: "slipway.dev/batch", value: "true", effect: "NoSchedule" }]);
    expect(pool.spec.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "batch-nvme" });
    expect(pool.spec.template.spec.requirements).toContainEqual({ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] });
    expect(pool.spec.template.spec.requirements).toContainEqual({ key: "karpenter.k8s.aws/instance-local-nvme", operator: "Gt", values: ["99"] });
    expect(named(objects, "EC2NodeClass", "batch-nvme")!.spec.instanceStorePolicy).toBe("RAID0");
    expect(named(objects, "EC2NodeClass", "default")!.spec).not.toHaveProperty("instanceStorePolicy");
  });

  it("GIVEN the batch pool without instance store WHEN rendered THEN it uses the default node class and no NVMe requirement", () => {
    const objects = karpenter({ batch: { enabled: true, instanceStore: false } });
    expect(named(objects, "EC2NodeClass", "batch-nvme")).toBeUndefined();
    const pool = named(objects, "NodePool", "batch")!;
    expect(pool.spec.template.spec.nodeClassRef.name).toBe("default");
    expect(pool.spec.template.spec.requirements.map((r: Loose) => r.key)).not.toContain("karpenter.k8s.aws/instance-local-nvme");
  });

  it("GIVEN the default values WHEN rendered THEN there is no batch pool", () => {
    expect(named(karpenter({}), "NodePool", "batch")).toBeUndefined();
  });

  it("GIVEN profile static WHEN rendered THEN the general pools disrupt no node during working hours", () => {
    const budgets = (profile: "dynamic" | "static", values: Record<string, unknown> = {}) => named(karpenter(values, profile), "NodePool", "general-on-demand")!.spec.disruption.budgets;
    expect(budgets("dynamic")).toEqual([{ nodes: "10%" }]);
    expect(budgets("static")).toEqual([{ nodes: "10%" }, { nodes: "0", schedule: "0 7 * * 1-5", duration: "12h" }]);
    expect(budgets("static", { workingHours: { schedule: "0 6 * * 1-6", duration: "14h" } })[1]).toEqual({ nodes: "0", schedule: "0 6 * * 1-6", duration: "14h" });
  });
});
