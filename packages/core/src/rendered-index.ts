/**
 * The owned-file index `clusters/<cluster>/rendered.json`: what render wrote for one cluster,
 * and the facts a consumer of the rendered tree needs without loading any TypeScript
 * (the validator's fleet mode, the diff, the Argo CD preview).
 */

export const RENDERED_INDEX_FILE = "rendered.json";

export interface RenderedEnvironmentPolicy {
  /** Guardrail findings in this environment are errors (`strict`) or warnings (`relaxed`). */
  readonly guardrails: "strict" | "relaxed";
  readonly minReplicas: number;
  readonly requirePdb: boolean;
  readonly requireDigest: boolean;
  /** Registries images may come from (prefix match on the image reference). */
  readonly trustedRegistries: readonly string[];
}

export interface RenderedFileEntry {
  /** sha256 of the file's bytes, hex. */
  readonly sha256: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  /** Absent for objects that belong to no environment (add-ons, Argo CD). */
  readonly environment?: string;
  readonly tenant?: string;
  readonly app?: string;
  readonly addon?: string;
}

export interface RenderedIndex {
  readonly cluster: string;
  /** `major.minor`, e.g. `1.31`. */
  readonly kubernetesVersion: string;
  readonly environments: Readonly<Record<string, RenderedEnvironmentPolicy>>;
  /** Keyed by path relative to `clusters/<cluster>/`, POSIX separators, sorted. */
  readonly files: Readonly<Record<string, RenderedFileEntry>>;
}

const ENTRY_FIELDS = ["sha256", "apiVersion", "kind", "name", "namespace", "environment", "tenant", "app", "addon"] as const;

/**
 * The paths whose entries differ between two indexes (added, removed, or any field changed):
 * the files whose bytes or place in the tree changed. Field by field, since a cluster's index
 * has an entry per rendered object.
 */
export function changedEntries(base: RenderedIndex["files"], head: RenderedIndex["files"]): string[] {
  const out: string[] = [];
  for (const path in base) {
    const b = base[path] as RenderedFileEntry;
    const h = Object.prototype.hasOwnProperty.call(head, path) ? head[path] : undefined;
    if (h === undefined || ENTRY_FIELDS.some((f) => b[f] !== h[f])) out.push(path);
  }
  for (const path in head) if (!Object.prototype.hasOwnProperty.call(base, path)) out.push(path);
  return out;
}
