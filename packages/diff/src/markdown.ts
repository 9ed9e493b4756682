/**
 * Markdown for pull request comments: risky changes and a summary first, then one collapsible
 * section per resource. Split into several comments, each under GitHub's limit, on resource
 * boundaries; a resource too large for one comment is continued in the next, never truncated.
 */
import { environmentLabel, riskLines, totals, type ResourceDiff, type TreeDiff } from "./diff";
import { changeLines, yamlText } from "./values";

/** GitHub rejects issue comments and pull request bodies longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** First line of every part; the number identifies the comment to update in place. */
export const PART_MARKER = (n: number): string => `<!-- slipway:diff part=${n} -->`;
export const PART_MARKER_PATTERN = /^<!-- slipway:diff part=(\d+) -->/;

export interface MarkdownOptions {
  /** Upper bound of each part's length in characters. @default 65536 */
  readonly maxChars?: number;
  /** Heading above the diff. @default "Rendered diff" */
  readonly title?: string;
}

interface Unit {
  readonly text: string;
  /** Headings to repeat when this unit starts a new part, so every part reads on its own. */
  readonly context: string;
}

const SIGN: Record<ResourceDiff["status"], string> = { added: "+", changed: "~", removed: "-" };
/** Room kept in every part for its marker and "part i of n" line. */
const PART_OVERHEAD = 200;

/** The diff as one or more markdown documents, each at most `maxChars` long. */
export function formatMarkdown(diff: TreeDiff, options: MarkdownOptions = {}): string[] {
  const maxChars = options.maxChars ?? GITHUB_COMMENT_LIMIT;
  if (maxChars < 1000) throw new RangeError(`maxChars must be at least 1000 (received ${maxChars})`);
  const budget = maxChars - PART_OVERHEAD;
  const units = [...header(diff, options.title ?? "Rendered diff"), ...resourceUnits(diff, budget)];
  const parts: string[] = [];
  let current = "";
  for (const unit of units) {
    for (const piece of fit(unit, budget)) {
      if (current && current.length + piece.text.length > budget) {
        parts.push(current);
        current = piece.context;
      }
      current += piece.text;
    }
  }
  if (current || parts.length === 0) parts.push(current);
  return parts.map((body, i) => {
    const counter = parts.length > 1 ? `_Part ${i + 1} of ${parts.length} of the rendered diff._\n\n` : "";
    return `${PART_MARKER(i + 1)}\n${counter}${body.trimEnd()}\n`;
  });
}

/** A unit longer than the budget (one enormous line, say) is cut into slices that fit. */
function fit(unit: Unit, budget: number): Unit[] {
  if (unit.context.length + unit.text.length <= budget) return [unit];
  const room = Math.max(100, budget - unit.context.length - 50);
  const pieces: Unit[] = [];
  for (let i = 0; i < unit.text.length; i += room) pieces.push({ text: unit.text.slice(i, i + room), context: unit.context });
  return pieces;
}

function header(diff: TreeDiff, title: string): Unit[] {
  const t = totals(diff);
  const units: Unit[] = [
    {
      text: `### ${title}: \`${diff.base}\` → \`${diff.head}\`\n\n` +
        (diff.resources.length === 0 ? "No change to the rendered manifests.\n\n" : `**${t.added} to add, ${t.changed} to change, ${t.removed} to delete** (\`+${t.added} ~${t.changed} -${t.removed}\`)\n\n`),
      context: "",
    },
  ];
  const risks = riskLines(diff);
  if (risks.length > 0) {
    units.push({ text: `#### ⚠️ Risky changes (${risks.length})\n\n`, context: "" });
    for (const line of risks) {
      units.push({ text: `- **${line.rule}** \`${line.where}\`${line.resource ? ` ${escape(line.resource)}` : ""}: ${escape(line.message)}\n`, context: "#### ⚠️ Risky changes (continued)\n\n" });
    }
    units.push({ text: "\n", context: "" });
  }
  if (diff.summary.length > 0) {
    const tableHead = "| cluster | environment | + | ~ | - |\n|---|---|--:|--:|--:|\n";
    units.push({ text: `#### Summary\n\n${tableHead}`, context: "" });
    for (const row of diff.summary) {
      units.push({ text: `| \`${row.cluster}\` | ${environmentLabel(row.environment)} | ${row.added} | ${row.changed} | ${row.removed} |\n`, context: `#### Summary (continued)\n\n${tableHead}` });
    }
    units.push({ text: "\n", context: "" });
  }
  return units;
}

function resourceUnits(diff: TreeDiff, budget: number): Unit[] {
  const units: Unit[] = [];
  let section = "";
  let group = "";
  for (const r of diff.resources) {
    const sectionHeading = `#### \`${r.cluster}\` / ${environmentLabel(r.environment)}\n\n`;
    const groupHeading = `**${r.group}**\n\n`;
    let lead = "";
    if (sectionHeading !== section) {
      section = sectionHeading;
      group = "";
      lead += sectionHeading;
    }
    if (groupHeading !== group) {
      group = groupHeading;
      lead += groupHeading;
    }
    const context = `${section.replace(/\n\n$/, " (continued)\n\n")}${group}`;
    const body = bodyLines(r);
    const summary = `<code>${SIGN[r.status]}</code> ${r.kind} <code>${escape(qualified(r))}</code> ${describe(r)}${r.risks.length ? " ⚠️" : ""}`;
    const fence = fenceFor(body);
    const language = r.status === "changed" ? "diff" : "yaml";
    const open = (suffix: string) => `<details><summary>${summary}${suffix}</summary>\n\n${fence}${language}\n`;
    const close = `${fence}\n\n</details>\n\n`;
    const whole = lead + open("") + body.join("\n") + "\n" + close;
    if (whole.length + context.length <= budget) {
      units.push({ text: whole, context });
      continue;
    }
    // Too large for one comment: continue the resource over several, each chunk a complete block.
    const room = budget - context.length - lead.length - open(" (continued, part 99 of 99)").length - close.length - 10;
    const chunks: string[][] = [[]];
    let size = 0;
    for (const line of body.flatMap((l) => (l.length > room ? slices(l, room) : [l]))) {
      if (size + line.length + 1 > room && chunks[chunks.length - 1]!.length > 0) {
        chunks.push([]);
        size = 0;
      }
      chunks[chunks.length - 1]!.push(line);
      size += line.length + 1;
    }
    chunks.forEach((chunk, i) => {
      const suffix = ` (part ${i + 1} of ${chunks.length})`;
      units.push({ text: (i === 0 ? lead : "") + open(suffix) + chunk.join("\n") + "\n" + close, context });
    });
  }
  return units;
}

function slices(line: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < line.length; i += size) out.push(line.slice(i, i + size));
  return out;
}

function bodyLines(r: ResourceDiff): string[] {
  const lines: string[] = [`# ${r.path}${r.movedFrom ? ` (moved from ${r.movedFrom})` : ""}`];
  if (r.status === "changed") lines.push(...r.changes.flatMap(changeLines));
  else lines.push(...yamlText(r.object).split("\n"));
  return lines;
}

function describe(r: ResourceDiff): string {
  if (r.status === "added") return "added";
  if (r.status === "removed") return "deleted";
  return `${r.changes.length} field${r.changes.length === 1 ? "" : "s"} changed`;
}

function qualified(r: ResourceDiff): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

/** A code fence longer than any run of backticks in the content. */
function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return "`".repeat(Math.max(3, longest + 1));
}

function escape(text: string): string {
  return text.replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]!);
}
