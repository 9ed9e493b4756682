/**
 * The fixture fleet of @slipway/testing, rendered, passes `slipway validate` in fleet mode with
 * zero errors: a guardrail broken by a change to the add-ons, the workloads or the tenant library
 * fails here, with the findings in the message. Exemptions are allowed, but each names its reason.
 * (The repository's example fleet, the user's, is checked by `npm run check` and the pull request
 * workflow, not by these tests.)
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderFleet } from "@slipway/render";
import { editFile, fixtureFleetCopies } from "@slipway/testing";
import { validateFleet } from "./fleet";

/** Copies of the fixture fleet holding its rendered tree (rendered once, before these tests). */
const fleet = fixtureFleetCopies("validate-", { prepare: (root) => renderFleet({ root, mode: "write" }) });

describe("the fixture fleet", () => {
  it("GIVEN the fixture fleet rendered WHEN validated in fleet mode THEN there are no errors, and every rendered object is validated", () => {
    const root = fleet("clean");
    const report = validateFleet(root);
    const errors = report.findings
      .filter((f) => f.severity === "error")
      .map((f) => `${f.file}:${f.line} ${f.rule} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ""}${f.object.name} ${f.path}: ${f.message}`);
    expect(errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
    // Every object the four clusters' indexes list, each checked against its cluster's Kubernetes version.
    const clusters = readdirSync(join(root, "clusters")).sort();
    expect(clusters).toEqual(["dev-use1", "prod-euw1", "prod-use1", "staging-use1"]);
    const indexed = clusters.map((c) => Object.keys((JSON.parse(readFileSync(join(root, "clusters", c, "rendered.json"), "utf8")) as { files: object }).files).length);
    expect(report.summary.objects).toBe(indexed.reduce((a, b) => a + b, 0));
    expect(report.summary).toMatchObject({ valid: report.summary.objects, skipped: 0 });
    expect(String(report.summary.kubernetesVersion).split(", ").sort()).toEqual(["1.32", "1.33", "1.34"]);
    for (const e of report.exemptions) expect(e.reason.length, `${e.rule} on ${e.object.kind} ${e.object.name}`).toBeGreaterThan(20);
  });
});

describe("fleet mode runs the Argo CD preview checks", () => {
  it("GIVEN an ApplicationSet listing a directory that does not exist WHEN validated THEN SW-ARGO-APPLICATION names it", () => {
    const root = fleet("argocd");
    const set = join(root, "clusters/dev-use1/argocd/applicationset-dev-use1-dev-payments.yaml");
    editFile(set, (t) => t.replace("          - path: clusters/dev-use1/dev/settlement\n", "          - path: clusters/dev-use1/dev/settlement\n          - path: clusters/dev-use1/dev/settlment\n"));
    const report = validateFleet(root);
    const argo = report.findings.filter((f) => f.rule === "SW-ARGO-APPLICATION");
    expect(argo).toHaveLength(1);
    expect(argo[0]).toMatchObject({ severity: "error", file: "clusters/dev-use1/argocd/applicationset-dev-use1-dev-payments.yaml" });
    expect(argo[0]!.message).toMatch(/^generator: .*`clusters\/dev-use1\/dev\/settlment` matches no directory/);
    expect(report.summary.errors).toBe(1);
  });
});

describe("fleet mode validates exactly what Argo CD would sync", () => {
  it("GIVEN a stray file, a symbolic link and a cluster directory without cluster.ts under clusters/ WHEN validated THEN SW-FLEET-UNOWNED names each", () => {
    const root = fleet("unowned");
    writeFileSync(join(root, "clusters/dev-use1/dev/extra.json"), "{}\n");
    mkdirSync(join(root, "clusters/dev-use1/notes/deep"), { recursive: true });
    writeFileSync(join(root, "clusters/dev-use1/notes/deep/todo.txt"), "x\n");
    symlinkSync("../README.md", join(root, "clusters/prod-use1/readme-link.md"));
    mkdirSync(join(root, "clusters/scratch"));
    const report = validateFleet(root);
    expect(report.findings.filter((f) => f.rule === "SW-FLEET-UNOWNED").map((f) => f.file)).toEqual([
      "clusters/dev-use1/dev/extra.json",
      "clusters/dev-use1/notes/deep/todo.txt",
      "clusters/prod-use1/readme-link.md",
      "clusters/scratch/",
    ]);
    expect(report.summary.errors).toBe(4);
  });
  it("GIVEN a rendered.json with a kubernetesVersion validate does not know THEN the error names that file and field, not a flag", () => {
    const root = fleet("version");
    editFile(join(root, "clusters/dev-use1/rendered.json"), (t) => t.replace(/"kubernetesVersion": "[^"]+"/, '"kubernetesVersion": "1.99"'));
    expect(() => validateFleet(root)).toThrow(/kubernetesVersion "1\.99"/);
    try {
      validateFleet(root);
    } catch (e) {
      const text = (e as { format(): string }).format();
      expect(text).toMatch(/clusters\/dev-use1\/rendered\.json/);
      expect(text).toMatch(/kubernetesVersion/);
      expect(text).not.toMatch(/--kubernetes-version/);
    }
  });
});
