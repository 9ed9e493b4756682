/**
 * What the model packages' compiled validators check beyond our schema tree, folded into
 * the tree so that an object is walked once. Our tree comes from the packages' type
 * declarations, which cannot say "integer", "int32", "byte", "date-time" or "null is not
 * allowed here"; the compiled validators can. They are asked once per schema position, by
 * probing them with a few values, and what they reject that our checker accepts becomes
 * a predicate on that position.
 *
 * The predicates only detect: when one fires, validate.ts runs the package's validator on
 * that object and reports its errors exactly as before. A position whose behaviour the
 * probes cannot explain fires for every value, so detection errs towards running it.
 */
import { deref, type SchemaNode } from "./ir";

/**
 * The model validator's view of one position (an object's property, map values, list items).
 * `rejects` looks only at values of the type our checker expects there: anything else our
 * checker reports itself, which hides what the model validator says at the same path.
 */
export interface ModelSlot {
  /** `null` here is an error for the model validator (our checker treats null as "not set"). */
  readonly nullRejected: boolean;
  /** True for a value our checker accepts and the model validator rejects (undefined: none). */
  readonly rejects?: (value: unknown) => boolean;
}

export interface ModelValidator {
  (data: unknown): boolean;
  errors?: ReadonlyArray<{ instancePath: string; keyword: string; params: Record<string, unknown> }> | null;
}

/** `formats` of `@kubernetes-models/validate`: what the compiled validators' `format` keywords call. */
export type FormatTable = Readonly<Record<string, unknown>>;

/** Keys of the two positions that are not properties. */
export const MAP_VALUES = Symbol("map values");
export const LIST_ITEMS = Symbol("list items");
export type SlotKey = string | typeof MAP_VALUES | typeof LIST_ITEMS;

export interface NodeModelChecks {
  readonly slots: ReadonlyMap<SlotKey, ModelSlot>;
  /** The model validator requires a field our schema does not: every object of the node is checked by it. */
  readonly always: boolean;
}

const checksOf = new WeakMap<SchemaNode, NodeModelChecks>();

const ALWAYS: (value: unknown) => boolean = () => true;

/** The probe key for map values: any key works, the model validators do not look at it. */
export const PROBE_KEY = "probe-key";

function pointer(path: readonly (string | number)[]): string {
  let out = "";
  for (const seg of path) out += `/${String(seg).replace(/~/g, "~0").replace(/\//g, "~1")}`;
  return out;
}

/** A document that is empty except for `value` at `path` (lists have one item). */
function documentWith(path: readonly (string | number)[], value: unknown): unknown {
  let doc = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i] as string | number;
    doc = typeof seg === "number" ? [doc] : { [seg]: doc };
  }
  return doc;
}

function formatTest(formats: FormatTable, name: unknown): ((v: unknown) => boolean) | undefined {
  if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(formats, name)) return undefined;
  const def = formats[name];
  const check = typeof def === "object" && def !== null && !(def instanceof RegExp) ? (def as { validate?: unknown }).validate : def;
  if (check instanceof RegExp) return (v) => typeof v === "string" && check.test(v);
  if (typeof check === "function") return (v) => Boolean((check as (x: unknown) => unknown)(v));
  return undefined;
}

type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

function jsonType(v: unknown): JsonType {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "string";
  return "object";
}

/** One value of each JSON type, for positions our schema leaves open. */
const TYPE_PROBES: readonly unknown[] = [true, 1, 0.5, "probe", [], {}];
const NUMBER_PROBES: readonly number[] = [0, 1, -1, 0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, 1e300];
const STRING_PROBES: readonly string[] = ["", "probe", "\u0000probe", "TCP", "2024-02-29T12:00:00Z", "2024-02-30T12:00:00Z", "aGVsbG8=", "25%", "1Gi", "100m"];
const QUANTITY_PROBES: readonly unknown[] = [0, 1, 0.5, "1", "1Gi", "100m", "1.5", "1e3", "-1"];

interface ProbeError {
  readonly keyword: string;
  readonly params: Record<string, unknown>;
}

/** Where a model validator sees a node: the first path to it from a kind's root. */
interface Origin {
  readonly validate: ModelValidator;
  readonly formats: FormatTable;
  readonly path: readonly (string | number)[];
}

const origins = new WeakMap<SchemaNode, Origin>();

