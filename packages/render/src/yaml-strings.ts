/**
 * The strings whose YAML form is certain without asking `yaml`: plain, or double-quoted, by
 * `yaml`'s own rules under YAML 1.1 (`on`, `no`, `0755`, `1e3` and the like must be quoted).
 * Most strings of a manifest (names, labels, image references, quantities) are decided here.
 */
/** Characters that `yaml` never writes plain: C0 and C1 controls (tab and newline among them), surrogates. */
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\uD800-\uDFFF]/;
/**
 * `yaml`'s own rules for a one-line string in block context (stringifyString's plainString): it
 * is quoted if it starts with an indicator or a space, is `-` or `?` alone or followed by a
 * space, holds `: ` or ` #`, or ends with a space or `:`.
 */
const NOT_PLAIN = /^[ ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-] |: | #| $|:$/;
/** Starting with a letter, the only strings YAML 1.1 reads as other than a string: booleans, null and exponent-only floats. */
const YAML_11_WORDS = /^(?:[YyNn]|[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF|[Nn]ull|NULL|[eE][-+]?[0-9]+)$/;
/**
 * A character that no YAML 1.1 number, date or time has (they are made of digits, `_ . : + -`,
 * hex digits, `x`, `t`, `z` and spaces): a string starting with a digit that has one (`256Mi`,
 * `500m`, `10.0.0.0/8`) is a string to YAML 1.1.
 */
const NOT_NUMERIC = /[^0-9_.:+\-a-fA-FxXtTzZ ]/;

/**
 * Whether `yaml` writes `text` plain, as a value and as a key, for certain; `false` when unsure,
 * and then `yaml` is asked. Most strings of a manifest (names, labels, image references,
 * quantities, expressions) are decided here.
 */
export function surelyPlain(text: string): boolean {
  if (text.length === 0 || text.length > 1000 || text === "<<" || UNPRINTABLE.test(text) || NOT_PLAIN.test(text)) return false;
  const first = text.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39) return NOT_NUMERIC.test(text);
  if ((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a)) return !YAML_11_WORDS.test(text);
  // `+ - .` start numbers (`-1`, `.5`, `.inf`), `~` is null: asked.
  return !/^[-+.~]/.test(text);
}

/** YAML 1.1 numbers as `yaml`'s yaml-1.1 schema recognises them (its int and float tags' tests), and null. */
const YAML_11_NUMBERS_AND_NULL = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
];

/**
 * `text` double-quoted, when `yaml` writes it so for certain: printable ASCII without `"` or `\`
 * (written as they are between double quotes), not a document marker, and either breaking a
 * plain-scalar rule or read by YAML 1.1 as a boolean, null or number (`on`, `no`, `0755`, `13`,
 * `a: b # c`). Otherwise `undefined`, and `yaml` is asked.
 */
export function surelyQuoted(text: string): string | undefined {
  if (text.length > 1000 || text === "<<" || !/^[\x20-\x7e]*$/.test(text) || /["\\]|^---|^\.\.\./.test(text)) return undefined;
  return NOT_PLAIN.test(text) || YAML_11_WORDS.test(text) || YAML_11_NUMBERS_AND_NULL.some((number) => number.test(text)) ? `"${text}"` : undefined;
}
