/**
 * The schema checker: one pass over an object and its schema. Besides type, required,
 * enum and format it rejects unknown fields (strict), knows int-or-string and quantities
 * the way the API server does, treats `null` as "not set" (as the API server does for
 * optional fields), and flags fields the target Kubernetes version does not serve yet.
 */
import { portNameProblem } from "../names";
import type { PathSeg } from "../path";
import { quantityProblem } from "../quantity";
import { deref, type ObjectNode, type SchemaNode } from "./ir";

export interface SchemaSink {
  add(rule: string, path: readonly PathSeg[], message: string, hint?: string): void;
}

export interface CheckContext {
  readonly strict: boolean;
  /** Minor version of the target cluster (1.x). */
  readonly minor: number;
  sink: SchemaSink;
}

const PORT_KEYS = new Set(["port", "targetPort", "containerPort"]);
const PERCENT_KEYS = new Set(["maxSurge", "maxUnavailable", "minAvailable"]);
const PERCENT = /^\d+%$/;
const QUANTITY_MAPS = new Set(["requests", "limits", "hard", "capacity", "allocatable", "overhead", "default", "defaultRequest", "max", "min", "maxLimitRequestRatio"]);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function typeMismatch(expected: string, v: unknown): [string, string | undefined] {
  const got = typeName(v);
  let hint: string | undefined;
  if (expected === "string" && got === "boolean") hint = "YAML 1.1 (what kubectl and Argo CD use) reads yes/no/on/off/true/false as booleans: quote the value.";
  else if (expected === "string" && got === "number") hint = "Quote the value so it stays a string.";
  else if ((expected === "integer" || expected === "number") && got === "string" && /^-?\d+(\.\d+)?$/.test(String(v))) hint = "Write the number without quotes.";
  return [`expected ${expected}, got ${got}${got === "string" || got === "number" || got === "boolean" ? ` ${JSON.stringify(v)}` : ""}`, hint];
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0] as number;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j] as number;
      dp[j] = Math.min((dp[j] as number) + 1, (dp[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length] as number;
}

function closest(key: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = key.toLowerCase();
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : levenshtein(key, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 4)) ? best : undefined;
}

function version(minor: number): string {
  return `1.${minor}`;
}

