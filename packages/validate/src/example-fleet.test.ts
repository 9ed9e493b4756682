/**
 * The repository's own rendered fleet (every clusters/<cluster>/rendered.json) passes `slipway validate` in
 * fleet mode with zero errors: a guardrail broken by an add-on, an app or a tenant change fails
 * CI here, with the findings in the message. Exemptions are allowed, but each names its reason.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runValidateCommand } from "./cli";
import type { ValidationReport } from "./types";

/** packages/validate/src → the repository root. */
const repoRoot = join(import.meta.dirname, "..", "..", "..");

async function validateFleet(): Promise<{ code: number; report: ValidationReport; err: string }> {
  let out = "";
  let err = "";
  const code = await runValidateCommand(["-o", "json"], {
    cwd: repoRoot,
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    readStdin: () => Promise.resolve(""),
    color: false,
  });
  return { code, report: JSON.parse(out) as ValidationReport, err };
}

describe("the example fleet", () => {
  it("GIVEN the committed rendered tree WHEN validated in fleet mode THEN there are no errors", async () => {
    const { code, report, err } = await validateFleet();
    const errors = report.findings
      .filter((f) => f.severity === "error")
      .map((f) => `${f.file}:${f.line} ${f.rule} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ""}${f.object.name} ${f.path}: ${f.message}`);
    expect(errors, err).toEqual([]);
    expect(code).toBe(0);
    expect(report.summary.objects).toBeGreaterThan(0);
    for (const e of report.exemptions) expect(e.reason.length, `${e.rule} on ${e.object.kind} ${e.object.name}`).toBeGreaterThan(20);
  });
});

describe("fleet mode runs the Argo CD preview checks", () => {
  it("GIVEN an ApplicationSet listing a directory that does not exist WHEN validated THEN SW-ARGO-APPLICATION names it", async () => {
    const root = join(repoRoot, ".slipway", `validate-argocd-${process.pid}-${Date.now()}`);
    try {
      mkdirSync(join(root, "clusters"), { recursive: true });
      cpSync(join(repoRoot, "clusters", "dev-use1"), join(root, "clusters", "dev-use1"), { recursive: true });
      cpSync(join(repoRoot, "slipway.config.ts"), join(root, "slipway.config.ts"));
      const set = join(root, "clusters/dev-use1/argocd/applicationset-dev-use1-dev-payments.yaml");
      writeFileSync(set, readFileSync(set, "utf8").replace("          - path: clusters/dev-use1/dev/ledger\n", "          - path: clusters/dev-use1/dev/ledger\n          - path: clusters/dev-use1/dev/ledgr\n"));
      let out = "";
      const code = await runValidateCommand(["-o", "json"], { cwd: root, stdout: (s) => (out += s), stderr: () => {}, readStdin: () => Promise.resolve(""), color: false });
      const report = JSON.parse(out) as ValidationReport;
      const argo = report.findings.filter((f) => f.rule === "SW-ARGO-APPLICATION");
      expect(argo).toHaveLength(1);
      expect(argo[0]).toMatchObject({ severity: "error", file: "clusters/dev-use1/argocd/applicationset-dev-use1-dev-payments.yaml" });
      expect(argo[0]!.message).toMatch(/^generator: .*`clusters\/dev-use1\/dev\/ledgr` matches no directory/);
      expect(code).toBe(1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
