/**
 * The schema checker: one pass over an object and its schema. Besides type, required,
 * enum and format it rejects unknown fields (strict), knows int-or-string and quantities
 * the way the API server does, treats `null` as "not set" (as the API server does for
 * optional fields), and flags fields the target Kubernetes version does not serve yet.
 */
import { portNameProblem } from "../names";
import type { PathSeg } from "../path";
import { quantityProblem } from "../quantity";
import { celValue, compileRule } from "./cel";
import { deref, type ArrayNode, type ObjectNode, type RulesNode, type SchemaNode } from "./ir";
import { LIST_ITEMS, MAP_VALUES, modelChecksOf, passModelOrigin, PROBE_KEY, type ModelSlot } from "./model-checks";

export interface SchemaSink {
  add(rule: string, path: readonly PathSeg[], message: string, hint?: string): void;
}

export interface CheckContext {
  readonly strict: boolean;
  /** Minor version of the target cluster (1.x). */
  readonly minor: number;
  sink: SchemaSink;
  /**
   * Set when a value passes our checks but not the model package's validator (see
   * model-checks.ts): the caller then runs that validator on the object for its errors.
   */
  modelRejects: boolean;
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

/**
 * A node compiled to a closure: the node's kind, constraints and property table are looked
 * at once, not per value. Compiled lazily (a child when a value first reaches it, so
 * recursive schemas are fine) and cached on the node, so every object of a kind, and
 * every run, reuses the same checkers.
 */
type Check = (value: unknown, path: PathSeg[], ctx: CheckContext) => void;

const NOOP: Check = () => undefined;
const compiledChecks = new WeakMap<SchemaNode, Check>();

function compiledOf(node: SchemaNode): Check {
  let c = compiledChecks.get(node);
  if (c === undefined) {
    c = compile(node);
    compiledChecks.set(node, c);
  }
  return c;
}

/** Checks `value` at `path` against `node`; reports through `ctx.sink`. */
export function checkNode(node: SchemaNode, value: unknown, path: PathSeg[], ctx: CheckContext): void {
  compiledOf(node)(value, path, ctx);
}

function mismatch(expected: string, value: unknown, path: PathSeg[], ctx: CheckContext): void {
  const [m, h] = typeMismatch(expected, value);
  ctx.sink.add("SW-SCHEMA-TYPE", path, m, h);
}

function compile(node: SchemaNode): Check {
  const n = node.t === "ref" ? deref(node) : node;
  if (n !== node) return compiledOf(n);
  switch (n.t) {
    case "any":
    case "ref":
      return NOOP;
    case "object":
      return compileObject(n);
    case "rules":
      return compileRules(n);
    case "array": {
      const { minItems, maxItems } = n;
      const unique = n.listType !== undefined ? uniqueness(n) : undefined;
      const itemsNode = n.items;
      const itemsModel = modelChecksOf(n)?.slots.get(LIST_ITEMS);
      let items: Check | undefined;
      let itemsType: PlainType;
      return (value, path, ctx) => {
        if (!Array.isArray(value)) return mismatch("array", value, path, ctx);
        if (minItems !== undefined && value.length < minItems) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must have at least ${minItems} item(s)`);
        if (maxItems !== undefined && value.length > maxItems) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must have at most ${maxItems} item(s)`);
        if (unique !== undefined && value.length > 1) unique(value, path, ctx);
        if (itemsNode.t === "any" && itemsModel?.rejects === undefined) return;
        if (items === undefined) {
          passModelOrigin(n, itemsNode, 0);
          items = withModelSlot(compiledOf(itemsNode), itemsModel);
          itemsType = plainTypeOf(itemsNode, itemsModel);
        }
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (isPlain(itemsType, item)) continue;
          path.push(i);
          if (item === null) ctx.sink.add("SW-SCHEMA-TYPE", path, "list item is null");
          else items(item, path, ctx);
          path.pop();
        }
      };
    }
    case "string": {
      const { enum: allowed, pattern, minLength, maxLength, format, patternProblem } = n;
      if (!allowed && !pattern && !patternProblem && minLength === undefined && maxLength === undefined && format !== "date-time" && format !== "byte") {
        return (value, path, ctx) => {
          if (typeof value !== "string") mismatch("string", value, path, ctx);
        };
      }
      return (value, path, ctx) => {
        if (typeof value !== "string") return mismatch("string", value, path, ctx);
        if (allowed && !allowed.has(value)) {
          ctx.sink.add("SW-SCHEMA-ENUM", path, `"${value}" is not allowed; expected one of: ${[...allowed].join(", ")}`);
          return;
        }
        if (pattern && !pattern.test(value)) ctx.sink.add("SW-SCHEMA-FORMAT", path, `"${value}" does not match ${pattern.source}`);
        if (patternProblem) ctx.sink.add("SW-SCHEMA-PATTERN", path, patternProblem);
        if (minLength !== undefined && value.length < minLength) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be at least ${minLength} character(s)`);
        if (maxLength !== undefined && value.length > maxLength) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be at most ${maxLength} characters`);
        if (format === "date-time" && !DATE_TIME.test(value)) ctx.sink.add("SW-SCHEMA-FORMAT", path, `"${value}" is not an RFC 3339 date-time`);
        else if (format === "byte" && !BASE64.test(value)) ctx.sink.add("SW-SCHEMA-FORMAT", path, "value is not base64");
      };
    }
    case "number":
    case "integer": {
      const { t, enum: allowed, minimum, maximum, exclusiveMinimum, exclusiveMaximum } = n;
      return (value, path, ctx) => {
        if (typeof value !== "number" || !Number.isFinite(value)) return mismatch(t, value, path, ctx);
        if (t === "integer" && !Number.isInteger(value)) {
          ctx.sink.add("SW-SCHEMA-TYPE", path, `expected integer, got ${value}`);
          return;
        }
        if (allowed && !allowed.has(value)) ctx.sink.add("SW-SCHEMA-ENUM", path, `${value} is not allowed; expected one of: ${[...allowed].join(", ")}`);
        if (minimum !== undefined && value < minimum) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be ≥ ${minimum}`);
        if (maximum !== undefined && value > maximum) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be ≤ ${maximum}`);
        if (exclusiveMinimum !== undefined && value <= exclusiveMinimum) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be > ${exclusiveMinimum}`);
        if (exclusiveMaximum !== undefined && value >= exclusiveMaximum) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must be < ${exclusiveMaximum}`);
      };
    }
    case "boolean":
      return (value, path, ctx) => {
        if (typeof value !== "boolean") mismatch("boolean", value, path, ctx);
      };
    case "intOrString": {
      const pattern = n.pattern;
      return (value, path, ctx) => checkIntOrString(pattern, value, path, ctx);
    }
    case "quantity":
      return checkQuantity;
    case "union": {
      const { mode, of } = n;
      return (value, path, ctx) => checkUnion(mode, of, value, path, ctx);
    }
  }
}

