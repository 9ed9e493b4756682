/**
 * Stage: the tree render wants, compared with the tree on disk. Each cluster's new index is the
 * last one's entries of the units carried over plus the files of the units synthesized (plus,
 * for a filtered render, every entry outside its scope, as it was); the index and the README are
 * written whole. What differs from disk becomes the change the writer applies, or, in check
 * mode, the differences reported.
 */
import {
  RenderCollisionError,
  RENDERED_INDEX_FILE,
  SlipwayError,
  unitInScope,
  type Cluster,
  type Fleet,
  type RenderedFileEntry,
  type RenderedIndex,
  type RenderFilter,
} from "@slipway/core";
import { clusterReadme, readmeSummary } from "./cluster-readme";
import type { RenderedFile } from "./files";
import type { Entries, RenderPlan } from "./render-plan";
import { readTreeFile } from "./tree";
import { scanTree } from "./tree-paths";

const README = "README.md";
const CLUSTER_FILE = "cluster.ts";

export interface AssembleInput {
  readonly root: string;
  readonly fleet: Fleet;
  readonly filter: RenderFilter;
  /** `check` compares every file; `repair` also deletes files render does not own. */
  readonly mode: "write" | "check" | "repair";
  readonly previous: ReadonlyMap<string, RenderedIndex>;
  readonly plan: RenderPlan;
  /** The files of every unit synthesized by this render. */
  readonly files: readonly RenderedFile[];
}

export interface DesiredTree {
  /** Paths relative to `clusters/`. */
  readonly write: Map<string, string>;
  readonly remove: Set<string>;
  /** Every file that differs from what render produces, with why (what `--check` reports). */
  readonly differences: string[];
  readonly unchanged: number;
  readonly objects: number;
}

type IndexHead = Omit<RenderedIndex, "files">;

/** The index's fields besides its files: the cluster's facts that validation reads. */
function indexHead(fleet: Fleet, cluster: string, facts: Cluster): IndexHead {
  return {
    cluster,
    kubernetesVersion: facts.kubernetesVersion,
    environments: Object.fromEntries(
      facts.environments.map((name) => {
        const { policy } = fleet.environments.get(name)!.def;
        return [name, { guardrails: policy.guardrails, minReplicas: policy.minReplicas, requirePdb: policy.requirePdb, requireDigest: policy.requireDigest, trustedRegistries: [...policy.trustedRegistries] }];
      }),
    ),
  };
}

function describe(entry: RenderedFileEntry): string {
  return `${entry.kind} ${entry.namespace ? `${entry.namespace}/` : ""}${entry.name} (from ${entry.app ? `app ${entry.app}` : entry.addon ? `add-on ${entry.addon}` : entry.tenant ? `tenant ${entry.tenant}` : "render"})`;
}

