/**
 * Every manifest under fixtures/ states what it expects in its first lines:
 *   # expect: none                          (valid: no finding at all)
 *   # expect: RULE-ID path [warning]        (exactly one finding, `-` for a file-level path)
 *   # args: --policy prod …                 (extra command-line flags)
 * The fixtures run through the real command with `--output json`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runValidateCommand } from "./cli";
import type { ValidationReport } from "./types";

const root = join(import.meta.dirname, "..", "fixtures");

async function run(file: string, args: string[]): Promise<ValidationReport> {
  let out = "";
  const code = await runValidateCommand([...args, "-o", "json", file], {
    cwd: root,
    stdout: (s) => (out += s),
    stderr: (s) => {
      throw new Error(s);
    },
    readStdin: () => Promise.resolve(""),
    color: false,
  });
  const report = JSON.parse(out) as ValidationReport;
  expect(code).toBe(report.summary.errors > 0 ? 1 : 0);
  return report;
}

function header(text: string): { expect: string; args: string[] } {
  const expectLine = /^# expect: (.*)$/m.exec(text)?.[1];
  if (!expectLine) throw new Error("fixture without '# expect:' line");
  const argsLine = /^# args: (.*)$/m.exec(text)?.[1];
  return { expect: expectLine.trim(), args: argsLine ? argsLine.trim().split(/\s+/) : [] };
}

const show = (r: ValidationReport): string[] => r.findings.map((f) => `${f.rule} ${f.path || "-"} (${f.severity}): ${f.message}`);

describe("valid fixtures produce no finding", () => {
  const dir = join(root, "valid");
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
    it(name, async () => {
      const { expect: exp, args } = header(readFileSync(join(dir, name), "utf8"));
      expect(exp).toBe("none");
      const report = await run(join("valid", name), args);
      expect(show(report)).toEqual([]);
      expect(report.summary.objects).toBeGreaterThan(0);
    });
  }
});

describe("invalid fixtures produce exactly their one finding", () => {
  const dir = join(root, "invalid");
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
    it(name, async () => {
      const { expect: exp, args } = header(readFileSync(join(dir, name), "utf8"));
      const m = /^(\S+) (.*?)(?: (warning|error))?$/.exec(exp);
      if (!m) throw new Error(`bad expectation "${exp}"`);
      const [, rule, path, severity = "error"] = m;
      const report = await run(join("invalid", name), args);
      expect(show(report)).toHaveLength(1);
      const f = report.findings[0]!;
      expect({ rule: f.rule, path: f.path || "-", severity: f.severity }).toEqual({ rule, path, severity });
      expect(f.file).toBe(join("invalid", name));
      expect(f.line).toBeGreaterThan(0);
      expect(f.message).not.toBe("");
      expect(f.hint).not.toBe("");
    });
  }
});
