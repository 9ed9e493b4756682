/** Plain-text and JSON renderings of a tree diff, for terminals and machines. */
import { environmentLabel, riskLines, totals, type ResourceDiff, type TreeDiff } from "./diff";
import { changeLines, yamlText } from "./values";

const ANSI = { red: "\u001b[31m", green: "\u001b[32m", yellow: "\u001b[33m", bold: "\u001b[1m", reset: "\u001b[0m" };

export interface TextOptions {
  readonly color?: boolean;
  /** Print whole objects of added and removed resources. @default false */
  readonly full?: boolean;
}

export function formatText(diff: TreeDiff, options: TextOptions = {}): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${ANSI.reset}` : text);
  const t = totals(diff);
  const out: string[] = [`Rendered diff ${diff.base} → ${diff.head}: ${t.added} to add, ${t.changed} to change, ${t.removed} to delete`];
  if (diff.resources.length === 0) return `${out[0]}\nNo change to the rendered manifests.\n`;
  const risks = riskLines(diff);
  if (risks.length > 0) {
    out.push("", paint(ANSI.bold + ANSI.yellow, "Risky changes:"));
    for (const line of risks) out.push(`  ! [${line.rule}] ${line.where}${line.resource ? ` ${line.resource}` : ""}: ${line.message}`);
  }
  out.push("", "Summary:");
  const rows = [["cluster", "environment", "+", "~", "-"], ...diff.summary.map((s) => [s.cluster, environmentLabel(s.environment), String(s.added), String(s.changed), String(s.removed)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) out.push(`  ${row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")}`.trimEnd());
  let section = "";
  for (const r of diff.resources) {
    const heading = `${r.cluster} / ${environmentLabel(r.environment)} / ${r.group}`;
    if (heading !== section) {
      section = heading;
      out.push("", paint(ANSI.bold, heading));
    }
    const sign = r.status === "added" ? "+" : r.status === "removed" ? "-" : "~";
    const color = r.status === "added" ? ANSI.green : r.status === "removed" ? ANSI.red : ANSI.yellow;
    out.push(paint(color, `  ${sign} ${r.kind} ${qualified(r)}${r.risks.length ? "  (!)" : ""}`) + `  ${r.path}`);
    const lines = r.status === "changed" ? r.changes.flatMap(changeLines) : options.full ? yamlText(r.object).split("\n").map((l) => `${sign}   ${l}`) : [];
    for (const line of lines) {
      const c = line.startsWith("+") ? ANSI.green : line.startsWith("-") ? ANSI.red : ANSI.yellow;
      out.push(`      ${paint(c, line)}`);
    }
  }
  return out.join("\n") + "\n";
}

/** The diff as stable, sorted JSON (secret-like values already masked). */
export function formatJson(diff: TreeDiff): string {
  const resources = diff.resources.map((r) => ({
    cluster: r.cluster,
    environment: r.environment || null,
    group: r.group,
    apiVersion: r.apiVersion,
    kind: r.kind,
    namespace: r.namespace ?? null,
    name: r.name,
    path: r.path,
    ...(r.movedFrom ? { movedFrom: r.movedFrom } : {}),
    status: r.status,
    risks: r.risks,
    changes: r.changes.map(({ segments: _s, ...c }) => c),
    ...(r.object !== undefined ? { object: r.object } : {}),
  }));
  return JSON.stringify({ base: diff.base, head: diff.head, totals: totals(diff), summary: diff.summary.map((s) => ({ ...s, environment: s.environment || null })), resources }, null, 2) + "\n";
}

function qualified(r: ResourceDiff): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}
