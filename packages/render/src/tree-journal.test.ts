/** The undo journal: a failed or killed apply leaves clusters/ exactly as it was. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprint, renderedFleetCopies, REPO_ROOT } from "../test/test-fleet";
import { applyTreeChange, recoverInterruptedRender, WORK_DIR, type TreeChange } from "./tree";

const fleet = renderedFleetCopies();

function change(): TreeChange {
  return {
    write: new Map([
      // A directory the tree does not have: moved into place whole.
      ["dev-use1/qa/new-app/configmap-a.yaml", "a: true\n"],
      ["dev-use1/qa/new-app/configmap-b.yaml", "b: true\n"],
      ["dev-use1/dev/storefront/service-storefront.yaml", "replaced: true\n"],
      ["dev-use1/dev/brand-new/configmap-x.yaml", "new: true\n"],
      ["prod-use1/README.md", "# replaced\n"],
    ]),
    remove: new Set(["dev-use1/dev/storefront/serviceaccount-storefront.yaml", "prod-use1/prod/storefront/service-storefront.yaml"]),
  };
}

/** Applies `change()` in a child process killed (SIGKILL) after operation `at` of its apply: the journal stays behind. */
function killedApply(root: string, at = 3): void {
  const script = join(root, WORK_DIR, "kill.mts");
  mkdirSync(join(root, WORK_DIR), { recursive: true });
  writeFileSync(script, `import { applyTreeChange } from ${JSON.stringify(join(REPO_ROOT, "packages/render/src/tree.ts"))};
const change = ${JSON.stringify({ write: [...change().write], remove: [...change().remove] })};
applyTreeChange(${JSON.stringify(root)}, { write: new Map(change.write), remove: new Set(change.remove) }, { afterOperation: (n) => { if (n === ${at}) process.kill(process.pid, "SIGKILL"); } });
`);
  expect(() => execFileSync(process.execPath, ["--import", "tsx", script], { cwd: REPO_ROOT, stdio: "pipe" })).toThrow();
  expect(existsSync(join(root, WORK_DIR, "txn", "journal.json"))).toBe(true);
}

describe("applyTreeChange", () => {
  it("GIVEN a failure in the middle of applying WHEN it throws THEN the previous tree is back at once", () => {
    const root = fleet("journal-fail");
    const before = fingerprint(join(root, "clusters"));
    expect(() => applyTreeChange(root, change(), { afterOperation: (n) => { if (n === 3) throw new Error("disk full"); } })).toThrow("disk full");
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
    expect(existsSync(join(root, WORK_DIR, "txn"))).toBe(false);
  });

  it.each([1, 2, 3, 4, 5, 6, 7])("GIVEN a failure after operation %i WHEN it throws THEN the previous tree is back, new directories included", (failAt) => {
    const root = fleet(`journal-fail-${failAt}`);
    const before = fingerprint(join(root, "clusters"));
    expect(() => applyTreeChange(root, change(), { afterOperation: (n) => { if (n === failAt) throw new Error("disk full"); } })).toThrow("disk full");
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
    expect(existsSync(join(root, "clusters/dev-use1/qa"))).toBe(false);
  });

  it("GIVEN a process killed in the middle of applying WHEN the next render recovers THEN the previous tree is back", () => {
    const root = fleet("journal-kill");
    const before = fingerprint(join(root, "clusters"));
    killedApply(root);
    recoverInterruptedRender(root);
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
    expect(existsSync(join(root, WORK_DIR, "txn"))).toBe(false);
  });

  it.each([1, 2, 4, 6, 7])("GIVEN a killed apply WHEN its roll-back is itself killed after operation %i THEN the next roll-back still restores the previous tree exactly", (killAt) => {
    const root = fleet(`journal-rekill-${killAt}`);
    const before = fingerprint(join(root, "clusters"));
    // Killed after the replaced and removed files were changed, so the roll-back has each of them to restore.
    killedApply(root, 6);
    expect(() => recoverInterruptedRender(root, { afterOperation: (n) => { if (n === killAt) throw new Error("killed"); } })).toThrow("killed");
    expect(existsSync(join(root, WORK_DIR, "txn", "journal.json"))).toBe(true);
    expect(recoverInterruptedRender(root)).toBe(true);
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
    expect(recoverInterruptedRender(root)).toBe(false);
  });

  it("GIVEN a garbled journal, or one naming a path outside clusters/ WHEN recovering THEN it stops with the fix and touches nothing", () => {
    const root = fleet("journal-garbled");
    const victim = join(root, "victim.txt");
    writeFileSync(victim, "keep me\n");
    mkdirSync(join(root, WORK_DIR, "txn"), { recursive: true });
    const journal = join(root, WORK_DIR, "txn", "journal.json");
    writeFileSync(journal, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x7b]));
    expect(() => recoverInterruptedRender(root)).toThrow(/journal of an interrupted render is unreadable/);
    writeFileSync(journal, JSON.stringify({ write: ["../victim.txt"], remove: [] }));
    expect(() => recoverInterruptedRender(root)).toThrow(/not a path inside clusters\//);
    expect(existsSync(victim)).toBe(true);
  });

  it("GIVEN a completed apply THEN exactly the change is on disk and no scratch is left", () => {
    const root = fleet("journal-ok");
    const before = fingerprint(join(root, "clusters"));
    applyTreeChange(root, change());
    const after = fingerprint(join(root, "clusters"));
    expect(after["dev-use1/dev/brand-new/configmap-x.yaml"]).toBeDefined();
    expect([after["dev-use1/qa/new-app/configmap-a.yaml"], after["dev-use1/qa/new-app/configmap-b.yaml"]].every(Boolean)).toBe(true);
    expect(after["dev-use1/dev/storefront/serviceaccount-storefront.yaml"]).toBeUndefined();
    expect(after["prod-use1/prod/storefront/service-storefront.yaml"]).toBeUndefined();
    expect(after["dev-use1/dev/storefront/service-storefront.yaml"]).not.toBe(before["dev-use1/dev/storefront/service-storefront.yaml"]);
    const untouched = Object.keys(before).filter((p) => !p.includes("storefront/serv") && p !== "prod-use1/README.md");
    for (const path of untouched) expect(after[path]).toBe(before[path]);
    expect(existsSync(join(root, WORK_DIR, "txn"))).toBe(false);
  });
});
