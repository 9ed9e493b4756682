/** How field values and field changes are written in every text format. */
import { stringify } from "yaml";
import { MASK, type FieldChange } from "./field-diff";

const PLAIN = /^[A-Za-z0-9_./:@%+=-][A-Za-z0-9_./:@%+=,-]*$/;
const AMBIGUOUS = /^(true|false|null|yes|no|on|off|~|-?\d+(\.\d+)?([eE][-+]?\d+)?)$/i;

/** One-line rendering of a value: strings bare where unambiguous, objects as compact flow. */
export function inlineValue(value: unknown): string {
  if (value === undefined) return "(none)";
  if (value === MASK) return MASK;
  if (typeof value === "string") return PLAIN.test(value) && !AMBIGUOUS.test(value) ? value : JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  return JSON.stringify(value);
}

/** YAML text of an object, keys in their rendered order. */
export function yamlText(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd();
}

const INLINE_LIMIT = 120;

/** The lines describing one field change: `~ path: a → b`, or a block for large or multi-line values. */
export function changeLines(change: FieldChange): string[] {
  const sign = change.op === "add" ? "+" : change.op === "remove" ? "-" : "~";
  if (change.masked) {
    const note = change.op === "change" ? `${MASK} → ${MASK} (secret-like value changed)` : `${MASK} (secret-like value)`;
    const scalar = (v: unknown) => v === undefined || typeof v !== "object" || v === null;
    if (scalar(change.before) && scalar(change.after)) return [`${sign} ${change.path}: ${note}`];
  }
  const { before, after } = change;
  if (change.op === "change" && typeof before === "string" && typeof after === "string" && (before.includes("\n") || after.includes("\n"))) {
    return [`~ ${change.path}: (multi-line text)`, ...lineDiff(before, after).map((l) => `${l[0]}   ${l.slice(2)}`)];
  }
  const value = change.op === "add" ? after : change.op === "remove" ? before : undefined;
  if (change.op !== "change") {
    if (!isComplex(value) && inlineValue(value).length <= INLINE_LIMIT) return [`${sign} ${change.path}: ${inlineValue(value)}`];
    return [`${sign} ${change.path}:`, ...yamlText(value).split("\n").map((l) => `${sign}   ${l}`)];
  }
  const a = inlineValue(before);
  const b = inlineValue(after);
  if (!isComplex(before) && !isComplex(after) && a.length + b.length <= INLINE_LIMIT * 2) return [`~ ${change.path}: ${a} → ${b}`];
  return [`~ ${change.path}:`, ...yamlText(before).split("\n").map((l) => `-   ${l}`), ...yamlText(after).split("\n").map((l) => `+   ${l}`)];
}

function isComplex(value: unknown): boolean {
  return (typeof value === "object" && value !== null && JSON.stringify(value).length > INLINE_LIMIT) || (typeof value === "string" && value.includes("\n"));
}

/** Line diff by longest common subsequence: each line prefixed `  `, `- ` or `+ `. */
export function lineDiff(a: string, b: string): string[] {
  const x = a.split("\n");
  const y = b.split("\n");
  if (x.length * y.length > 4_000_000) return [...x.map((l) => `- ${l}`), ...y.map((l) => `+ ${l}`)];
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      out.push(`  ${x[i]}`);
      i++;
      j++;
    } else if (j < y.length && (i >= x.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push(`+ ${y[j++]}`);
    else out.push(`- ${x[i++]}`);
  }
  return out;
}
