/**
 * Front-end 2: JSON Schema and CRD `openAPIV3Schema` → the checker's schema shape.
 * Used for the CRD schemas we author (`src/schemas/*.yaml`), for `--schema-location`
 * files, and for CustomResourceDefinitions found among the validated objects.
 *
 * Strictness follows the API server's pruning: an object schema with `properties` and
 * neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields` rejects
 * unknown fields (kubeconform's strict mode does the same for plain JSON schemas).
 */
import type { CelRule } from "./cel";
import { ANY, type ObjectNode, type PropInfo, type SchemaNode, type StringNode } from "./ir";
import { re2 } from "./re2";

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const QUANTITY_PATTERN_HINT = /\[KMGTPE\]i/;

export interface ConvertOptions {
  /** Schema that `metadata` of a top-level object is validated with (ObjectMeta). */
  readonly objectMeta?: SchemaNode;
  /** The CRD has a status subresource: the API server ignores `status` on create and update. */
  readonly statusSubresource?: boolean;
}

/** A pattern in Go's RE2 dialect as a StringNode's `pattern` or `patternProblem`. */
function patternOf(p: unknown): Pick<StringNode, "pattern" | "patternProblem"> {
  if (typeof p !== "string") return {};
  const r = re2(p);
  return "re" in r ? { pattern: r.re } : { patternProblem: `pattern ${JSON.stringify(p)} is not checked: ${r.problem}` };
}

function celRules(s: Json): CelRule[] {
  const v = s["x-kubernetes-validations"];
  if (!Array.isArray(v)) return [];
  return v.filter((r): r is Json => isObj(r) && typeof r.rule === "string").map((r) => ({
    rule: r.rule as string,
    ...(typeof r.message === "string" ? { message: r.message } : {}),
    ...(typeof r.fieldPath === "string" ? { fieldPath: r.fieldPath } : {}),
    ...(typeof r.reason === "string" ? { reason: r.reason } : {}),
    ...(r.optionalOldSelf === true ? { optionalOldSelf: true } : {}),
  }));
}