/** Checks `value` at `path` against `node`; reports through `ctx.sink`. */
export function checkNode(node: SchemaNode, value: unknown, path: PathSeg[], ctx: CheckContext): void {
  const n = node.t === "ref" ? deref(node) : node;
  switch (n.t) {
    case "any":
      return;
    case "object":
      checkObject(n, value, path, ctx);
      return;
    case "array": {
      if (!Array.isArray(value)) {
        const [m, h] = typeMismatch("array", value);
        ctx.sink.add("SW-SCHEMA-TYPE", path, m, h);
        return;
      }
      if (n.minItems !== undefined && value.length < n.minItems) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must have at least ${n.minItems} item(s)`);
      if (n.maxItems !== undefined && value.length > n.maxItems) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must have at most ${n.maxItems} item(s)`);
      const items = n.items;
      if (items.t === "any") return;
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const item: unknown = value[i];
        if (item === null) ctx.sink.add("SW-SCHEMA-TYPE", path, "list item is null");
        else checkNode(items, item, path, ctx);
        path.pop();
      }
      return;
    }
    case "string": {
      if (typeof value !== "string") {
        const [m, h] = typeMismatch("string", value);
        ctx.sink.add("SW-SCHEMA-TYPE", path, m, h);
        return;
      }
      if (n.enum && !n.enum.has(value)) {
        ctx.sink.add("SW-SCHEMA-ENUM", path, `"${value}" is not allowed; expected one of: ${[...n.enum].join(", ")}`);
        return;
      }
      if (n.pattern && !n.pattern.test(value)) ctx.sink.add("SW-SCHEMA-FORMAT", path, `"${value}" does not match ${n.pattern.source}`);
      if (n.minLength !== undefined && value.length < n.minLength) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be at least ${n.minLength} character(s)`);
      if (n.maxLength !== undefined && value.length > n.maxLength) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be at most ${n.maxLength} characters`);
      if (n.format === "date-time" && !DATE_TIME.test(value)) ctx.sink.add("SW-SCHEMA-FORMAT", path, `"${value}" is not an RFC 3339 date-time`);
      else if (n.format === "byte" && !BASE64.test(value)) ctx.sink.add("SW-SCHEMA-FORMAT", path, "value is not base64");
      return;
    }
    case "number":
    case "integer": {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        const [m, h] = typeMismatch(n.t, value);
        ctx.sink.add("SW-SCHEMA-TYPE", path, m, h);
        return;
      }
      if (n.t === "integer" && !Number.isInteger(value)) {
        ctx.sink.add("SW-SCHEMA-TYPE", path, `expected integer, got ${value}`);
        return;
      }
      if (n.enum && !n.enum.has(value)) ctx.sink.add("SW-SCHEMA-ENUM", path, `${value} is not allowed; expected one of: ${[...n.enum].join(", ")}`);
      if (n.minimum !== undefined && value < n.minimum) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be ≥ ${n.minimum}`);
      if (n.maximum !== undefined && value > n.maximum) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be ≤ ${n.maximum}`);
      if (n.exclusiveMinimum !== undefined && value <= n.exclusiveMinimum) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be > ${n.exclusiveMinimum}`);
      if (n.exclusiveMaximum !== undefined && value >= n.exclusiveMaximum) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be < ${n.exclusiveMaximum}`);
      return;
    }
    case "boolean":
      if (typeof value !== "boolean") {
        const [m, h] = typeMismatch("boolean", value);
        ctx.sink.add("SW-SCHEMA-TYPE", path, m, h);
      }
      return;
    case "intOrString":
      checkIntOrString(n.pattern, value, path, ctx);
      return;
    case "quantity":
      checkQuantity(value, path, ctx);
      return;
    case "union":
      checkUnion(n.mode, n.of, value, path, ctx);
      return;
    case "ref":
      return; // deref'd above
  }
}

function checkObject(n: ObjectNode, value: unknown, path: PathSeg[], ctx: CheckContext): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const [m, h] = typeMismatch("object", value);
    ctx.sink.add("SW-SCHEMA-TYPE", path, m, h);
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const r of n.required) {
    const v = obj[r];
    if (v === undefined || v === null) {
      path.push(r);
      ctx.sink.add("SW-SCHEMA-REQUIRED", path, v === null ? `required field "${r}" is null` : `required field "${r}" is missing`);
      path.pop();
    }
  }
  const { props, additional } = n;
  let count = 0;
  for (const key in obj) {
    count++;
    const v = obj[key];
    const prop = props.get(key);
    if (prop !== undefined) {
      if (v === null) continue;
      path.push(key);
      if (prop.since !== undefined && ctx.minor < prop.since) {
        ctx.sink.add("SW-SCHEMA-VERSION", path, `field "${key}" needs Kubernetes ≥ ${version(prop.since)}; the target is ${version(ctx.minor)}`);
      } else {
        checkNode(prop.node, v, path, ctx);
      }
      path.pop();
    } else if (additional === false) {
      if (ctx.strict) {
        path.push(key);
        const near = closest(key, props.keys());
        ctx.sink.add("SW-SCHEMA-UNKNOWN", path, `unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ""}`, near ? `Rename it to "${near}".` : undefined);
        path.pop();
      }
    } else if (additional !== true && v !== null) {
      path.push(key);
      checkNode(additional, v, path, ctx);
      path.pop();
    }
  }
  if (n.minProperties !== undefined && count < n.minProperties) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must have at least ${n.minProperties} field(s)`);
  if (n.maxProperties !== undefined && count > n.maxProperties) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must have at most ${n.maxProperties} field(s)`);
  if (n.embedded) {
    for (const k of ["apiVersion", "kind"]) {
      if (typeof obj[k] !== "string" || obj[k] === "") {
        path.push(k);
        ctx.sink.add("SW-SCHEMA-REQUIRED", path, `embedded resource needs "${k}"`);
        path.pop();
      }
    }
  }
  if (n.also) checkNode(n.also, value, path, ctx);
}

