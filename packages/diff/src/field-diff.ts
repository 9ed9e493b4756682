/**
 * Field-level diff of two Kubernetes objects. Lists whose items carry a unique key (containers,
 * ports, env, volumes by `name`; git generator directories and ingress paths by `path`; list
 * generator elements by `cluster` or `addon`; ExternalSecret data by `secretKey`; IAM roles by
 * `arn`; ...) are matched by that key, so inserting or reordering an item reads as that item's
 * addition, never as a change of its neighbours.
 * Secret-like values are masked as they are recorded, so they never reach any output.
 */
import { compare } from "./tree";

export type PathSegment =
  | { readonly type: "key"; readonly key: string }
  | { readonly type: "index"; readonly index: number }
  /** An item of a keyed list, e.g. `containers[api]` (`by` is the key field, `name`). */
  | { readonly type: "item"; readonly key: string; readonly by: string };

export interface FieldChange {
  /** Display path, e.g. `spec.template.spec.containers[api].image`. */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  readonly op: "add" | "remove" | "change";
  readonly before?: unknown;
  readonly after?: unknown;
  /** The values were secret-like and replaced by MASK. */
  readonly masked?: boolean;
}

export const MASK = "<masked>";

/** Fields that identify an item in a list, tried in order; the first present and unique in every item wins. */
const LIST_KEYS = ["name", "path", "cluster", "addon", "secretKey", "arn", "containerPort", "mountPath", "devicePath", "topologyKey", "host", "port", "key"] as const;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The field that identifies items of `lists` (all must agree), if any. */
export function listKey(...lists: readonly unknown[][]): string | undefined {
  const items = lists.flat();
  if (items.length === 0 || !items.every(isPlainObject)) return undefined;
  return LIST_KEYS.find((field) =>
    lists.every((list) => {
      const seen = new Set<string>();
      for (const item of list as Record<string, unknown>[]) {
        const value = item[field];
        if (typeof value !== "string" && typeof value !== "number") return false;
        const id = String(value);
        if (seen.has(id)) return false;
        seen.add(id);
      }
      return true;
    }),
  );
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** All field changes from `before` to `after` (objects of kind `kind`), in document order of keys sorted. */
export function diffObjects(kind: string, before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk(kind, before, after, [], out);
  return out;
}

function walk(kind: string, a: unknown, b: unknown, segments: PathSegment[], out: FieldChange[]): void {
  if (deepEqual(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare);
    for (const key of keys) {
      const next = [...segments, { type: "key", key } as const];
      if (!(key in a)) out.push(record(kind, "add", next, undefined, b[key]));
      else if (!(key in b)) out.push(record(kind, "remove", next, a[key], undefined));
      else walk(kind, a[key], b[key], next, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const by = listKey(a, b);
    if (by) {
      const index = (list: unknown[]) => new Map((list as Record<string, unknown>[]).map((item) => [String(item[by]), item]));
      const ia = index(a);
      const ib = index(b);
      const ids = [...new Set([...ia.keys(), ...ib.keys()])].sort(compare);
      for (const id of ids) {
        const next = [...segments, { type: "item", key: id, by } as const];
        if (!ia.has(id)) out.push(record(kind, "add", next, undefined, ib.get(id)));
        else if (!ib.has(id)) out.push(record(kind, "remove", next, ia.get(id), undefined));
        else walk(kind, ia.get(id), ib.get(id), next, out);
      }
      return;
    }
    if (a.every((v) => !isPlainObject(v) && !Array.isArray(v)) && b.every((v) => !isPlainObject(v) && !Array.isArray(v))) {
      // Scalar lists (args, command, hosts) are compared whole: their order usually matters.
      out.push(record(kind, "change", segments, a, b));
      return;
    }
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      const next = [...segments, { type: "index", index: i } as const];
      if (i >= a.length) out.push(record(kind, "add", next, undefined, b[i]));
      else if (i >= b.length) out.push(record(kind, "remove", next, a[i], undefined));
      else walk(kind, a[i], b[i], next, out);
    }
    return;
  }
  out.push(record(kind, "change", segments, a, b));
}

function record(kind: string, op: FieldChange["op"], segments: PathSegment[], before: unknown, after: unknown): FieldChange {
  const mb = maskValue(kind, segments, before);
  const ma = maskValue(kind, segments, after);
  const masked = mb.masked || ma.masked;
  return {
    path: formatPath(segments),
    segments,
    op,
    ...(op !== "add" ? { before: mb.value } : {}),
    ...(op !== "remove" ? { after: ma.value } : {}),
    ...(masked ? { masked: true } : {}),
  };
}

export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (s.type === "index") out += `[${s.index}]`;
    else if (s.type === "item") out += `[${s.key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s.key)) out += out ? `.${s.key}` : s.key;
    else out += `[${JSON.stringify(s.key)}]`;
  }
  return out;
}

// ---- masking -------------------------------------------------------------------------------

const SECRET_WORDS = new Set(["PASSWORD", "PASSWD", "PWD", "PASS", "PASSPHRASE", "TOKEN", "SECRET", "KEY", "APIKEY", "CREDENTIAL", "CREDENTIALS", "PRIVATE", "AUTH", "DSN"]);

/** Whether a variable or data-key name looks like it holds a secret: `DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`. */
export function isSecretLikeName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  return /PASSWORD|SECRET|TOKEN|APIKEY|PRIVATEKEY/.test(name.toUpperCase());
}

/** Whether the value at `segments` of an object of `kind` must never be shown. */
export function isSensitivePath(kind: string, segments: readonly PathSegment[]): boolean {
  const [first, second] = segments;
  if (first?.type === "key") {
    if (kind === "Secret" && (first.key === "data" || first.key === "stringData") && segments.length >= 2) return true;
    if (kind === "ConfigMap" && first.key === "data" && second?.type === "key" && isSecretLikeName(second.key)) return true;
  }
  for (let i = 1; i < segments.length - 1; i++) {
    const list = segments[i - 1];
    const item = segments[i];
    const field = segments[i + 1];
    if (list?.type === "key" && list.key === "env" && item?.type === "item" && item.by === "name" && isSecretLikeName(item.key) && field?.type === "key" && field.key === "value") {
      return true;
    }
  }
  return false;
}

/** A copy of `value` (found at `segments` in an object of `kind`) with every secret-like leaf replaced by MASK. */
export function maskValue(kind: string, segments: readonly PathSegment[], value: unknown): { value: unknown; masked: boolean } {
  if (value === undefined) return { value, masked: false };
  if (isSensitivePath(kind, segments)) return { value: MASK, masked: true };
  if (isPlainObject(value)) {
    let masked = false;
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const m = maskValue(kind, [...segments, { type: "key", key }], child);
      copy[key] = m.value;
      masked ||= m.masked;
    }
    return { value: copy, masked };
  }
  if (Array.isArray(value)) {
    const by = listKey(value);
    let masked = false;
    const copy = value.map((child, index) => {
      const segment: PathSegment = by ? { type: "item", key: String((child as Record<string, unknown>)[by]), by } : { type: "index", index };
      const m = maskValue(kind, [...segments, segment], child);
      masked ||= m.masked;
      return m.value;
    });
    return { value: copy, masked };
  }
  return { value, masked: false };
}
