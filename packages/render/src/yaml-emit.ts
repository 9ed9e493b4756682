/**
 * A fast YAML emitter for plain JSON-like objects that produces exactly the bytes
 * `yaml.stringify(value, EMIT_OPTIONS)` produces, so switching to it changed no rendered file.
 *
 * Why not call `yaml` for everything: it builds a document model per object and was the largest
 * cost of rendering. Why it stays exact: the structure (block maps and sequences, `[]`, `{}`,
 * two-space indents) is simple and emitted here; every decision that is hard — whether a
 * string or a key may be plain or must be quoted under YAML 1.1 (`on`, `no`, `0755`, `1e3`,
 * `a: b`, `#`, dates, …), how a float is written — is delegated to `yaml` itself, once per
 * distinct scalar, and memoised. Only strings whose form is certain are decided here: plain
 * (`surelyPlain`: most names, labels, image references, quantities) or double-quoted
 * (`surelyQuoted`: `on`, `"13"`, `0755`), by `yaml`'s own rules, so a render often never loads it. Anything this emitter does not handle exactly (multi-line
 * strings, which become block scalars; non-finite numbers; unusual keys; non-plain values) falls
 * back to `yaml.stringify` for the whole object. `yaml-emit.test.ts` checks equality with
 * `yaml.stringify` over every rendered object and a corpus of awkward values. Deliberate
 * differences, where `yaml`'s text would be read back as another object: YAML 1.1 line breaks
 * inside strings are escaped, and block scalars that do not read back are double-quoted.
 */
import { surelyPlain, surelyQuoted } from "./yaml-strings";
import { yamlLibrary } from "./yaml-library";

function stringify(value: unknown, options: typeof EMIT_OPTIONS): string {
  return yamlLibrary().stringify(value, options);
}

