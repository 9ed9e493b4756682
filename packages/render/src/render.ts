/**
 * The render pipeline: load → resolve and synthesize (producers) → files → compare with the
 * committed tree → write atomically (or, in check mode, report what differs).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { RENDERED_INDEX_FILE, SlipwayError, type RenderedFileEntry, type RenderedIndex } from "@slipway/core";
import { clusterReadme } from "./cluster-readme";
import { collectFiles, type RenderedFile } from "./files";
import type { Fleet } from "./fleet";
import { loadFleet } from "./load";
import { produceUnits } from "./producers";
import { applyTreeChange, listTreeFiles, readTreeFile, recoverInterruptedRender } from "./tree";
import { unitInScope, type RenderFilter } from "./units";

export interface RenderOptions {
  readonly root: string;
  /** `write` updates `clusters/`; `check` writes nothing and reports differences. */
  readonly mode: "write" | "check";
  readonly filter?: RenderFilter;
  /** Reuse an already loaded fleet (tests, benchmarks, promotion). */
  readonly fleet?: Fleet;
}

export interface RenderResult {
  /** Paths relative to the repository root. */
  readonly written: string[];
  readonly deleted: string[];
  readonly unchanged: number;
  /** Check mode: every file that differs from what render would produce, with the reason. */
  readonly differences: string[];
  readonly objects: number;
}

const README = "README.md";

