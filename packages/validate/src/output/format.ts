/**
 * Report → text in the four output formats: pretty (terminal), json, junit (CI test
 * reports) and github (workflow-command annotations on the pull request diff).
 */
import type { Finding, ValidationReport } from "../types";

export type OutputFormat = "pretty" | "json" | "junit" | "github";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["pretty", "json", "junit", "github"];

function objectName(o: Finding["object"]): string {
  if (!o.kind) return "";
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name ?? "(unnamed)"}`;
}

const paint = (color: boolean, code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);

export function formatReport(report: ValidationReport, format: OutputFormat, opts: { color: boolean; summary: boolean }): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "junit":
      return junit(report);
    case "github":
      return github(report, opts.summary);
    case "pretty":
      return pretty(report, opts.color, opts.summary);
  }
}

function pretty(report: ValidationReport, color: boolean, summary: boolean): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const sev = f.severity === "error" ? paint(color, "31;1", "error") : paint(color, "33;1", "warning");
    const what = [objectName(f.object), f.path].filter(Boolean).join(" ");
    lines.push(`${paint(color, "1", `${f.file}:${f.line}`)} ${sev} ${paint(color, "36", f.rule)} ${what}`);
    lines.push(`  ${f.message}`);
    if (f.hint) lines.push(paint(color, "2", `  fix: ${f.hint}`));
  }
  if (summary || report.summary.errors > 0 || report.summary.warnings > 0) {
    if (lines.length > 0) lines.push("");
    lines.push(summaryLine(report));
  }
  if (summary && report.exemptions.length > 0) {
    lines.push(`Exemptions (${report.exemptions.length}):`);
    for (const e of report.exemptions) lines.push(`  ${e.rule} ${objectName(e.object)} (${e.file}:${e.line}): ${e.reason}`);
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

export function summaryLine(report: ValidationReport): string {
  const s = report.summary;
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;
  return `Summary: ${plural(s.objects, "object")} in ${plural(s.files, "file")} (Kubernetes ${s.kubernetesVersion}): ${s.valid} valid, ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}, ${s.skipped} skipped, ${plural(report.exemptions.length, "exemption")}`;
}

export function escapeXml(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped.
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function junit(report: ValidationReport): string {
  const byFile = new Map<string, { cases: Map<string, { skipped: boolean; failures: Finding[]; warnings: Finding[] }> }>();
  const suite = (file: string) => {
    let s = byFile.get(file);
    if (!s) {
      s = { cases: new Map() };
      byFile.set(file, s);
    }
    return s;
  };
  const caseName = (o: Finding["object"]): string => objectName(o) || "(document)";
  for (const o of report.objects) {
    const name = caseName(o);
    const s = suite(o.file);
    if (!s.cases.has(name)) s.cases.set(name, { skipped: o.skipped, failures: [], warnings: [] });
  }
  for (const f of report.findings) {
    const s = suite(f.file);
    const name = caseName(f.object);
    let c = s.cases.get(name);
    if (!c) {
      c = { skipped: false, failures: [], warnings: [] };
      s.cases.set(name, c);
    }
    (f.severity === "error" ? c.failures : c.warnings).push(f);
  }
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const [file, s] of byFile) {
    let sFail = 0;
    let sSkip = 0;
    const cases: string[] = [];
    for (const [name, c] of s.cases) {
      if (c.failures.length > 0) sFail++;
      if (c.skipped) sSkip++;
      const body: string[] = [];
      if (c.skipped) body.push("      <skipped/>");
      for (const f of c.failures) {
        body.push(`      <failure message="${escapeXml(`${f.rule}: ${f.message}`)}" type="${escapeXml(f.rule)}">${escapeXml(`${f.file}:${f.line} ${f.path}\n${f.message}\nfix: ${f.hint}`)}</failure>`);
      }
      if (c.warnings.length > 0) {
        body.push(`      <system-out>${escapeXml(c.warnings.map((f) => `warning ${f.rule} ${f.file}:${f.line} ${f.path}: ${f.message}`).join("\n"))}</system-out>`);
      }
      cases.push(body.length === 0 ? `    <testcase classname="${escapeXml(file)}" name="${escapeXml(name)}"/>` : `    <testcase classname="${escapeXml(file)}" name="${escapeXml(name)}">\n${body.join("\n")}\n    </testcase>`);
    }
    tests += s.cases.size;
    failures += sFail;
    skipped += sSkip;
    suites.push(`  <testsuite name="${escapeXml(file)}" tests="${s.cases.size}" failures="${sFail}" errors="0" skipped="${sSkip}">\n${cases.join("\n")}\n  </testsuite>`);
  }
  const props = report.exemptions.map((e) => `      <property name="${escapeXml(`exemption ${e.rule} ${objectName(e.object)}`)}" value="${escapeXml(e.reason)}"/>`);
  const propBlock = props.length > 0 ? `  <testsuite name="exemptions" tests="0" failures="0" errors="0" skipped="0">\n    <properties>\n${props.join("\n")}\n    </properties>\n  </testsuite>\n` : "";
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="slipway validate" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n${propBlock}${suites.join("\n")}${suites.length ? "\n" : ""}</testsuites>\n`;
}

function ghData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function ghProp(s: string): string {
  return ghData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function github(report: ValidationReport, summary: boolean): string {
  const lines = report.findings.map((f) => {
    const what = [objectName(f.object), f.path].filter(Boolean).join(" ");
    return `::${f.severity === "error" ? "error" : "warning"} file=${ghProp(f.file)},line=${f.line},title=${ghProp(`${f.rule} ${what}`)}::${ghData(`${f.message}\nfix: ${f.hint}`)}`;
  });
  if (summary) {
    for (const e of report.exemptions) lines.push(`::notice file=${ghProp(e.file)},line=${e.line},title=${ghProp(`exempt ${e.rule}`)}::${ghData(e.reason)}`);
    lines.push(summaryLine(report));
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
