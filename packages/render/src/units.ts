/**
 * A render unit is one owner's objects in one directory of a cluster's tree: an app in an
 * environment, a tenant, an add-on, the cluster's Argo CD objects. Producers turn the fleet
 * into units; the rest of the pipeline only sees units.
 */
import type { RenderedFileEntry } from "@slipway/core";
import type { KubeObject } from "@slipway/core";

export type { KubeObject };

export interface RenderUnit {
  readonly cluster: string;
  /** Directory relative to `clusters/<cluster>/`, POSIX separators, e.g. `prod/checkout`. */
  readonly dir: string;
  /** Where the objects came from, for the header comment and errors. */
  readonly sourceFile: string;
  /** Ownership recorded in the index for every file of the unit. */
  readonly owner: Pick<RenderedFileEntry, "environment" | "tenant" | "app" | "addon">;
  /** Objects spanning several namespaces get a namespace directory level so paths cannot collide. */
  readonly layout: "flat" | "by-namespace";
  readonly objects: readonly KubeObject[];
  /**
   * File names chosen by the producer for particular objects, keyed by `<kind>/<name>`; every
   * other object gets `<kind>-<name>.yaml`. For files people type, like the bootstrap Application.
   */
  readonly fileNames?: Readonly<Record<string, string>>;
}

/** What a filter selects: everything, or a cluster, an environment, an app (combinable). */
export interface RenderFilter {
  readonly cluster?: string;
  readonly env?: string;
  readonly app?: string;
}

export function unitInScope(owner: RenderUnit["owner"], cluster: string, filter: RenderFilter): boolean {
  if (filter.cluster && filter.cluster !== cluster) return false;
  if (filter.env && owner.environment !== filter.env) return false;
  if (filter.app && owner.app !== filter.app) return false;
  return true;
}