/** x-kubernetes-list-type `set` / `map`: the API server rejects a repeated item / key. */
function uniqueness(n: ArrayNode): (list: unknown[], path: PathSeg[], ctx: CheckContext) => void {
  const keys = n.mapKeys;
  const keyOf = n.listType === "map" && keys ? (v: unknown): string => JSON.stringify(keys.map((k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined) ?? null)) : (v: unknown): string => JSON.stringify(v);
  return (list, path, ctx) => {
    const seen = new Map<string, number>();
    for (let i = 0; i < list.length; i++) {
      const k = keyOf(list[i]);
      const first = seen.get(k);
      if (first === undefined) {
        seen.set(k, i);
        continue;
      }
      path.push(i);
      ctx.sink.add("SW-SCHEMA-LISTTYPE", path, n.listType === "map" ? `duplicate ${keys?.join("/")} ${k} (first at index ${first}): items of this list are unique by ${keys?.join(", ")}` : `duplicate item ${k} (first at index ${first}): the list is a set`);
      path.pop();
    }
  };
}

/** `fieldPath` of a rule (`.spec.x`, `.list[0]`, `['key']`) as path segments. */
function fieldPathSegments(fieldPath: string): PathSeg[] {
  const out: PathSeg[] = [];
  const re = /\.([A-Za-z0-9_$-]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(fieldPath)) !== null) out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[4] ?? "")));
  return out;
}

/** The schema at the node, then its CEL rules, on a value the schema accepts (as the API server orders them). */
function compileRules(n: RulesNode): Check {
  const inner = compiledOf(n.node);
  const rules = n.rules.map((r) => ({ rule: r, compiled: compileRule(r), at: r.fieldPath ? fieldPathSegments(r.fieldPath) : [] }));
  const schema = n.schema;
  return (value, path, ctx) => {
    const outer = ctx.sink;
    let reported = 0;
    ctx.sink = {
      add: (rule, p, message, hint) => {
        reported++;
        outer.add(rule, p, message, hint);
      },
    };
    try {
      inner(value, path, ctx);
    } finally {
      ctx.sink = outer;
    }
    if (reported > 0) return;
    let self: unknown;
    for (const { rule, compiled, at } of rules) {
      if (compiled.kind === "transition") continue;
      const where = at.length > 0 ? [...path, ...at] : path;
      if (compiled.kind === "unsupported") {
        ctx.sink.add("SW-SCHEMA-CEL-UNSUPPORTED", where, `rule ${JSON.stringify(rule.rule)} is not checked: ${compiled.problem}`);
        continue;
      }
      self ??= celValue(value, schema);
      const r = compiled.run(self);
      if (r === true) continue;
      const what = rule.message ?? `failed rule: ${rule.rule}`;
      ctx.sink.add("SW-SCHEMA-CEL", where, r === "false" ? what : `${what} (rule ${JSON.stringify(rule.rule)}: ${r})`);
    }
  };
}

/**
 * Leaves whose only check is their JSON type (most strings and booleans, plain numbers):
 * a value of that `typeof` is accepted without a call or a path step.
 */
type PlainType = "string" | "boolean" | "number" | undefined;

