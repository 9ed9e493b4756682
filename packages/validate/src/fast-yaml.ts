/**
 * A fast path for the YAML that render writes (block mappings and sequences, plain and
 * one-line quoted scalars, `{}` / `[]`, comments, `---`): values only, typed exactly as the
 * `yaml` package types them (its own YAML 1.1 tag list and resolvers are used for plain
 * scalars). Anything else — anchors, tags, block or multi-line scalars, flow collections,
 * duplicate keys, errors — returns undefined and the caller uses the full parser, which
 * also provides line numbers of fields when a finding needs them.
 */
import { Document, isScalar, type DocumentOptions, type ParseOptions, type SchemaOptions } from "yaml";

interface Tag {
  readonly default?: boolean | "key";
  readonly test?: RegExp;
  readonly resolve: (value: string, onError: (msg: string) => void, options: unknown) => unknown;
}

export interface FastDoc {
  readonly value: unknown;
  readonly line: number;
}

/** Tabs, carriage returns, other control characters: left to the full parser. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f]/;

class Bail extends Error {}
const BAIL = new Bail();

export function fastYamlParser(options: DocumentOptions & SchemaOptions & ParseOptions): (text: string) => FastDoc[] | undefined {
  const doc = new Document(null, options);
  const tags = doc.schema.tags as unknown as Tag[];
  const docOptions = doc.options;
  const resolved = new Map<string, unknown>();
  let failed = false;
  const onError = (): void => {
    failed = true;
  };

  function plain(s: string, atKey: boolean): unknown {
    if (!atKey) {
      const hit = resolved.get(s);
      if (hit !== undefined || resolved.has(s)) return hit;
    }
    let tag: Tag | undefined;
    for (const t of tags) {
      if ((t.default === true || (atKey && t.default === "key")) && t.test?.test(s)) {
        tag = t;
        break;
      }
    }
    if (!tag) return s;
    failed = false;
    const res = tag.resolve(s, onError, docOptions);
    const v = isScalar(res) ? res.value : res;
    if (failed || (typeof v === "object" && v !== null) || typeof v === "bigint" || typeof v === "symbol" || typeof v === "function") throw BAIL;
    if (!atKey && resolved.size < 10_000) resolved.set(s, v);
    return v;
  }

  return (text) => {
    if (text.charCodeAt(0) === 0xfeff || CONTROL.test(text)) return undefined;
    const lines = text.split("\n");
    /** Index of the current line. */
    let i = -1;
    /** Indentation of the current line, or -1 at the end; skips blank and comment lines. */
    let ind = -1;
    let content = "";
    const next = (): void => {
      for (i++; i < lines.length; i++) {
        const l = lines[i] as string;
        let k = 0;
        while (k < l.length && l.charCodeAt(k) === 32) k++;
        if (k === l.length || l.charCodeAt(k) === 35) continue; // blank or comment
        ind = k;
        content = l.slice(k);
        let e = content.length;
        while (e > 0 && content.charCodeAt(e - 1) === 32) e--;
        content = content.slice(0, e);
        return;
      }
      ind = -1;
      content = "";
    };

    function scalar(s: string, atKey: boolean): unknown {
      const c = s.charCodeAt(0);
      if (c === 34) return doubleQuoted(s);
      if (c === 39) {
        if (s.length < 2 || s.charCodeAt(s.length - 1) !== 39) throw BAIL;
        const inner = s.slice(1, -1);
        if (inner.replace(/''/g, "").includes("'")) throw BAIL;
        return inner.replace(/''/g, "'");
      }
      if (!atKey && (s === "{}" || s === "[]")) return s === "{}" ? {} : [];
      // Indicators that start something other than a plain scalar, and comments.
      if ("&*!|>%@`{}[],?#".includes(s[0] as string) || s === "-" || s.startsWith("- ") || s.includes(" #") || s.includes(": ") || s.endsWith(":")) throw BAIL;
      if ((s.startsWith("---") || s.startsWith("...")) && ind === 0) throw BAIL;
      return plain(s, atKey);
    }

    function doubleQuoted(s: string): string {
      if (s.length < 2 || s.charCodeAt(s.length - 1) !== 34) throw BAIL;
      let out = "";
      for (let k = 1; k < s.length - 1; k++) {
        const ch = s[k] as string;
        if (ch === '"') throw BAIL; // closes early: something follows the string
        if (ch !== "\\") {
          out += ch;
          continue;
        }
        const e = s[++k];
        switch (e) {
          case "\\": out += "\\"; break;
          case '"': out += '"'; break;
          case "/": out += "/"; break;
          case "n": out += "\n"; break;
          case "t": out += "\t"; break;
          case "r": out += "\r"; break;
          case "0": out += "\0"; break;
          case "b": out += "\b"; break;
          case "f": out += "\f"; break;
          case "u": {
            const hex = s.slice(k + 1, k + 5);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw BAIL;
            out += String.fromCharCode(parseInt(hex, 16));
            k += 4;
            break;
          }
          default:
            throw BAIL; // rarer escapes: the full parser
        }
      }
      return out;
    }

    /** `key: rest` → [key text, rest], or undefined when the line is not a mapping entry. */
    function splitKey(s: string): [string, string] | undefined {
      if (s.charCodeAt(0) === 34) {
        const end = closingQuote(s);
        if (end < 0 || s.charCodeAt(end + 1) !== 58) return undefined;
        const rest = s.slice(end + 2);
        if (rest !== "" && rest.charCodeAt(0) !== 32) return undefined;
        return [s.slice(0, end + 1), rest.trimStart()];
      }
      const at = s.indexOf(": ");
      if (at > 0) return [s.slice(0, at), s.slice(at + 2).trimStart()];
      if (s.endsWith(":") && s.length > 1) return [s.slice(0, -1), ""];
      return undefined;
    }

    function closingQuote(s: string): number {
      for (let k = 1; k < s.length; k++) {
        const c = s.charCodeAt(k);
        if (c === 92) k++;
        else if (c === 34) return k;
      }
      return -1;
    }

    function keyOf(raw: string): string {
      if (raw.length > 1000 || raw !== raw.trimEnd() || raw.includes(" #") || raw === "<<" || raw.startsWith("'")) throw BAIL;
      const v = scalar(raw, true);
      if (typeof v !== "string" || v === "__proto__") throw BAIL;
      return v;
    }

    /** The value after `key:` / `- ` with nothing inline: a nested node, or null. */
    function nested(parentIndent: number, inSeq: boolean): unknown {
      next();
      if (ind > parentIndent) return node(ind);
      // `key:` followed by a sequence at the key's own indentation (compact form).
      if (!inSeq && ind === parentIndent && (content === "-" || content.startsWith("- "))) return seq(ind);
      return null;
    }

    /** An inline scalar; a more-indented line after it would be a continuation: not ours. */
    function inline(rest: string, parentIndent: number): unknown {
      const v = scalar(rest, false);
      next();
      if (ind > parentIndent) throw BAIL;
      return v;
    }

    function node(indent: number): unknown {
      if (content === "-" || content.startsWith("- ")) return seq(indent);
      return map(indent);
    }

    function map(indent: number): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      while (ind !== -1 && ind === indent) {
        const kv = splitKey(content);
        if (!kv) throw BAIL;
        const key = keyOf(kv[0]);
        if (Object.prototype.hasOwnProperty.call(out, key)) throw BAIL; // duplicate: the full parser reports it
        const rest = kv[1];
        out[key] = rest === "" ? nested(indent, false) : inline(rest, indent);
        if (ind !== -1 && ind > indent) throw BAIL;
        if (ind !== -1 && ind === indent && (content === "-" || content.startsWith("- "))) return out;
      }
      return out;
    }

    function seq(indent: number): unknown[] {
      const out: unknown[] = [];
      while (ind !== -1 && ind === indent && (content === "-" || content.startsWith("- "))) {
        if (content === "-") {
          out.push(nested(indent, true));
        } else {
          let k = 2;
          while (content.charCodeAt(k) === 32) k++;
          const rest = content.slice(k);
          const col = indent + k;
          if (rest === "-" || rest.startsWith("- ") || splitKey(rest)) {
            // A collection starting on the dash's line: parse it as if it started a line at `col`.
            content = rest;
            ind = col;
            out.push(node(col));
          } else {
            out.push(inline(rest, indent));
          }
        }
        if (ind !== -1 && ind > indent) throw BAIL;
      }
      return out;
    }

    try {
      const docs: FastDoc[] = [];
      next();
      for (;;) {
        if (ind === -1) break;
        if (ind === 0 && (content === "---" || content.startsWith("--- #"))) {
          next();
          continue;
        }
        if (ind !== 0 || content.startsWith("---") || content.startsWith("...") || content.startsWith("%")) return undefined;
        const line = i + 1;
        const value = node(0);
        docs.push({ value, line });
        const after = ind as number; // node() moved on
        if (after !== -1 && !(after === 0 && (content === "---" || content.startsWith("--- #")))) return undefined;
      }
      return docs;
    } catch (e) {
      if (e === BAIL) return undefined;
      throw e;
    }
  };
}
