/**
 * Go RE2 patterns (what Kubernetes, kubeconform and CEL's `matches` speak) as JavaScript
 * regular expressions. Most RE2 is valid JavaScript; what is not is translated:
 *   - flag groups `(?i)`, `(?s)`, `(?m)`, `(?U)…` and `(?i:…)`: `i` by case-folding each letter
 *     (`a` → `[aA]`, classes get both cases), `s` by `.` → `[^]`, `m` by anchors that look at
 *     line breaks; `U` (ungreedy) is not translated;
 *   - `\A` and `\z` (text anchors), `\Q…\E` (literal text), `(?P<name>…)` (named groups),
 *     POSIX classes `[[:alpha:]]`, `\pL` one-letter Unicode classes, identity escapes that the
 *     `u` flag refuses (`\-`, `\/` outside a class, …).
 * A pattern that still does not compile, or uses what RE2 has and JavaScript does not, yields
 * a reason instead of a RegExp: the caller reports it and skips the pattern, never throws.
 */

export type Re2Result = { readonly re: RegExp } | { readonly problem: string };

const cache = new Map<string, Re2Result>();

const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7F", blank: "\\t ", cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9", graph: "!-~", lower: "a-z", print: " -~", punct: "!-\\/:-@\\[-`{-~", space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z", word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};

/** Characters that may follow `\` under JavaScript's `u` flag outside a class. */
const SYNTAX = new Set("^$\\.*+?()[]{}|/".split(""));
/** Escapes that mean something (classes, anchors, control characters). */
const MEANINGFUL = new Set("dDwWsSbBnrtfv0xupPck".split(""));

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
}

const isLetter = (c: string): boolean => c.toLowerCase() !== c.toUpperCase();

function fold(c: string): string {
  const lo = c.toLowerCase();
  const up = c.toUpperCase();
  return lo === up || lo.length !== 1 || up.length !== 1 ? c : `[${lo}${up}]`;
}

