/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): the exact grammar
 * the API server accepts, plus a numeric value for comparisons (requests ≤ limits).
 */

// <signedNumber><suffix>; suffix: binary SI (Ki…Ei), decimal SI (n u m "" k M G T P E) or an exponent.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const MULTIPLIER: Readonly<Record<string, number>> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export interface ParsedQuantity {
  readonly value: number;
  readonly suffix: string;
}

export function parseQuantity(q: string | number): ParsedQuantity | undefined {
  if (typeof q === "number") return Number.isFinite(q) ? { value: q, suffix: "" } : undefined;
  const m = QUANTITY.exec(q);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? "";
  if (suffix[0] === "e" || suffix[0] === "E") return { value: n * 10 ** Number(suffix.slice(1)), suffix };
  return { value: n * (MULTIPLIER[suffix] ?? 1), suffix };
}

const BYTE_RESOURCES = /^(memory|storage|ephemeral-storage|hugepages-.+|requests\.(memory|storage|ephemeral-storage)|limits\.(memory|ephemeral-storage))$/;
const CPU_RESOURCES = /^(cpu|requests\.cpu|limits\.cpu)$/;

/**
 * Why a quantity is wrong for a named resource, or undefined when it is fine.
 * The API server accepts `cpu: 100Mi` and `memory: 100m`; both are always mistakes.
 */
export function quantityProblem(resource: string | undefined, q: string | number): string | undefined {
  const p = parseQuantity(q);
  if (!p) {
    const hint = typeof q === "string" && /[KMGTPE]i?B$/i.test(q) ? " (Kubernetes has no 'B' suffix: write e.g. 512Mi or 1Gi)" : "";
    return `"${String(q)}" is not a Kubernetes quantity${hint}`;
  }
  if (resource === undefined) return undefined;
  if (p.value < 0) return `${resource} must not be negative`;
  if (CPU_RESOURCES.test(resource) && /i$/.test(p.suffix)) {
    return `cpu "${String(q)}" uses a binary (bytes) suffix; cpu is counted in cores: use e.g. 100m or 0.5`;
  }
  if (BYTE_RESOURCES.test(resource) && (p.suffix === "m" || p.suffix === "u" || p.suffix === "n")) {
    return `${resource} "${String(q)}" is a fraction of a byte ('${p.suffix}' is milli/micro/nano); use Mi or Gi`;
  }
  return undefined;
}
