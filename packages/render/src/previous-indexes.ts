/**
 * The clusters' `rendered.json` as the last render left them: which files render owns, and which
 * unit each belongs to. Each is read once; it is parsed whole only when something asks for all of
 * it, since an edit to a few apps needs only their entries (index-text.ts).
 */
import { RENDERED_INDEX_FILE, SlipwayError, type RenderedFileEntry, type RenderedIndex } from "@slipway/core";
import { IndexText, type EntryBlock } from "./index-text";
import { readTreeFile } from "./tree";

export type IndexEntries = [string, RenderedFileEntry][];

/** An app instance's entries in its cluster's index, where they stand in the text. */
export interface InstanceBlock extends EntryBlock {
  /** Every entry under the instance's directory belongs to it (nothing else was written there). */
  readonly clean: boolean;
}

export class PreviousIndexes {
  /** By cluster; `undefined` where the cluster has no index. */
  private readonly texts = new Map<string, string | undefined>();
  private readonly parsed = new Map<string, RenderedIndex | undefined>();
  private readonly views = new Map<string, IndexText | undefined>();
  private readonly blocks = new Map<string, InstanceBlock | undefined>();
  private split?: { readonly units: Map<string, IndexEntries>; readonly platform: Map<string, IndexEntries> };

  constructor(
    root: string,
    private readonly clusters: readonly string[],
    /** Whether the cluster's index is, by its stats, the one the last unfiltered render wrote: then its text is as render lays it out. */
    private readonly untouched: (cluster: string) => boolean,
  ) {
    for (const cluster of clusters) this.texts.set(cluster, readTreeFile(root, indexPath(cluster)));
  }

  /** Each index's text by its path under `clusters/`. */
  *read(): Iterable<[string, string]> {
    for (const [cluster, text] of this.texts) if (text !== undefined) yield [indexPath(cluster), text];
  }

  /** The cluster's index, parsed. */
  index(cluster: string): RenderedIndex | undefined {
    if (this.parsed.has(cluster)) return this.parsed.get(cluster);
    const text = this.texts.get(cluster);
    let index: RenderedIndex | undefined;
    try {
      index = text === undefined ? undefined : (JSON.parse(text) as RenderedIndex);
    } catch {
      throw new SlipwayError("the owned-file index is not valid JSON", {
        file: `clusters/${indexPath(cluster)}`,
        hint: "restore it from git (`git checkout -- <file>`); render needs it to know which files it owns",
      });
    }
    this.parsed.set(cluster, index);
    return index;
  }

  /** The cluster's index text, read in parts: only while it is untouched since the last unfiltered render wrote it. */
  view(cluster: string): IndexText | undefined {
    if (!this.views.has(cluster)) {
      const text = this.texts.get(cluster);
      this.views.set(cluster, text === undefined || !this.untouched(cluster) ? undefined : IndexText.of(text));
    }
    return this.views.get(cluster);
  }

  /** The entries under `<environment>/<app>/` in the cluster's index text, or `undefined` when it has none there. */
  block(cluster: string, environment: string, app: string): InstanceBlock | undefined {
    const id = `${cluster}/${environment}/${app}`;
    if (!this.blocks.has(id)) {
      const block = this.view(cluster)?.block(`${environment}/${app}/`);
      this.blocks.set(id, block && { ...block, clean: block.entries.every(([, entry]) => belongsTo(entry, environment, app)) });
    }
    return this.blocks.get(id);
  }

  /** App instance `<cluster>/<environment>/<app>`'s files at the last render: entries under its directory that name it. */
  instanceEntries(cluster: string, environment: string, app: string): IndexEntries {
    if (this.split) return this.split.units.get(`${cluster}/${environment}/${app}`) ?? [];
    // An index someone may have edited is parsed whole (and reported if it is not JSON).
    if (!this.view(cluster)) return this.splitAll().units.get(`${cluster}/${environment}/${app}`) ?? [];
    const block = this.block(cluster, environment, app);
    if (!block) return [];
    return block.clean ? block.entries : block.entries.filter(([, entry]) => belongsTo(entry, environment, app));
  }

  /** The cluster's tenant, add-on and Argo CD files at the last render (paths relative to the cluster). */
  platformEntries(cluster: string): IndexEntries {
    return this.splitAll().platform.get(cluster) ?? [];
  }

  /**
   * Every index, in one pass each: each app instance's entries by unit id `<cluster>/<env>/<app>`,
   * the others (tenants, add-ons, Argo CD) by cluster.
   */
  private splitAll(): NonNullable<PreviousIndexes["split"]> {
    if (this.split) return this.split;
    const units = new Map<string, IndexEntries>();
    const platform = new Map<string, IndexEntries>();
    for (const cluster of this.clusters) {
      const own: IndexEntries = [];
      platform.set(cluster, own);
      const files = this.index(cluster)?.files ?? {};
      // An instance's files are neighbours in the index (sorted by path, under `<env>/<app>/`): its
      // id and list are looked up once per run of entries, not once per entry.
      let environment: string | undefined;
      let app: string | undefined;
      let dir = "";
      let unit: IndexEntries | undefined;
      for (const path in files) {
        const entry = files[path]!;
        if (!entry.app) {
          own.push([path, entry]);
          continue;
        }
        if (!entry.environment) continue;
        if (entry.environment !== environment || entry.app !== app) {
          ({ environment, app } = entry);
          dir = `${environment}/${app}/`;
          unit = undefined;
        }
        if (!path.startsWith(dir)) continue;
        if (!unit) {
          const id = `${cluster}/${environment}/${app}`;
          unit = units.get(id) ?? units.set(id, []).get(id)!;
        }
        unit.push([path, entry]);
      }
    }
    return (this.split = { units, platform });
  }
}

/** Whether an index entry names app instance `<environment>/<app>` as its owner. */
function belongsTo(entry: RenderedFileEntry, environment: string, app: string): boolean {
  return entry.app === app && entry.environment === environment;
}

function indexPath(cluster: string): string {
  return `${cluster}/${RENDERED_INDEX_FILE}`;
}
