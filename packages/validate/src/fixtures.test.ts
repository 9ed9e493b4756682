/**
 * Every manifest under fixtures/ states what it expects in its first lines:
 *   # expect: none                          (valid: no finding at all)
 *   # expect: RULE-ID path [warning]        (exactly one finding, `-` for a file-level path)
 *   # args: --policy prod …                 (the options, as `slipway validate` spells them)
 *   # look-alike: "from" => "to"            (invalid fixtures: JSON strings; the text with `from`
 *                                           replaced by `to` is the valid look-alike: no finding)
 * The fixtures run through validateManifests with those options.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POLICY_PRESETS } from "./policy";
import type { ValidateOptions, ValidationReport } from "./types";
import { validateManifests } from "./validate";

const root = join(import.meta.dirname, "..", "fixtures");

/** The few flags the fixtures' `# args:` lines use, as options (`slipway validate` parses the real ones). */
function options(args: readonly string[]): ValidateOptions {
  const out: { -readonly [K in keyof ValidateOptions]: ValidateOptions[K] } = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (flag === "--cross-object") out.crossObject = true;
    else if (flag === "--kubernetes-version") out.kubernetesVersion = args[++i];
    else if (flag === "--reject") out.reject = [args[++i]!];
    else if (flag === "--policy") out.policy = POLICY_PRESETS[args[++i]!];
    else throw new Error(`fixture header flag ${flag} is not supported here`);
  }
  return out;
}

function run(file: string, args: string[], text = readFileSync(join(root, file), "utf8")): ValidationReport {
  return validateManifests([{ file, text }], options(args));
}

/** The `# look-alike:` replacements of a fixture, as [from, to] pairs. */
export function lookAlikes(text: string): [string, string][] {
  return [...text.matchAll(/^# look-alike: (".*") => (".*")$/gm)].map((m) => [JSON.parse(m[1]!) as string, JSON.parse(m[2]!) as string]);
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
      const report = run(join("valid", name), args);
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
      const report = run(join("invalid", name), args);
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

describe("the valid look-alike of an invalid fixture produces no finding", () => {
  const dir = join(root, "invalid");
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
    const text = readFileSync(join(dir, name), "utf8");
    const pairs = lookAlikes(text);
    if (pairs.length === 0) continue;
    it(name, () => {
      // The replacements apply to the manifests, not to the header lines that spell them.
      let fixed = text.replace(/^(# .*\n)+/, "");
      for (const [from, to] of pairs) {
        expect(fixed, `look-alike text ${JSON.stringify(from)}`).toContain(from);
        fixed = fixed.replace(from, to);
      }
      expect(show(run(join("invalid", name), header(text).args, fixed))).toEqual([]);
    });
  }
});
