/**
 * The repository's own rendered fleet (every clusters/<cluster>/rendered.json) passes `slipway validate` in
 * fleet mode with zero errors: a guardrail broken by an add-on, an app or a tenant change fails
 * CI here, with the findings in the message. Exemptions are allowed, but each names its reason.
 */
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
