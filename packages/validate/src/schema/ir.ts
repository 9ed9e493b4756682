/**
 * The one schema shape the checker walks. Two front-ends build it: the kubernetes-models
 * type declarations (`dts.ts`) and JSON Schema / CRD openAPIV3Schema (`json-schema.ts`).
 * Nodes are built lazily (`ref`) and shared, so a kind costs only what is reachable.
 */

import type { CelRule } from "./cel";

export interface PropInfo {
  node: SchemaNode;
  /** Minor Kubernetes version that introduced the field (1.x), when later than our floor. */
  since?: number;
}

export type SchemaNode =
  | { readonly t: "any" }
  | ObjectNode
  | ArrayNode
  | StringNode
  | NumberNode
  | { readonly t: "boolean" }
  | { readonly t: "intOrString"; readonly pattern?: RegExp }
  | { readonly t: "quantity" }
  /** Value must satisfy at least one (`anyOf`) / exactly one (`oneOf`) alternative; `allOf`: all. */
  | { readonly t: "union"; readonly mode: "anyOf" | "oneOf" | "allOf"; readonly of: readonly SchemaNode[] }
  | RefNode
  /** CRD `x-kubernetes-validations`: CEL rules run on the value once `node` accepts it. */
  | RulesNode;

export interface ArrayNode {
  readonly t: "array";
  readonly items: SchemaNode;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** x-kubernetes-list-type: `set` items are unique, `map` items are unique by `mapKeys`. */
  readonly listType?: "set" | "map";
  readonly mapKeys?: readonly string[];
}

export interface RulesNode {
  readonly t: "rules";
  readonly node: SchemaNode;
  readonly rules: readonly CelRule[];
  /** The JSON schema at this node: defaults and integer types for the value CEL sees. */
  readonly schema: unknown;
}

export interface ObjectNode {
  readonly t: "object";
  readonly props: Map<string, PropInfo>;
  readonly required: readonly string[];
  /** Required fields with a schema default: the API server fills them in before validating. */
  readonly defaulted?: ReadonlySet<string>;
  /** Values of keys not in `props`: a schema, `true` (anything), or `false` (unknown field). */
  readonly additional: SchemaNode | boolean;
  /** x-kubernetes-embedded-resource: apiVersion, kind and metadata are expected. */
  readonly embedded?: boolean;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  /** Extra value checks of the JSON Schema (anyOf/oneOf/allOf/not at object level). */
  readonly also?: SchemaNode;
}

export interface StringNode {
  readonly t: "string";
  readonly enum?: ReadonlySet<string>;
  readonly pattern?: RegExp;
  /** A pattern that could not be made a JavaScript RegExp (`re2.ts`): reported, not checked. */
  readonly patternProblem?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface NumberNode {
  readonly t: "number" | "integer";
  readonly enum?: ReadonlySet<number>;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
}

export interface RefNode {
  readonly t: "ref";
  readonly name: string;
  resolved?: SchemaNode;
  readonly resolve: () => SchemaNode;
}

export const ANY: SchemaNode = { t: "any" };

export function deref(node: SchemaNode): SchemaNode {
  let n = node;
  while (n.t === "ref") {
    if (n.resolved === undefined) n.resolved = n.resolve();
    n = n.resolved;
  }
  return n;
}