/**
 * Records that `validate` (a kind's compiled validator) sees `root` at its top. Nodes
 * below learn where the validator sees them as our checker compiles them (`passModelOrigin`),
 * and `modelChecksOf` probes a node only then: a run pays for the nodes its objects reach.
 */
export function registerModelValidator(root: SchemaNode, validate: ModelValidator, formats: FormatTable): void {
  const n = deref(root);
  if (!origins.has(n)) origins.set(n, { validate, formats, path: [] });
}

/**
 * `child` is at `key` of `parent`: where a model validator sees the parent, it sees the
 * child there. Nodes are shared between kinds (a Container is the same everywhere); the
 * first path found is the one probed.
 */
export function passModelOrigin(parent: SchemaNode, child: SchemaNode, key: string | number): void {
  const origin = origins.get(parent);
  if (origin === undefined) return;
  const c = deref(child);
  if ((c.t === "object" || c.t === "array") && !origins.has(c)) origins.set(c, { ...origin, path: [...origin.path, key] });
}

/** The folded checks of an object or list node, when a model validator reaches it. */
export function modelChecksOf(node: SchemaNode): NodeModelChecks | undefined {
  let checks = checksOf.get(node);
  if (checks === undefined) {
    const origin = origins.get(node);
    if (origin === undefined) return undefined;
    checks = probeNode(node, origin);
    checksOf.set(node, checks);
  }
  return checks;
}

/** One position of a node under probe, with the values it is probed with. */
interface Probed {
  readonly slot: SlotKey;
  /** The position's key in the probe document. */
  readonly key: string | number;
  /** The position's segment in the validator's error paths (JSON pointer escaped). */
  readonly segment: string;
  readonly node: SchemaNode;
  probes: readonly unknown[];
  /** Errors of the validator at the position, per probe. */
  errors: ProbeError[][];
}

/**
 * Asks the validator about every position of `n` at once: one document per probe round
 * holds a probe value at each position (the validator reports all errors, each at its path).
 */
function probeNode(n: SchemaNode, origin: Origin): NodeModelChecks {
  const { validate, formats, path } = origin;
  const base = pointer(path);
  const positions: Probed[] = [];
  const position = (slot: SlotKey, key: string | number, node: SchemaNode): void => {
    positions.push({ slot, key, segment: pointer([key]).slice(1), node: deref(node), probes: [], errors: [] });
  };
  if (n.t === "array") {
    position(LIST_ITEMS, 0, n.items);
  } else if (n.t === "object") {
    for (const [key, info] of n.props) position(key, key, info.node);
    if (n.additional !== false && n.additional !== true) position(MAP_VALUES, PROBE_KEY, n.additional);
  }
  const bySegment = new Map(positions.map((p, i) => [p.segment, i]));

  /** Runs the probes of every position, round by round; fills `errors`. */
  const run = (): void => {
    const rounds = positions.reduce((m, p) => Math.max(m, p.probes.length), 0);
    for (const p of positions) p.errors = p.probes.map(() => []);
    for (let r = 0; r < rounds; r++) {
      let container: unknown;
      if (n.t === "array") {
        container = [positions[0]?.probes[r]];
      } else {
        const o: Record<string, unknown> = {};
        for (const p of positions) if (r < p.probes.length) o[p.key] = p.probes[r];
        container = o;
      }
      validate(documentWith(path, container));
      for (const e of validate.errors ?? []) {
        if (!e.instancePath.startsWith(`${base}/`)) continue;
        const rest = e.instancePath.slice(base.length + 1);
        const slash = rest.indexOf("/");
        const i = bySegment.get(slash < 0 ? rest : rest.slice(0, slash));
        if (i !== undefined) positions[i]?.errors[r]?.push(e);
      }
    }
  };

  // Round 1: null, and the value that shows what the validator checks at each position.
  for (const p of positions) p.probes = [null, ...discoveryProbe(p.node)];
  run();
  // (A null list item is reported by our checker itself.)
  const nullRejected = positions.map((p) => (p.errors[0]?.length ?? 0) > 0 && p.slot !== LIST_ITEMS);
  const found = positions.map((p) => p.errors[1] ?? []);
  // Round 2: a predicate per position from what was found, then checked on more values.
  const predicates = positions.map((p, i) => predicateFor(p.node, found[i] as ProbeError[], formats));
  positions.forEach((p, i) => (p.probes = (predicates[i] as Predicate).probes));
  run();
  const slots = new Map<SlotKey, ModelSlot>();
  positions.forEach((p, i) => {
    const { rejects, probes } = predicates[i] as Predicate;
    const rejectedBy = probes.map((_, r) => (p.errors[r]?.length ?? 0) > 0);
    let agreed: ((v: unknown) => boolean) | undefined;
    if (p.node.t === "any") {
      // Our checker takes anything here: what the validator rejects is a matter of JSON type.
      const bad = new Set(probes.filter((_, r) => rejectedBy[r]).map(jsonType));
      if (bad.size > 0) agreed = (v) => bad.has(jsonType(v));
    } else if (rejects === ALWAYS || probes.some((v, r) => rejectedBy[r] !== rejects?.(v))) {
      agreed = ALWAYS; // what the validator does here is not what the probes explain
    } else if ((found[i] as ProbeError[]).length > 0 || rejectedBy.includes(true)) {
      agreed = rejects;
    }
    const nullHere = nullRejected[i] as boolean;
    slots.set(p.slot, agreed !== undefined ? { nullRejected: nullHere, rejects: agreed } : { nullRejected: nullHere });
  });

  // An empty object: does the validator require more than our schema does?
  let always = false;
  if (n.t === "object") {
    const required = new Set(n.required);
    validate(documentWith(path, {}));
    for (const e of validate.errors ?? []) {
      if (e.instancePath === base && (e.keyword !== "required" || !required.has(String(e.params.missingProperty)))) always = true;
    }
  }
  return { slots, always };
}