/** Translates `src`; throws a string (the reason) for what cannot be translated. */
function translate(src: string): string {
  let i = 0;
  let out = "";
  const stack: Flags[] = [{ i: false, s: false, m: false }];
  const flags = (): Flags => stack[stack.length - 1] as Flags;

  const parseFlags = (spec: string, base: Flags): Flags => {
    const f = { ...base };
    let on = true;
    for (const ch of spec) {
      if (ch === "-") on = false;
      else if (ch === "i" || ch === "s" || ch === "m") f[ch] = on;
      else if (ch === "U") throw "the ungreedy flag (?U) has no JavaScript equivalent";
      else throw `unknown flag "${ch}" in (?${spec})`;
    }
    return f;
  };

  while (i < src.length) {
    const c = src[i] as string;
    if (c === "\\") {
      const n = src[i + 1];
      if (n === undefined) throw "trailing backslash";
      if (n === "A") {
        out += "^";
        i += 2;
      } else if (n === "z") {
        out += "$";
        i += 2;
      } else if (n === "Q") {
        const end = src.indexOf("\\E", i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        for (const ch of lit) out += flags().i && isLetter(ch) ? fold(ch) : ch.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
        i = end < 0 ? src.length : end + 2;
      } else if ((n === "p" || n === "P") && src[i + 2] !== "{") {
        out += `\\${n}{${src[i + 2] ?? ""}}`;
        i += 3;
      } else if (n === "C") {
        throw "\\C (any byte) has no JavaScript equivalent";
      } else if (MEANINGFUL.has(n) || SYNTAX.has(n)) {
        out += `\\${n}`;
        i += 2;
        if (n === "x" && src[i] === "{") {
          const end = src.indexOf("}", i);
          out += src.slice(i, end + 1).replace(/^\{/, "{").replace(/\{([0-9a-fA-F]+)\}/, "{$1}");
          out = out.replace(/\\x\{/, "\\u{");
          i = end + 1;
        }
      } else if (/[0-9]/.test(n)) {
        throw "back-references are not RE2";
      } else {
        out += /[A-Za-z]/.test(n) ? `\\${n}` : `\\x${n.charCodeAt(0).toString(16).padStart(2, "0")}`;
        i += 2;
      }
      continue;
    }
    if (c === "[") {
      const [cls, next] = translateClass(src, i, flags().i);
      out += cls;
      i = next;
      continue;
    }
    if (c === "(") {
      if (src.startsWith("(?P<", i)) {
        out += "(?<";
        i += 4;
        stack.push(flags());
        continue;
      }
      const m = /^\(\?([imsU-]*)(\)|:)/.exec(src.slice(i));
      if (m) {
        const f = parseFlags(m[1] as string, flags());
        if (m[2] === ")") {
          stack[stack.length - 1] = f; // to the end of the enclosing group
        } else {
          out += "(?:";
          stack.push(f);
        }
        i += m[0].length;
        continue;
      }
      if (src.startsWith("(?=", i) || src.startsWith("(?!", i) || src.startsWith("(?<=", i) || src.startsWith("(?<!", i)) throw "look-around is not RE2";
      if (src.startsWith("(?:", i)) {
        out += "(?:";
        i += 3;
      } else if (src.startsWith("(?<", i)) {
        out += "(?<";
        i += 3;
      } else {
        out += "(";
        i += 1;
      }
      stack.push(flags());
      continue;
    }
    if (c === ")") {
      if (stack.length > 1) stack.pop();
      out += ")";
      i++;
      continue;
    }
    if (c === ".") {
      out += flags().s ? "[^]" : "[^\\n]";
      i++;
      continue;
    }
    if (c === "^" && flags().m) {
      out += "(?<![^\\n])";
      i++;
      continue;
    }
    if (c === "$" && flags().m) {
      out += "(?![^\\n])";
      i++;
      continue;
    }
    if ((c === "{" || c === "}") && !/^\{\d+(,\d*)?\}/.test(src.slice(i)) && !(c === "}" && /\{\d+(,\d*)?$/.test(src.slice(0, i)))) {
      out += `\\${c}`; // a literal brace: RE2 takes it, the u flag does not
      i++;
      continue;
    }
    if (c === "*" || c === "+" || c === "?" || c === "}") {
      out += c;
      i++;
      continue;
    }
    out += flags().i && isLetter(c) ? fold(c) : c;
    i++;
  }
  return out;
}

/** A bracket class from `src[at] === "["`: [translation, index after it]. */
function translateClass(src: string, at: number, ci: boolean): [string, number] {
  let i = at + 1;
  let out = "[";
  if (src[i] === "^") {
    out += "^";
    i++;
  }
  let first = true;
  const extra: string[] = [];
  while (i < src.length && (src[i] !== "]" || first)) {
    first = false;
    const c = src[i] as string;
    if (src.startsWith("[:", i)) {
      const end = src.indexOf(":]", i);
      const name = src.slice(i + 2, end);
      const neg = name.startsWith("^");
      const set = POSIX[neg ? name.slice(1) : name];
      if (end < 0 || set === undefined) throw `unknown POSIX class [:${name}:]`;
      if (neg) throw "negated POSIX classes are not translated";
      out += set;
      i = end + 2;
      continue;
    }
    if (c === "\\") {
      const n = src[i + 1] ?? "";
      if ((n === "p" || n === "P") && src[i + 2] !== "{") {
        out += `\\${n}{${src[i + 2] ?? ""}}`;
        i += 3;
      } else if (/[A-Za-z0-9]/.test(n) || n === "\\" || n === "]" || n === "[" || n === "^" || n === "-" || n === "/") {
        out += `\\${n}`;
        i += 2;
      } else {
        out += `\\x${n.charCodeAt(0).toString(16).padStart(2, "0")}`;
        i += 2;
      }
      continue;
    }
    if (c === "[" ) {
      out += "\\[";
      i++;
      continue;
    }
    if (ci && isLetter(c)) {
      // a range of letters: add the other case's range too
      if (src[i + 1] === "-" && src[i + 2] !== undefined && src[i + 2] !== "]") {
        const to = src[i + 2] as string;
        out += `${c}-${to}`;
        if (isLetter(to)) extra.push(`${c.toLowerCase()}-${to.toLowerCase()}`, `${c.toUpperCase()}-${to.toUpperCase()}`);
        i += 3;
        continue;
      }
      extra.push(c.toLowerCase(), c.toUpperCase());
    }
    out += c;
    i++;
  }
  if (src[i] !== "]") throw "unterminated character class";
  return [`${out}${extra.join("")}]`, i + 1];
}

/** The JavaScript RegExp for RE2 `pattern` (cached), or why there is none. */
export function re2(pattern: string): Re2Result {
  let hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  try {
    hit = { re: new RegExp(pattern, "u") };
  } catch {
    try {
      hit = { re: new RegExp(translate(pattern), "u") };
    } catch (e) {
      hit = { problem: typeof e === "string" ? e : (e as Error).message };
    }
  }
  if (cache.size > 5000) cache.clear();
  cache.set(pattern, hit);
  return hit;
}