function plainTypeOf(node: SchemaNode, model: ModelSlot | undefined): PlainType {
  if (model?.rejects !== undefined) return undefined;
  const n = deref(node);
  switch (n.t) {
    case "string":
      return !n.enum && !n.pattern && !n.patternProblem && n.minLength === undefined && n.maxLength === undefined && n.format !== "date-time" && n.format !== "byte" ? "string" : undefined;
    case "boolean":
      return "boolean";
    case "number":
      return !n.enum && n.minimum === undefined && n.maximum === undefined && n.exclusiveMinimum === undefined && n.exclusiveMaximum === undefined ? "number" : undefined;
    default:
      return undefined;
  }
}

/** The value is of its plain leaf's type (a number also finite), so it has nothing to report. */
function isPlain(type: PlainType, v: unknown): boolean {
  return type !== undefined && typeof v === type && (type !== "number" || Number.isFinite(v));
}

/** `check`, followed by the model validator's extra condition at that position when it has one. */
function withModelSlot(check: Check, slot: ModelSlot | undefined): Check {
  const rejects = slot?.rejects;
  if (rejects === undefined) return check;
  return (value, path, ctx) => {
    check(value, path, ctx);
    if (!ctx.modelRejects && rejects(value)) ctx.modelRejects = true;
  };
}

interface PropEntry {
  readonly node: SchemaNode;
  readonly since: number | undefined;
  readonly model: ModelSlot | undefined;
  /** Null is "not set" for us; for the model validator it may be an error. */
  readonly nullRejected: boolean;
  check: Check | undefined;
  plain: PlainType;
}

function compileObject(n: ObjectNode): Check {
  const model = modelChecksOf(n);
  const entries = new Map<string, PropEntry>();
  for (const [k, info] of n.props) {
    const slot = model?.slots.get(k);
    entries.set(k, { node: info.node, since: info.since, model: slot, nullRejected: slot?.nullRejected ?? false, check: undefined, plain: undefined });
  }
  const { props, required, additional, minProperties, maxProperties, embedded, also } = n;
  const valuesModel = model?.slots.get(MAP_VALUES);
  const nullValueRejected = valuesModel?.nullRejected ?? false;
  const modelAlways = model?.always ?? false;
  let additionalCheck: Check | undefined;
  let additionalType: PlainType;
  let alsoCheck: Check | undefined;
  return (value, path, ctx) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return mismatch("object", value, path, ctx);
    if (modelAlways) ctx.modelRejects = true;
    const obj = value as Record<string, unknown>;
    for (const r of required) {
      const v = obj[r];
      if (v === undefined || v === null) {
        path.push(r);
        ctx.sink.add("SW-SCHEMA-REQUIRED", path, v === null ? `required field "${r}" is null` : `required field "${r}" is missing`);
        path.pop();
      }
    }
    let count = 0;
    for (const key in obj) {
      count++;
      const v = obj[key];
      const e = entries.get(key);
      if (e !== undefined) {
        if (v === null) {
          if (e.nullRejected) ctx.modelRejects = true;
          continue;
        }
        if (e.since !== undefined && ctx.minor < e.since) {
          path.push(key);
          ctx.sink.add("SW-SCHEMA-VERSION", path, `field "${key}" needs Kubernetes ≥ ${version(e.since)}; the target is ${version(ctx.minor)}`);
          path.pop();
          continue;
        }
        if (e.check === undefined) {
          passModelOrigin(n, e.node, key);
          e.check = withModelSlot(compiledOf(e.node), e.model);
          e.plain = plainTypeOf(e.node, e.model);
        }
        const c = e.check;
        if (c === NOOP || isPlain(e.plain, v)) continue;
        path.push(key);
        c(v, path, ctx);
        path.pop();
      } else if (additional === false) {
        if (ctx.strict) {
          path.push(key);
          const near = closest(key, props.keys());
          ctx.sink.add("SW-SCHEMA-UNKNOWN", path, `unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ""}`, near ? `Rename it to "${near}".` : undefined);
          path.pop();
        }
      } else if (additional !== true && v === null) {
        if (nullValueRejected) ctx.modelRejects = true;
      } else if (additional !== true) {
        if (additionalCheck === undefined) {
          passModelOrigin(n, additional, PROBE_KEY);
          additionalCheck = withModelSlot(compiledOf(additional), valuesModel);
          additionalType = plainTypeOf(additional, valuesModel);
        }
        if (additionalCheck === NOOP || isPlain(additionalType, v)) continue;
        path.push(key);
        additionalCheck(v, path, ctx);
        path.pop();
      }
    }
    if (minProperties !== undefined && count < minProperties) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must have at least ${minProperties} field(s)`);
    if (maxProperties !== undefined && count > maxProperties) ctx.sink.add("SW-SCHEMA-FORMAT", path, `must have at most ${maxProperties} field(s)`);
    if (embedded) {
      for (const k of ["apiVersion", "kind"]) {
        if (typeof obj[k] !== "string" || obj[k] === "") {
          path.push(k);
          ctx.sink.add("SW-SCHEMA-REQUIRED", path, `embedded resource needs "${k}"`);
          path.pop();
        }
      }
    }
    if (also) (alsoCheck ??= compiledOf(also))(value, path, ctx);
  };
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
