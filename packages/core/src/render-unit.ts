/**
 * A render unit is one owner's objects in one directory of a cluster's tree: an app in an
 * environment, a tenant, an add-on, the cluster's Argo CD objects. Producers turn the fleet
 * into units; the rest of the pipeline only sees units.
 */
import type { KubeObject } from "./kube-object";
import type { RenderedFileEntry } from "./rendered-index";

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