export function assembleTree(input: AssembleInput): DesiredTree {
  const { root, fleet, filter, mode, previous, plan } = input;
  const filtered = Boolean(filter.app || filter.cluster || filter.env);
  const write = new Map<string, string>();
  const remove = new Set<string>();
  const differences: string[] = [];
  const wanted = new Set<string>();
  let unchanged = 0;
  let objects = 0;

  const desire = (path: string, content: string, owned: boolean) => {
    wanted.add(path);
    const current = readTreeFile(root, path);
    if (current === content) {
      unchanged++;
      return;
    }
    if (current !== undefined && !owned && mode !== "repair") {
      throw new SlipwayError("render would overwrite a file it does not own", { file: `clusters/${path}`, hint: "move or delete that file (render only replaces files listed in rendered.json)" });
    }
    write.set(path, content);
    differences.push(`clusters/${path}: ${current === undefined ? "missing (render would create it)" : "differs from what render produces (edited by hand, or stale)"}`);
  };
  const drop = (path: string, why: string) => {
    if (readTreeFile(root, path) === undefined) return;
    remove.add(path);
    differences.push(`clusters/${path}: ${why}`);
  };

  const synthesized = new Map<string, RenderedFile[]>();
  for (const file of input.files) (synthesized.get(file.cluster) ?? synthesized.set(file.cluster, []).get(file.cluster)!).push(file);
  const carried = new Map<string, Entries>();
  const carry = (cluster: string, entries: Entries) => (carried.get(cluster) ?? carried.set(cluster, []).get(cluster)!).push(...entries);
  for (const { instance, reuse } of plan.instances) if (reuse) carry(instance.cluster, reuse);
  for (const [cluster, entries] of plan.platform.reuse ?? []) carry(cluster, entries);

  const clusters = [...new Set([...fleet.clusters.keys(), ...previous.keys()])].sort();
  for (const cluster of clusters) {
    if (filter.cluster && filter.cluster !== cluster) continue;
    const facts = fleet.clusters.get(cluster);
    const owned: Record<string, RenderedFileEntry> = previous.get(cluster)?.files ?? {};
    const entries = new Map<string, RenderedFileEntry>();
    /** Entries a filter keeps as they were: what this render produces in their place replaces them. */
    const kept = new Set<string>();
    const add = (path: string, entry: RenderedFileEntry) => {
      const other = entries.get(path);
      if (other && !kept.delete(path)) {
        throw new RenderCollisionError(`two objects would be written to clusters/${cluster}/${path}`, {
          cluster, expected: "one object per path", received: `${describe(other)} and ${describe(entry)}`, hint: "rename one of the objects; render never overwrites one resource with another",
        });
      }
      entries.set(path, entry);
    };
    // Outside a filter's scope, entries stay as they were.
    if (facts && filtered) {
      for (const [path, entry] of Object.entries(owned)) {
        if (unitInScope(entry, cluster, filter)) continue;
        entries.set(path, entry);
        kept.add(path);
      }
    }
    for (const [path, entry] of carried.get(cluster) ?? []) {
      add(path, entry);
      wanted.add(`${cluster}/${path}`);
      unchanged++;
    }
    for (const file of synthesized.get(cluster) ?? []) {
      add(file.path, file.entry);
      desire(`${cluster}/${file.path}`, file.content, Object.hasOwn(owned, file.path));
    }
    objects += entries.size;
    for (const path in owned) if (!entries.has(path)) drop(`${cluster}/${path}`, "no longer rendered (render would delete it)");
    if (!facts) {
      // The cluster was removed from the fleet: its rendered files go, its index and README too.
      for (const name of [RENDERED_INDEX_FILE, README]) drop(`${cluster}/${name}`, "cluster no longer defined (render would delete it)");
      continue;
    }
    for (const path of entries.keys()) wanted.add(`${cluster}/${path}`);
    const head = indexHead(fleet, cluster, facts.def);
    const files = Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    desire(`${cluster}/${RENDERED_INDEX_FILE}`, `${JSON.stringify({ ...head, files }, null, 2)}\n`, true);
    const environments = facts.def.environments.map((name) => fleet.environments.get(name)!.def);
    desire(`${cluster}/${README}`, clusterReadme(head, readmeSummary(entries), facts.file, facts.def, environments), previous.has(cluster));
  }
  if (mode !== "write") checkOwnership(root, filter, wanted, mode, differences, remove);
  return { write, remove, differences: differences.sort(), unchanged, objects };
}

/**
 * Every file under `clusters/` is rendered, a cluster's `cluster.ts`, or refused: Argo CD would
 * sync a hand-added file (any extension it reads, in any subdirectory, or a new directory a git
 * generator picks up) that no other check sees. Links are refused wherever they are.
 */
function checkOwnership(root: string, filter: RenderFilter, wanted: ReadonlySet<string>, mode: "check" | "repair", differences: string[], remove: Set<string>): void {
  const { files, links } = scanTree(root);
  const inScope = (path: string) => !filter.cluster || path.split("/")[0] === filter.cluster;
  for (const link of links.filter(inScope)) {
    throw new SlipwayError(`clusters/${link} is a symbolic link, and render never follows one`, { file: `clusters/${link}`, hint: "replace the link with a real directory or file (or delete it), then render again" });
  }
  for (const path of files.filter(inScope)) {
    const rest = path.split("/").slice(1);
    if (wanted.has(path) || remove.has(path) || (rest.length === 1 && rest[0] === CLUSTER_FILE)) continue;
    if (mode === "repair") remove.add(path);
    differences.push(`clusters/${path}: not rendered by slipway (hand-added?); move it out of clusters/ or delete it`);
  }
}
