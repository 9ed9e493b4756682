/**
 * Loads a rendered tree (everything `slipway render` wrote under `clusters/`) from a git
 * revision or from a directory, as resources keyed by their Kubernetes identity and grouped
 * cluster → environment → app. Grouping comes from `clusters/<cluster>/rendered.json` when
 * present, else from the path layout.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseAllDocuments } from "yaml";
import { RENDERED_INDEX_FILE, SlipwayError, type RenderedFileEntry, type RenderedIndex } from "@slipway/core";
import { readTreeAt, resolveRevision } from "./git";

/** A rendered file could not be read as Kubernetes YAML. */
export class RenderedTreeError extends SlipwayError {}

export const CLUSTERS_DIR = "clusters";

/** Group of objects that belong to no environment (add-ons, Argo CD, cluster-wide objects). */
export const CLUSTER_WIDE = "";

export interface ResourceRef {
  readonly cluster: string;
  /** Environment name, or CLUSTER_WIDE (`""`) for add-ons, Argo CD and other cluster-level objects. */
  readonly environment: string;
  /** The app name, `addon/<name>`, `tenant/<name>`, `argocd`, or `(cluster)`. */
  readonly group: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Repository-relative path of the file holding the object. */
  readonly path: string;
}

export interface RenderedResource extends ResourceRef {
  readonly object: Readonly<Record<string, unknown>>;
}

export interface RenderedTree {
  /** What the tree was read from: a revision or `working tree`. */
  readonly label: string;
  /** Keyed by `resourceKey`. */
  readonly resources: ReadonlyMap<string, RenderedResource>;
}

/** Kubernetes identity: cluster, API group (not version, so a version bump is a change), kind, namespace, name. */
export function resourceKey(r: Pick<ResourceRef, "cluster" | "apiVersion" | "kind" | "namespace" | "name">): string {
  const group = r.apiVersion.includes("/") ? r.apiVersion.slice(0, r.apiVersion.lastIndexOf("/")) : "";
  return [r.cluster, group, r.kind, r.namespace ?? "", r.name].join("|");
}

/** Reads the rendered tree of a commit (anything `git rev-parse` accepts). */
export function loadTreeFromGit(cwd: string, ref: string): RenderedTree {
  const commit = resolveRevision(cwd, ref);
  const files = readTreeAt(cwd, commit, CLUSTERS_DIR);
  return buildTree(ref, files);
}

/** Reads the rendered tree on disk under `<root>/clusters`. */
export function loadTreeFromDir(root: string, label = "working tree"): RenderedTree {
  const files = new Map<string, Buffer>();
  const base = join(root, CLUSTERS_DIR);
  if (existsSync(base)) walk(base, (file) => files.set(relative(root, file).split(sep).join("/"), readFileSync(file)));
  return buildTree(label, files);
}

function walk(dir: string, visit: (file: string) => void): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const stat = statSync(full);
    if (stat.isDirectory()) walk(full, visit);
    else if (stat.isFile()) visit(full);
  }
}

const YAML_FILE = /\.ya?ml$/;

/** Builds a tree from repository-relative paths (under `clusters/`) and their bytes. */
export function buildTree(label: string, files: ReadonlyMap<string, Buffer | string>): RenderedTree {
  const byCluster = new Map<string, string[]>();
  for (const path of files.keys()) {
    const parts = path.split("/");
    if (parts[0] !== CLUSTERS_DIR || parts.length < 3) continue;
    const cluster = parts[1]!;
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), path]);
  }
  const resources = new Map<string, RenderedResource>();
  for (const [cluster, paths] of [...byCluster].sort(([a], [b]) => compare(a, b))) {
    const prefix = `${CLUSTERS_DIR}/${cluster}/`;
    const indexBytes = files.get(prefix + RENDERED_INDEX_FILE);
    const index = indexBytes === undefined ? undefined : parseIndex(prefix + RENDERED_INDEX_FILE, indexBytes);
    const owned = index
      ? Object.keys(index.files).map((p) => prefix + p).filter((p) => files.has(p))
      : paths.filter((p) => YAML_FILE.test(p));
    for (const path of owned.sort(compare)) {
      const rel = path.slice(prefix.length);
      const placement = index?.files[rel] ? fromIndex(rel, index.files[rel]!) : fromPath(rel);
      for (const object of parseObjects(path, files.get(path)!, label)) {
        const metadata = (object.metadata ?? {}) as Record<string, unknown>;
        const ref: ResourceRef = {
          cluster,
          ...placement,
          apiVersion: String(object.apiVersion ?? ""),
          kind: String(object.kind ?? ""),
          name: String(metadata.name ?? ""),
          ...(typeof metadata.namespace === "string" ? { namespace: metadata.namespace } : {}),
          path,
        };
        const key = resourceKey(ref);
        const existing = resources.get(key);
        if (existing) {
          throw new RenderedTreeError(`two files in ${label} hold the same object ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`, {
            file: path,
            cluster,
            received: `${existing.path} and ${path}`,
            hint: "re-render the tree; every object must be written to exactly one file",
          });
        }
        resources.set(key, { ...ref, object });
      }
    }
  }
  return { label, resources };
}

function parseIndex(path: string, bytes: Buffer | string): RenderedIndex {
  try {
    return JSON.parse(bytes.toString()) as RenderedIndex;
  } catch (error) {
    throw new RenderedTreeError(`the rendered index is not valid JSON: ${(error as Error).message}`, { file: path, hint: "re-render the tree with `slipway render`" });
  }
}

function parseObjects(path: string, bytes: Buffer | string, label: string): Record<string, unknown>[] {
  const docs = parseAllDocuments(bytes.toString(), { uniqueKeys: false });
  const out: Record<string, unknown>[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      throw new RenderedTreeError(`invalid YAML in ${label}: ${doc.errors[0]!.message.split("\n")[0]}`, { file: path, hint: "re-render the tree with `slipway render`; rendered files are never edited by hand" });
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) {
      throw new RenderedTreeError(`expected a Kubernetes object in ${label}`, { file: path, received: Array.isArray(value) ? "a list" : typeof value });
    }
    out.push(value as Record<string, unknown>);
  }
  return out;
}

type Placement = Pick<ResourceRef, "environment" | "group">;

function fromIndex(rel: string, entry: RenderedFileEntry): Placement {
  const environment = entry.environment ?? CLUSTER_WIDE;
  if (entry.app) return { environment, group: entry.app };
  if (entry.addon) return { environment, group: `addon/${entry.addon}` };
  if (entry.tenant) return { environment, group: `tenant/${entry.tenant}` };
  if (rel.startsWith("argocd/")) return { environment, group: "argocd" };
  return entry.environment ? { environment, group: "(environment)" } : fromPath(rel);
}

function fromPath(rel: string): Placement {
  const parts = rel.split("/");
  const [first, second, third] = parts;
  if (first === "addons" && parts.length >= 3) return { environment: CLUSTER_WIDE, group: `addon/${second}` };
  if (first === "argocd") return { environment: CLUSTER_WIDE, group: "argocd" };
  if (first === "tenants" && parts.length >= 3) return { environment: CLUSTER_WIDE, group: `tenant/${second}` };
  if (parts.length >= 3 && first && second) {
    if (second === "_tenants" && parts.length >= 4) return { environment: first, group: `tenant/${third}` };
    return { environment: first, group: second };
  }
  return { environment: CLUSTER_WIDE, group: "(cluster)" };
}

/** Locale-independent ordering, so output is byte-identical on any machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