export function jsonSchemaToNode(root: Json, opts: ConvertOptions = {}): SchemaNode {
  const seen = new Map<Json, SchemaNode>();

  function resolvePointer(ref: string): Json | undefined {
    if (!ref.startsWith("#/")) return undefined;
    let cur: unknown = root;
    for (const raw of ref.slice(2).split("/")) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      if (!isObj(cur)) return undefined;
      cur = cur[key];
    }
    return isObj(cur) ? cur : undefined;
  }

  function conv(s: unknown): SchemaNode {
    if (s === true || s === undefined) return ANY;
    if (!isObj(s)) return ANY;
    const cached = seen.get(s);
    if (cached) return cached;
    if (typeof s.$ref === "string") {
      const target = resolvePointer(s.$ref);
      const node: SchemaNode = { t: "ref", name: s.$ref, resolve: () => (target ? conv(target) : ANY) };
      seen.set(s, node);
      return node;
    }
    const inner = build(s);
    const rules = celRules(s);
    const node: SchemaNode = rules.length > 0 ? { t: "rules", node: inner, rules, schema: s } : inner;
    seen.set(s, node);
    return node;
  }

  function combinators(s: Json): SchemaNode | undefined {
    const parts: SchemaNode[] = [];
    for (const mode of ["anyOf", "oneOf", "allOf"] as const) {
      const list = s[mode];
      if (Array.isArray(list) && list.length > 0) {
        // Value-only alternatives (the structural-schema rule) are merged with the parent's
        // type, so `anyOf: [{required: [a]}, {required: [b]}]` checks presence only.
        parts.push({ t: "union", mode, of: list.map((x) => conv(isObj(x) && !x.type && s.type ? { ...x, type: s.type, ...(s.properties && !x.properties ? { properties: s.properties } : {}) } : x)) });
      }
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : { t: "union", mode: "allOf", of: parts };
  }

  function build(s: Json): SchemaNode {
    if (s["x-kubernetes-int-or-string"] === true) {
      const pattern = typeof s.pattern === "string" ? s.pattern : undefined;
      if (pattern && QUANTITY_PATTERN_HINT.test(pattern)) return { t: "quantity" };
      const compiled = patternOf(pattern).pattern;
      return compiled ? { t: "intOrString", pattern: compiled } : { t: "intOrString" };
    }
    let type = s.type;
    if (Array.isArray(type)) {
      const nonNull = type.filter((t) => t !== "null");
      type = nonNull.length === 1 ? nonNull[0] : undefined;
    }
    if (type === undefined) {
      if (isObj(s.properties) || s.additionalProperties !== undefined) type = "object";
      else if (s.items !== undefined) type = "array";
      else {
        const c = combinators(s);
        return c ?? ANY;
      }
    }
    switch (type) {
      case "object": {
        const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
        const props = new Map<string, PropInfo>();
        if (isObj(s.properties)) for (const [k, v] of Object.entries(s.properties)) props.set(k, { node: conv(v) });
        let additional: SchemaNode | boolean;
        if (s.additionalProperties === false) additional = false;
        else if (isObj(s.additionalProperties)) additional = conv(s.additionalProperties);
        else if (s.additionalProperties === true || preserve) additional = true;
        else additional = props.size > 0 ? false : true;
        const required = Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === "string") : [];
        const propSchemas = isObj(s.properties) ? s.properties : {};
        const defaulted = new Set(required.filter((r) => isObj(propSchemas[r]) && (propSchemas[r] as Json).default !== undefined));
        const node: ObjectNode = {
          t: "object",
          props,
          required: required.filter((r) => !defaulted.has(r)),
          additional,
          ...(s["x-kubernetes-embedded-resource"] === true ? { embedded: true } : {}),
          ...(typeof s.minProperties === "number" ? { minProperties: s.minProperties } : {}),
          ...(typeof s.maxProperties === "number" ? { maxProperties: s.maxProperties } : {}),
        };
        const also = combinators(s);
        return also ? { ...node, also } : node;
      }
      case "array":
        return {
          t: "array",
          items: Array.isArray(s.items) ? ANY : conv(s.items),
          ...(s["x-kubernetes-list-type"] === "set" ? { listType: "set" as const } : {}),
          ...(s["x-kubernetes-list-type"] === "map" && Array.isArray(s["x-kubernetes-list-map-keys"]) ? { listType: "map" as const, mapKeys: s["x-kubernetes-list-map-keys"].map(String) } : {}),
          ...(typeof s.minItems === "number" ? { minItems: s.minItems } : {}),
          ...(typeof s.maxItems === "number" ? { maxItems: s.maxItems } : {}),
        };
      case "string":
        return {
          t: "string",
          ...(Array.isArray(s.enum) ? { enum: new Set(s.enum.filter((x): x is string => typeof x === "string")) } : {}),
          ...patternOf(s.pattern),
          ...(typeof s.format === "string" ? { format: s.format } : {}),
          ...(typeof s.minLength === "number" ? { minLength: s.minLength } : {}),
          ...(typeof s.maxLength === "number" ? { maxLength: s.maxLength } : {}),
        };
      case "integer":
      case "number":
        return {
          t: type,
          ...(Array.isArray(s.enum) ? { enum: new Set(s.enum.filter((x): x is number => typeof x === "number")) } : {}),
          ...(typeof s.minimum === "number" ? { minimum: s.minimum } : {}),
          ...(typeof s.maximum === "number" ? { maximum: s.maximum } : {}),
          ...(typeof s.exclusiveMinimum === "number" ? { exclusiveMinimum: s.exclusiveMinimum } : {}),
          ...(typeof s.exclusiveMaximum === "number" ? { exclusiveMaximum: s.exclusiveMaximum } : {}),
        };
      case "boolean":
        return { t: "boolean" };
      default:
        return ANY;
    }
  }

  const converted = conv(root);
  const top = converted.t === "rules" ? converted.node : converted;
  if (top.t !== "object" || !opts.objectMeta) return converted;
  // CRD schemas say `metadata: {type: object}`; the API server validates it as ObjectMeta.
  const props = new Map(top.props);
  props.set("metadata", { node: opts.objectMeta });
  if (!props.has("apiVersion")) props.set("apiVersion", { node: { t: "string" } });
  if (!props.has("kind")) props.set("kind", { node: { t: "string" } });
  // With a status subresource, `status` in a create or update is dropped, not validated
  // (a pasted `kubectl get -o yaml` is fine).
  if (opts.statusSubresource) props.set("status", { node: ANY });
  const object: ObjectNode = { ...top, props };
  return converted.t === "rules" ? { ...converted, node: object } : object;
}
