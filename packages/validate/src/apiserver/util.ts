/**
 * Small readers shared by the API-server checks: they look at a value without trusting its
 * type (the schema checker reports wrong types; these checks skip what they cannot read).
 */
import type { PathSeg } from "../path";
import type { Sink } from "../semantic";

export type { Sink };
export type Obj = Record<string, unknown>;
export type Path = readonly PathSeg[];

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const int = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) ? v : undefined);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const set = (v: unknown): boolean => v !== undefined && v !== null;

/** The fields of `o` among `keys` that are set, in the order of `keys`. */
export function present(o: Obj, keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of keys) if (set(o[k])) out.push(k);
  return out;
}

/**
 * `present` for a long list of alternatives (a volume's 30 sources): the object's own few keys
 * are looked up in the set instead of the list in the object.
 */
export function presentOf(o: Obj, keys: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const k in o) if (keys.has(k) && set(o[k])) out.push(k);
  return out;
}

/** A port number field: 1–65535 (IsValidPortNum). `path` is built only for a finding. */
export function checkPortNumber(v: unknown, path: Path | (() => Path), sink: Sink, what = "port"): void {
  const n = int(v);
  if (n !== undefined && (n < 1 || n > 65535)) sink.add("SW-SEM-PORT-RANGE", typeof path === "function" ? path() : path, `${what} ${n} is outside 1–65535`);
}

/** `field ≥ 0` (ValidateNonnegativeField) or `> 0` where the API server says "must be greater than 0". */
export function checkBound(o: Obj, key: string, min: number, base: Path, sink: Sink): void {
  const n = int(o[key]);
  if (n !== undefined && n < min) sink.add("SW-SEM-BOUNDS", [...base, key], `${key} is ${n}; it must be ${min === 0 ? "≥ 0" : `≥ ${min}`}`);
}

/** int-or-string as a count or percentage: `{int}` or `{percent}`, or neither when malformed (the schema reports that). */
export function intOrPercent(v: unknown): { readonly int?: number; readonly percent?: number } {
  if (typeof v === "number" && Number.isInteger(v)) return { int: v };
  if (typeof v === "string") {
    const m = /^(\d+)%$/.exec(v);
    if (m) return { percent: Number(m[1]) };
  }
  return {};
}

/** Zero as an int or a percentage. */
export const isZero = (v: unknown): boolean => {
  const p = intOrPercent(v);
  return p.int === 0 || p.percent === 0;
};

const LABEL_OPERATORS = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

/** metav1 LabelSelector: In/NotIn need values, Exists/DoesNotExist take none (ValidateLabelSelectorRequirement). */
export function checkLabelSelector(sel: unknown, path: Path, sink: Sink): void {
  const s = obj(sel);
  if (!s) return;
  arr(s.matchExpressions).forEach((e, i) => {
    const x = obj(e);
    if (!x) return;
    const op = str(x.operator);
    const values = arr(x.values);
    if (op === undefined || !LABEL_OPERATORS.has(op)) {
      sink.add("SW-SEM-SELECTOR-OPERATOR", [...path, "matchExpressions", i, "operator"], `operator ${JSON.stringify(x.operator)} is not one of In, NotIn, Exists, DoesNotExist`);
    } else if ((op === "In" || op === "NotIn") && values.length === 0) {
      sink.add("SW-SEM-SELECTOR-OPERATOR", [...path, "matchExpressions", i, "values"], `operator ${op} needs at least one value`);
    } else if ((op === "Exists" || op === "DoesNotExist") && values.length > 0) {
      sink.add("SW-SEM-SELECTOR-OPERATOR", [...path, "matchExpressions", i, "values"], `operator ${op} takes no values`);
    }
  });
}

/** A selector that selects nothing specific: absent, or with neither matchLabels nor matchExpressions. */
export function emptySelector(sel: unknown): boolean {
  const s = obj(sel);
  if (!s) return true;
  const ml = obj(s.matchLabels);
  return (!ml || Object.keys(ml).length === 0) && arr(s.matchExpressions).length === 0;
}

const CIDR4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;
const IP4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** IPv4 or IPv6 CIDR, as netutils.ParseCIDRSloppy reads it (IPv6 loosely). */
export function isCidr(v: string): boolean {
  if (CIDR4.test(v)) return true;
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(v);
  return m !== null && (m[1] as string).includes(":") && Number(m[2]) <= 128;
}

export const isIPv4 = (v: string): boolean => IP4.test(v);

/** An IPv6 address as net.ParseIP reads it: hex groups and '::', optionally ending in an IPv4 address. */
export function isIPv6(v: string): boolean {
  if (!v.includes(":") || !/^[0-9a-fA-F:.]+$/.test(v)) return false;
  const halves = v.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === "" ? [] : h.split(":")));
  const last = groups[groups.length - 1];
  const v4 = last !== undefined && last.includes(".");
  if (v4 && !IP4.test(last)) return false;
  const hex = v4 ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hex.length + (v4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/** IPv4 CIDRs read before: a fleet's NetworkPolicies repeat the same blocks in every namespace. Bounded. */
const cidrs = new Map<string, readonly [number, number] | undefined>();

/** IPv4 CIDR as [network as a number, prefix length]. */
export function cidr4(v: string): readonly [number, number] | undefined {
  if (cidrs.has(v)) return cidrs.get(v);
  let out: readonly [number, number] | undefined;
  if (CIDR4.test(v)) {
    const [ip, len] = v.split("/") as [string, string];
    out = [ip.split(".").reduce((a, b) => a * 256 + Number(b), 0), Number(len)];
  }
  if (cidrs.size >= 10_000) cidrs.clear();
  cidrs.set(v, out);
  return out;
}