export const EMIT_OPTIONS = { version: "1.1", lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;

/** Thrown inside the fast path when it meets something it does not emit exactly. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported("unsupported by the fast YAML path");

/** Distinct scalars seen in a render are few compared with the objects; the memo stays small. */
const MAX_MEMO = 200_000;
const valueMemo = new Map<string, string | null>();
const keyMemo = new Map<string, string | null>();

function remember(memo: Map<string, string | null>, key: string, value: string | null): string | null {
  if (memo.size >= MAX_MEMO) memo.clear();
  memo.set(key, value);
  return value;
}

/**
 * Characters a YAML 1.1 reader takes for line breaks (NEL, LINE and PARAGRAPH SEPARATOR) and the
 * byte-order mark. `yaml` writes them raw, and a YAML 1.1 reader (PyYAML) then reads another
 * object than `yaml` does; so a string holding one is always written double-quoted, with the
 * character escaped. This is the one place the output departs from `yaml.stringify`.
 */
const YAML_11_BREAKS = /[\u0085\u2028\u2029\ufeff]/;
const YAML_11_BREAKS_ALL = /[\u0085\u2028\u2029\ufeff]/g;
const escapeBreak = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** A double-quoted scalar every YAML reader reads back as `text` (JSON's escapes are YAML's). */
function escapedDoubleQuoted(text: string): string {
  return JSON.stringify(text).replace(YAML_11_BREAKS_ALL, escapeBreak);
}

/** `yaml.stringify` of `object`, with the scalars `quote` picks double-quoted and YAML 1.1 line breaks escaped. */
function stringifyQuoting(object: unknown, quote: (text: string) => boolean): string {
  const yaml = yamlLibrary();
  const document = new yaml.Document(object, { version: EMIT_OPTIONS.version, aliasDuplicateObjects: false });
  yaml.visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && quote(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  // Only double-quoted scalars hold the breaks now, where an escape means the same character.
  return document.toString({ lineWidth: EMIT_OPTIONS.lineWidth, minContentWidth: EMIT_OPTIONS.minContentWidth }).replace(YAML_11_BREAKS_ALL, escapeBreak);
}

/**
 * `yaml.stringify` for what the fast path does not emit itself, made safe: strings holding a YAML
 * 1.1 line break are double-quoted with the break escaped, and if the text does not read back as
 * the same object (`yaml` writes a string like " \n" as a block scalar that reads back as "\n"),
 * every multi-line string is double-quoted instead.
 */
function stringifySafely(object: unknown): string {
  const json = JSON.stringify(object) ?? "";
  const text = YAML_11_BREAKS.test(json) ? stringifyQuoting(object, (value) => YAML_11_BREAKS.test(value)) : stringify(object, EMIT_OPTIONS);
  if (!json.includes("\\n") || JSON.stringify(yamlLibrary().parse(text, { version: EMIT_OPTIONS.version })) === json) return text;
  return stringifyQuoting(object, (value) => value.includes("\n") || YAML_11_BREAKS.test(value));
}

/** How `yaml` writes this string as a block value: plain or quoted, or null if it would take several lines. */
function scalarString(value: string): string {
  if (YAML_11_BREAKS.test(value)) return escapedDoubleQuoted(value);
  if (surelyPlain(value)) return value;
  const quoted = surelyQuoted(value);
  if (quoted !== undefined) return quoted;
  let out = valueMemo.get(value);
  if (out === undefined) {
    const text = stringify(value, EMIT_OPTIONS);
    // One line (plus the final newline) is a flow scalar usable in any block position.
    out = remember(valueMemo, value, text.indexOf("\n") === text.length - 1 && !text.startsWith("|") && !text.startsWith(">") ? text.slice(0, -1) : null);
  }
  if (out === null) throw UNSUPPORTED;
  return out;
}

/** How `yaml` writes this key in a block map, or null if it is not a simple one-line key. */
function scalarKey(key: string): string {
  // `yaml` writes this key plain, and a YAML 1.1 reader then takes it for a merge key.
  if (key === "<<") return '"<<"';
  if (YAML_11_BREAKS.test(key)) return escapedDoubleQuoted(key);
  if (surelyPlain(key)) return key;
  const quoted = surelyQuoted(key);
  if (quoted !== undefined) return quoted;
  let out = keyMemo.get(key);
  if (out === undefined) {
    const text = stringify({ [key]: 0 }, EMIT_OPTIONS);
    out = remember(keyMemo, key, text.endsWith(": 0\n") && !text.startsWith("? ") && text.indexOf("\n") === text.length - 1 ? text.slice(0, -4) : null);
  }
  if (out === null) throw UNSUPPORTED;
  return out;
}

function scalarNumber(value: number): string {
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  if (!Number.isFinite(value)) throw UNSUPPORTED;
  let out = valueMemo.get(`\u0000n${value}`);
  if (out === undefined) {
    const text = stringify(value, EMIT_OPTIONS);
    out = remember(valueMemo, `\u0000n${value}`, text.indexOf("\n") === text.length - 1 ? text.slice(0, -1) : null);
  }
  if (out === null) throw UNSUPPORTED;
  return out;
}

/** A scalar's one-line text, or undefined if `value` is a collection. */
function scalar(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return scalarString(value);
    case "number":
      return scalarNumber(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) throw UNSUPPORTED;
      for (const key in value) if ((value as Record<string, unknown>)[key] !== undefined) return undefined;
      return "{}";
    default:
      throw UNSUPPORTED;
  }
}

function emitMap(map: Record<string, unknown>, indent: string, out: string[], firstInline: boolean): void {
  let first = firstInline;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    const prefix = first ? "" : indent;
    first = false;
    const k = scalarKey(key);
    const text = scalar(value);
    if (text !== undefined) {
      out.push(`${prefix}${k}: ${text}\n`);
    } else if (Array.isArray(value)) {
      out.push(`${prefix}${k}:\n`);
      emitSeq(value, `${indent}  `, out);
    } else {
      out.push(`${prefix}${k}:\n`);
      emitMap(value as Record<string, unknown>, `${indent}  `, out, false);
    }
  }
}

function emitSeq(seq: readonly unknown[], indent: string, out: string[]): void {
  for (const item of seq) {
    if (item === undefined) throw UNSUPPORTED;
    const text = scalar(item);
    if (text !== undefined) {
      out.push(`${indent}- ${text}\n`);
    } else if (Array.isArray(item)) {
      out.push(`${indent}- `);
      emitSeqInline(item, `${indent}  `, out);
    } else {
      out.push(`${indent}- `);
      emitMap(item as Record<string, unknown>, `${indent}  `, out, true);
    }
  }
}

/** A sequence whose first item continues the line of its parent's `- `. */
function emitSeqInline(seq: readonly unknown[], indent: string, out: string[]): void {
  const lines: string[] = [];
  emitSeq(seq, indent, lines);
  lines[0] = lines[0]!.slice(indent.length);
  out.push(...lines);
}

/** `yaml.stringify(object, EMIT_OPTIONS)`, byte for byte, fast for the shapes Kubernetes objects have. */
export function emitYamlFast(object: unknown): string {
  try {
    const text = scalar(object);
    if (text !== undefined) return stringifySafely(object);
    const out: string[] = [];
    if (Array.isArray(object)) emitSeq(object, "", out);
    else emitMap(object as Record<string, unknown>, "", out, false);
    return out.join("");
  } catch (error) {
    if (error instanceof Unsupported) return stringifySafely(object);
    throw error;
  }
}