function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function readIndex(root: string, cluster: string): RenderedIndex | undefined {
  const text = readTreeFile(root, `${cluster}/${RENDERED_INDEX_FILE}`);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as RenderedIndex;
  } catch {
    throw new SlipwayError("the owned-file index is not valid JSON", {
      file: `clusters/${cluster}/${RENDERED_INDEX_FILE}`,
      hint: "restore it from git (`git checkout -- <file>`); render needs it to know which files it owns",
    });
  }
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function renderFleet(options: RenderOptions): Promise<RenderResult> {
  const { root, mode } = options;
  const filter = options.filter ?? {};
  if (mode === "write") recoverInterruptedRender(root);
  const fleet = options.fleet ?? (await loadFleet(root));
  if (filter.cluster && !fleet.clusters.has(filter.cluster)) {
    throw new SlipwayError(`unknown cluster \`${filter.cluster}\``, { expected: [...fleet.clusters.keys()].join(" | "), hint: "pass one of the clusters under clusters/" });
  }
  if (filter.env && !fleet.environments.has(filter.env)) {
    throw new SlipwayError(`unknown environment \`${filter.env}\``, { expected: [...fleet.environments.keys()].join(" | ") });
  }
  if (filter.app && !fleet.apps.has(filter.app)) {
    throw new SlipwayError(`unknown app \`${filter.app}\``, { expected: [...fleet.apps.keys()].sort().join(" | ") });
  }

  const files = collectFiles(produceUnits(fleet, filter));
  const byCluster = new Map<string, RenderedFile[]>();
  for (const file of files) (byCluster.get(file.cluster) ?? byCluster.set(file.cluster, []).get(file.cluster)!).push(file);

  const write = new Map<string, string>();
  const remove = new Set<string>();
  const differences: string[] = [];
  let unchanged = 0;

  const desire = (path: string, content: string, owned: boolean) => {
    const current = readTreeFile(root, path);
    if (current === content) {
      unchanged++;
      return;
    }
    if (current !== undefined && !owned) {
      throw new SlipwayError("render would overwrite a file it does not own", {
        file: `clusters/${path}`,
        hint: "move or delete that file (render only replaces files listed in rendered.json)",
      });
    }
    write.set(path, content);
    differences.push(`clusters/${path}: ${current === undefined ? "missing (render would create it)" : "differs from what render produces (edited by hand, or stale)"}`);
  };

  const clusterNames = new Set([...fleet.clusters.keys(), ...listOwnedClusters(root)]);
  for (const cluster of [...clusterNames].sort()) {
    if (filter.cluster && filter.cluster !== cluster) continue;
    const previous = readIndex(root, cluster);
    const facts = fleet.clusters.get(cluster);
    const owned = new Set(Object.keys(previous?.files ?? {}));
    const entries: Record<string, RenderedFileEntry> = {};
    // Entries outside the filter's scope are kept as they were.
    for (const [path, entry] of Object.entries(previous?.files ?? {})) {
      if (facts && !unitInScope(entry, cluster, filter)) entries[path] = entry;
    }
    for (const file of byCluster.get(cluster) ?? []) {
      entries[file.path] = file.entry;
      desire(`${cluster}/${file.path}`, file.content, owned.has(file.path));
    }
    for (const path of owned) {
      if (!(path in entries)) {
        remove.add(`${cluster}/${path}`);
        if (readTreeFile(root, `${cluster}/${path}`) !== undefined) differences.push(`clusters/${cluster}/${path}: no longer rendered (render would delete it)`);
      }
    }
    if (mode === "check") {
      for (const path of unownedRenderedFiles(root, cluster, entries, byCluster.get(cluster) ?? [])) {
        differences.push(`clusters/${path}: not rendered by slipway (hand-added?); move it out of the rendered directories or delete it`);
      }
    }
    if (!facts) {
      // The cluster was removed from the fleet: its rendered files go, its index and README too.
      for (const name of [RENDERED_INDEX_FILE, README]) {
        if (readTreeFile(root, `${cluster}/${name}`) !== undefined) {
          remove.add(`${cluster}/${name}`);
          differences.push(`clusters/${cluster}/${name}: cluster no longer defined (render would delete it)`);
        }
      }
      continue;
    }
    const index: RenderedIndex = {
      cluster,
      kubernetesVersion: facts.def.kubernetesVersion,
      environments: Object.fromEntries(
        facts.def.environments.map((name) => {
          const { policy } = fleet.environments.get(name)!.def;
          return [name, { guardrails: policy.guardrails, minReplicas: policy.minReplicas, requirePdb: policy.requirePdb, requireDigest: policy.requireDigest, trustedRegistries: [...policy.trustedRegistries] }];
        }),
      ),
      files: sortedRecord(entries),
    };
    desire(`${cluster}/${RENDERED_INDEX_FILE}`, stableJson(index), true);
    desire(`${cluster}/${README}`, clusterReadme(index, facts.file), previous !== undefined);
  }

  if (mode === "write") applyTreeChange(root, { write, remove });
  const toRoot = (path: string) => `clusters/${path}`;
  return {
    written: [...write.keys()].sort().map(toRoot),
    deleted: [...remove].sort().map(toRoot),
    unchanged,
    differences: differences.sort(),
    objects: files.length,
  };
}

/** Clusters that have a rendered tree on disk (possibly no longer in the fleet). */
function listOwnedClusters(root: string): string[] {
  const dir = join(root, "clusters");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, RENDERED_INDEX_FILE)))
    .map((e) => e.name);
}

/** YAML files inside directories render owns that are not in the index: someone added them by hand. */
function unownedRenderedFiles(root: string, cluster: string, entries: Record<string, RenderedFileEntry>, files: readonly RenderedFile[]): string[] {
  const dirs = new Set(files.map((f) => f.path.split("/").slice(0, -1).join("/")));
  for (const path of Object.keys(entries)) dirs.add(path.split("/").slice(0, -1).join("/"));
  const out: string[] = [];
  for (const dir of dirs) {
    if (!dir) continue;
    for (const path of listTreeFiles(root, `${cluster}/${dir}`)) {
      const relative = path.slice(cluster.length + 1);
      if (relative.split("/").slice(0, -1).join("/") === dir && /\.ya?ml$/.test(path) && !(relative in entries)) out.push(path);
    }
  }
  return [...new Set(out)].sort();
}