/** The value whose errors show what the validator checks at a position of this kind. */
function discoveryProbe(node: SchemaNode): unknown[] {
  switch (node.t) {
    case "number":
    case "integer":
      return [0.5];
    case "string":
      return ["\u0000probe"];
    case "intOrString":
      return [2 ** 31];
    default:
      return [];
  }
}

interface Predicate {
  /** Values our checker accepts there, to check `rejects` against the validator. */
  readonly probes: readonly unknown[];
  readonly rejects: ((v: unknown) => boolean) | undefined;
}

function formatOf(errors: readonly ProbeError[], formats: FormatTable): ((v: unknown) => boolean) | undefined {
  const e = errors.find((x) => x.keyword === "format");
  return e ? (formatTest(formats, e.params.format) ?? ALWAYS) : undefined;
}

/** What the validator rejects at a position, as far as its errors on the discovery probe tell. */
function predicateFor(node: SchemaNode, found: readonly ProbeError[], formats: FormatTable): Predicate {
  switch (node.t) {
    case "number":
    case "integer": {
      const integer = found.some((e) => e.keyword === "type" && e.params.type === "integer");
      const format = formatOf(found, formats);
      const ours = node.enum;
      return {
        probes: ours ? [...ours] : NUMBER_PROBES,
        rejects: (v) => typeof v === "number" && ((integer && !Number.isInteger(v)) || (format !== undefined && !format(v))),
      };
    }
    case "string": {
      const e = found.find((x) => x.keyword === "enum");
      const allowed = e && Array.isArray(e.params.allowedValues) ? (e.params.allowedValues as unknown[]) : undefined;
      const format = formatOf(found, formats);
      const ours = node.enum;
      return {
        probes: ours ? [...ours] : [...STRING_PROBES, ...(allowed ?? [])],
        rejects: (v) => typeof v === "string" && ((allowed !== undefined && !allowed.includes(v)) || (format !== undefined && !format(v))),
      };
    }
    case "intOrString": {
      const format = formatOf(found, formats);
      return { probes: [...NUMBER_PROBES.filter((v) => Number.isInteger(v)), "probe", "25%", "http"], rejects: (v) => typeof v === "number" && format !== undefined && !format(v) };
    }
    case "quantity":
      return { probes: QUANTITY_PROBES, rejects: () => false };
    case "boolean":
      return { probes: [true, false], rejects: () => false };
    case "any":
      return { probes: TYPE_PROBES, rejects: undefined }; // read off the probes' results

    case "object":
    case "array":
      return { probes: [], rejects: undefined };
    default:
      return { probes: [], rejects: ALWAYS }; // a union: not probed, the validator decides
  }
}
