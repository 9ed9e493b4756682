/**
 * CRD `x-kubernetes-validations`: CEL rules, evaluated as the API server does on create.
 * The evaluator is `@marcbachmann/cel-js` (CEL's macros and operators: has, all, exists,
 * exists_one, filter, map, size, in, ternaries); the Kubernetes library functions the
 * rules of the vendored CRDs use beyond standard CEL are added here (`find`, and `matches`
 * in Go's RE2 dialect through `re2.ts`). Rules are compiled once per rule text.
 *
 * What the API server does that matters here:
 *   - `self` is the value at the rule's node, with defaults of absent fields applied and
 *     integers as CEL ints;
 *   - a rule that reads `oldSelf` is a transition rule: it does not run on create (the only
 *     case a manifest in git is), unless `optionalOldSelf` makes `oldSelf` an optional;
 *   - a rule that evaluates to false, or fails to evaluate (a missing key it did not guard
 *     with has()), rejects the object with the rule's message at the node or at `fieldPath`.
 */
import { Environment } from "@marcbachmann/cel-js";
import { re2 } from "./re2";

export interface CelRule {
  readonly rule: string;
  readonly message?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
  readonly optionalOldSelf?: boolean;
}

/** A rule ready to run, or why it will not run. */
export type CompiledRule =
  | { readonly kind: "run"; readonly run: (self: unknown) => true | string }
  | { readonly kind: "transition" }
  | { readonly kind: "unsupported"; readonly problem: string };

let env: Environment | undefined;

function environment(): Environment {
  if (env) return env;
  const e = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
  const regex = (pattern: string): RegExp => {
    const r = re2(pattern);
    if ("problem" in r) throw new Error(`regular expression ${JSON.stringify(pattern)}: ${r.problem}`);
    return r.re;
  };
  e.registerFunction("string.find(string): string", (s: string, p: string) => regex(p).exec(s)?.[0] ?? "");
  e.registerFunction("string.findAll(string): list<string>", (s: string, p: string) => [...s.matchAll(new RegExp(regex(p).source, "gu"))].map((m) => m[0]));
  e.registerFunction("string.re2Matches(string): bool", (s: string, p: string) => regex(p).test(s));
  e.registerFunction("re2Matches(string, string): bool", (s: string, p: string) => regex(p).test(s));
  env = e;
  return e;
}

/** `.matches(` / `matches(` outside string literals → the RE2 version (cel-js's own is JavaScript's dialect). */
function withRe2Matches(src: string): string {
  let out = "";
  for (let i = 0; i < src.length; ) {
    const c = src[i] as string;
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < src.length && !src.startsWith(close, j)) j += src[j] === "\\" ? 2 : 1;
      out += src.slice(i, j + close.length);
      i = j + close.length;
      continue;
    }
    if (src.startsWith("matches(", i) && !/[A-Za-z0-9_]/.test(src[i - 1] ?? "")) {
      out += "re2Matches(";
      i += "matches(".length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

const compiled = new Map<string, CompiledRule>();

const readsOldSelf = (rule: string): boolean => /\boldSelf\b/.test(rule.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ""));

export function compileRule(rule: CelRule): CompiledRule {
  const key = `${rule.optionalOldSelf === true ? "?" : ""}${rule.rule}`;
  let hit = compiled.get(key);
  if (hit) return hit;
  if (readsOldSelf(rule.rule) && rule.optionalOldSelf !== true) {
    hit = { kind: "transition" };
  } else {
    try {
      const src = withRe2Matches(rule.rule);
      // A type check with every variable dynamic: what it refuses is a function or overload the evaluator lacks.
      const checked = environment().check(src) as { valid: boolean; error?: { message?: string } };
      if (!checked.valid) throw new Error(checked.error?.message ?? "the expression does not type-check");
      const program = environment().parse(src);
      hit = {
        kind: "run",
        run: (self) => {
          try {
            const v = program({ self });
            return v === true ? true : v === false ? "false" : `evaluated to ${String(v)}, not a bool`;
          } catch (e) {
            return `error: ${((e as Error).message ?? String(e)).split("\n")[0] as string}`;
          }
        },
      };
    } catch (e) {
      hit = { kind: "unsupported", problem: ((e as Error).message ?? String(e)).split("\n")[0] as string };
    }
  }
  compiled.set(key, hit);
  return hit;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The value as CEL sees it at a node with schema `s` (the CRD's JSON schema there): absent
 * fields that have a default get it, integers are ints (bigint), other numbers doubles.
 */
export function celValue(v: unknown, s: unknown): unknown {
  const schema = isObj(s) ? s : {};
  if (typeof v === "number") {
    if (schema.type === "number") return v;
    return Number.isInteger(v) ? BigInt(v) : v;
  }
  if (Array.isArray(v)) return v.map((x) => celValue(x, schema.items));
  if (isObj(v)) {
    const props = isObj(schema.properties) ? schema.properties : undefined;
    const out: Json = {};
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k) || v[k] === null) continue;
      out[k] = celValue(v[k], props?.[k] ?? schema.additionalProperties);
    }
    if (props) {
      for (const k in props) {
        const p = props[k];
        if (out[k] === undefined && isObj(p) && p.default !== undefined) out[k] = celValue(p.default, p);
      }
    }
    return out;
  }
  return v;
}
