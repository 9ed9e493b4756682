/**
 * Name and key syntax the API server enforces (k8s.io/apimachinery/pkg/util/validation).
 */

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Answers for strings seen before: a fleet repeats the same label keys, annotation keys and
 * names in every object and cluster. Bounded; the answers are pure functions of the string.
 */
function memo(fn: (v: string) => string | undefined): (v: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (v) => {
    const hit = cache.get(v);
    if (hit !== undefined || cache.has(v)) return hit;
    const answer = fn(v);
    if (cache.size >= 20_000) cache.clear();
    cache.set(v, answer);
    return answer;
  };
}

export const dns1123LabelProblem = memo(dns1123LabelProblemOf);

function dns1123LabelProblemOf(v: string): string | undefined {
  if (v.length > 63) return `"${v}" is longer than 63 characters`;
  if (!DNS1123_LABEL.test(v)) return `"${v}" is not a DNS-1123 label (lower-case alphanumerics and '-', starting and ending alphanumeric)`;
  return undefined;
}

export const dns1123SubdomainProblem = memo(dns1123SubdomainProblemOf);

function dns1123SubdomainProblemOf(v: string): string | undefined {
  if (v.length > 253) return `"${v}" is longer than 253 characters`;
  if (!DNS1123_SUBDOMAIN.test(v)) return `"${v}" is not a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.', starting and ending alphanumeric)`;
  return undefined;
}

/** Label and annotation keys: `[prefix/]name`, prefix a DNS-1123 subdomain ≤ 253, name ≤ 63. */
export const qualifiedNameProblem = memo(qualifiedNameProblemOf);

function qualifiedNameProblemOf(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0) return `key "${key}" has an empty prefix`;
    const p = dns1123SubdomainProblem(prefix);
    if (p) return `key "${key}" prefix: ${p}`;
  }
  if (name.length === 0) return `key "${key}" has an empty name`;
  if (name.length > 63) return `key "${key}" name part is longer than 63 characters`;
  if (!QUALIFIED_NAME.test(name)) return `key "${key}" name part must be alphanumerics, '-', '_' or '.', starting and ending alphanumeric`;
  return undefined;
}

export function labelValueProblem(v: unknown): string | undefined {
  if (typeof v !== "string") return `label value must be a string, got ${v === null ? "null" : typeof v}`;
  if (v.length > 63) return `label value "${v}" is longer than 63 characters`;
  if (!LABEL_VALUE.test(v)) return `label value "${v}" must be alphanumerics, '-', '_' or '.', starting and ending alphanumeric`;
  return undefined;
}

/** IANA_SVC_NAME: port names of containers and Services, and named ports in int-or-string fields. */
export function portNameProblem(v: string): string | undefined {
  if (v.length > 15) return `port name "${v}" is longer than 15 characters`;
  if (!IANA_SVC_NAME.test(v)) return `port name "${v}" must be lower-case alphanumerics and '-', starting and ending alphanumeric`;
  if (v.includes("--")) return `port name "${v}" must not contain "--"`;
  if (!/[a-z]/.test(v)) return `port name "${v}" must contain at least one letter`;
  return undefined;
}

/** Finalizers the API server knows without a domain prefix (helper.IsStandardFinalizerName). */
const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

/** A built-in object's finalizer (validateKubeFinalizerName): a standard name, or a qualified name with a domain prefix. */
export function finalizerProblem(f: string): string | undefined {
  if (STANDARD_FINALIZERS.has(f)) return undefined;
  if (!f.includes("/")) return `finalizer "${f}" is neither a standard finalizer (${[...STANDARD_FINALIZERS].join(", ")}) nor fully qualified (domain/name)`;
  return qualifiedNameProblem(f)?.replace(/^key/, "finalizer");
}
