/**
 * The series selectors of a PromQL expression (`metric{label="v", …}` and `{…}`), read with a small
 * scanner of PromQL's lexical grammar (prometheus/promql/parser/lex.go): identifiers followed by
 * `(` are functions or aggregations, label lists after by/without/on/ignoring/group_left/group_right
 * are grouping labels, `[…]` are ranges, and keywords and numbers are no metric names. Enough to
 * know which series an alert reads; not a PromQL validator.
 */

export interface LabelMatcher {
  readonly name: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
}

export interface SeriesSelector {
  /** The metric name, when the selector has one outside its braces. */
  readonly metric?: string;
  readonly matchers: readonly LabelMatcher[];
  /** The selector as written. */
  readonly text: string;
}

const KEYWORDS = new Set(["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "atan2", "start", "end", "inf", "nan"]);
const GROUPING = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);
const IDENT_START = /[a-zA-Z_:]/;
const IDENT = /[a-zA-Z0-9_:]/;

/** Index just past the string literal starting at `i` (quote at `i`). */
function skipString(expr: string, i: number): number {
  const quote = expr[i];
  let j = i + 1;
  while (j < expr.length && expr[j] !== quote) j += expr[j] === "\\" && quote !== "`" ? 2 : 1;
  return j + 1;
}

function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  return literal[0] === "`" ? body : body.replace(/\\(.)/g, "$1");
}

/** Parses `{…}` starting at `i`; returns the matchers and the index past `}`. */
function readMatchers(expr: string, i: number): { matchers: LabelMatcher[]; end: number } {
  const matchers: LabelMatcher[] = [];
  let j = i + 1;
  const re = /\s*(?:([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)\s*,?|(\}))/y;
  for (;;) {
    re.lastIndex = j;
    const m = re.exec(expr);
    if (!m) {
      // Not a selector this scanner reads (a syntax error for Prometheus too): skip to the brace.
      const close = expr.indexOf("}", j);
      return { matchers, end: close < 0 ? expr.length : close + 1 };
    }
    j = re.lastIndex;
    if (m[4]) return { matchers, end: j };
    matchers.push({ name: m[1]!, op: m[2] as LabelMatcher["op"], value: unquote(m[3]!) });
  }
}

export function seriesSelectors(expr: string): SeriesSelector[] {
  const out: SeriesSelector[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '"' || c === "'" || c === "`") {
      i = skipString(expr, i);
    } else if (c === "#") {
      const nl = expr.indexOf("\n", i);
      i = nl < 0 ? expr.length : nl;
    } else if (c === "[") {
      const close = expr.indexOf("]", i);
      i = close < 0 ? expr.length : close + 1;
    } else if (c === "{") {
      const { matchers, end } = readMatchers(expr, i);
      out.push({ matchers, text: expr.slice(i, end) });
      i = end;
    } else if (/[0-9.]/.test(c)) {
      // A number or a duration (`5m`, `1e3`, `0x1f`).
      let j = i + 1;
      while (j < expr.length && /[0-9a-zA-Z_.]/.test(expr[j]!)) j++;
      i = j;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < expr.length && IDENT.test(expr[j]!)) j++;
      const word = expr.slice(i, j);
      let k = j;
      while (k < expr.length && /\s/.test(expr[k]!)) k++;
      const lower = word.toLowerCase();
      if (GROUPING.has(lower) && expr[k] === "(") {
        const close = expr.indexOf(")", k);
        i = close < 0 ? expr.length : close + 1;
      } else if (expr[k] === "(" || KEYWORDS.has(lower) || /^(by|without)\s*\(/i.test(expr.slice(k))) {
        // A function, an aggregation (`sum by (…) (…)` too) or a keyword.
        i = j;
      } else if (expr[k] === "{") {
        const { matchers, end } = readMatchers(expr, k);
        out.push({ metric: word, matchers, text: expr.slice(i, end) });
        i = end;
      } else {
        out.push({ metric: word, matchers: [], text: word });
        i = j;
      }
    } else {
      i++;
    }
  }
  return out;
}