function lastKey(path: readonly PathSeg[], back = 1): string | undefined {
  const seg = path[path.length - back];
  return typeof seg === "string" ? seg : undefined;
}

function checkIntOrString(pattern: RegExp | undefined, value: unknown, path: PathSeg[], ctx: CheckContext): void {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) ctx.sink.add("SW-SCHEMA-INTORSTR", path, `expected an integer or a string, got ${value}`);
    return;
  }
  if (typeof value !== "string") {
    const [m, h] = typeMismatch("integer or string", value);
    ctx.sink.add("SW-SCHEMA-TYPE", path, m, h);
    return;
  }
  const key = lastKey(path);
  if (/^[+-]?\d+$/.test(value)) {
    const what = key && PORT_KEYS.has(key) ? "port" : "int-or-string";
    ctx.sink.add("SW-SCHEMA-INTORSTR", path, `"${value}" is a numeric string in ${what === "port" ? "a port" : "an int-or-string"} field: it is read as a ${what === "port" ? "port name, and is not a valid one" : "string, not a number"}`, `Write ${value} without quotes.`);
    return;
  }
  if (key && PORT_KEYS.has(key)) {
    const p = portNameProblem(value);
    if (p) ctx.sink.add("SW-SEM-PORTNAME", path, p);
  } else if (key && PERCENT_KEYS.has(key) && !PERCENT.test(value)) {
    ctx.sink.add("SW-SCHEMA-INTORSTR", path, `"${value}" must be an integer or a percentage like "25%"`);
  } else if (pattern && !pattern.test(value)) {
    ctx.sink.add("SW-SCHEMA-FORMAT", path, `"${value}" does not match ${pattern.source}`);
  }
}

function checkQuantity(value: unknown, path: PathSeg[], ctx: CheckContext): void {
  if (typeof value !== "string" && typeof value !== "number") {
    const [m, h] = typeMismatch("quantity (string or number)", value);
    ctx.sink.add("SW-SCHEMA-TYPE", path, m, h);
    return;
  }
  const parent = lastKey(path, 2);
  const resource = parent !== undefined && QUANTITY_MAPS.has(parent) ? lastKey(path) : undefined;
  const problem = quantityProblem(resource, value);
  if (problem) ctx.sink.add("SW-SCHEMA-QUANTITY", path, problem);
}

interface Buffered {
  rule: string;
  path: PathSeg[];
  message: string;
  hint?: string;
}

function checkUnion(mode: "anyOf" | "oneOf" | "allOf", of: readonly SchemaNode[], value: unknown, path: PathSeg[], ctx: CheckContext): void {
  if (mode === "allOf") {
    for (const alt of of) checkNode(alt, value, path, ctx);
    return;
  }
  const outer = ctx.sink;
  let best: Buffered[] | undefined;
  let passing = 0;
  for (const alt of of) {
    const buf: Buffered[] = [];
    ctx.sink = { add: (rule, p, message, hint) => buf.push({ rule, path: [...p], message, ...(hint ? { hint } : {}) }) };
    try {
      checkNode(alt, value, path, ctx);
    } finally {
      ctx.sink = outer;
    }
    if (buf.length === 0) passing++;
    else if (!best || buf.length < best.length) best = buf;
  }
  if (passing === 0 && best) {
    for (const f of best) outer.add(f.rule, f.path, f.message, f.hint);
  } else if (mode === "oneOf" && passing > 1) {
    outer.add("SW-SCHEMA-FORMAT", path, `value matches ${passing} alternatives; exactly one is allowed`);
  }
}
