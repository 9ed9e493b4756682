/**
 * The parts of two rendered trees that can differ, found from git: the files under `clusters/`
 * that git reports as changed between the base commit and the head (a commit, or the working
 * tree with untracked files), plus the files whose entry in a cluster's `rendered.json` changed
 * (their ownership or grouping moved although their bytes did not). Everything else is
 * byte-identical on both sides, so it cannot add, remove or change a resource: the diff of
 * these partial trees is the diff of the whole trees, at the cost of the change instead of
 * the fleet.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { changedEntries, RENDERED_INDEX_FILE, type RenderedIndex } from "@slipway/core";
import { GitError, resolveRevision, runGit } from "./git";
import { buildTree, CLUSTERS_DIR, type RenderedTree } from "./tree";

/** NUL-separated git output as a list, empty records dropped. */
const records = (out: string): string[] => out.split("\0").filter((r) => r !== "");

/**
 * Paths under `prefix` (relative to `root`) that differ between `base` (a commit) and `head`
 * (a commit; the working tree when absent). Renames are reported as a deletion and an
 * addition. For the working tree, files git does not track are included (ignored ones too:
 * whatever is on disk is the working tree's rendered tree).
 */
export function changedPaths(root: string, base: string, head: string | undefined, prefix: string): string[] {
  const args = ["diff", "--name-only", "--no-renames", "--relative", "-z", base, ...(head === undefined ? [] : [head]), "--", prefix];
  const paths = new Set(records(runGit(root, args).stdout));
  if (head === undefined) for (const p of records(runGit(root, ["ls-files", "--others", "-z", "--", prefix]).stdout)) paths.add(p);
  return [...paths].sort();
}

/** Contents of `paths` at `commit` (paths that do not exist there are left out), in one `git cat-file --batch`. */
export function readPathsAt(root: string, commit: string, paths: readonly string[]): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (paths.length === 0) return files;
  const result = spawnSync("git", ["cat-file", "--batch"], { cwd: root, input: paths.map((p) => `${commit}:${p}`).join("\n") + "\n", maxBuffer: 1024 * 1024 * 1024 });
  if (result.error) throw new GitError(`could not run git: ${result.error.message}`, { hint: "install git and make sure it is on PATH" });
  if (result.status !== 0) throw new GitError(`git cat-file --batch failed: ${result.stderr.toString("utf8").trim()}`);
  const buffer = result.stdout;
  let offset = 0;
  for (const path of paths) {
    const newline = buffer.indexOf(0x0a, offset);
    const header = buffer.subarray(offset, newline).toString("utf8").split(" ");
    offset = newline + 1;
    // `<object> missing`, or a tree (a directory at that path): not a file of that revision.
    if (header[1] === "missing" || header.length < 3) continue;
    const size = Number(header[2]);
    if (header[1] === "blob") files.set(path, buffer.subarray(offset, offset + size));
    offset += size + 1;
  }
  return files;
}

/** Every file path under `clusters/<cluster>/` at a commit. */
function clusterPathsAt(root: string, commit: string, cluster: string): string[] {
  return records(runGit(root, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit, "--", `${CLUSTERS_DIR}/${cluster}`]).stdout);
}

/** Every file path under `clusters/<cluster>/` in the working tree (what `loadTreeFromDir` reads). */
function clusterPathsOnDisk(root: string, cluster: string): string[] {
  const tracked = records(runGit(root, ["ls-files", "-z", "--cached", "--others", "--", `${CLUSTERS_DIR}/${cluster}`]).stdout);
  return tracked.filter((p) => existsSync(join(root, p)) && statSync(join(root, p)).isFile());
}

function parsedIndex(bytes: Buffer | undefined): RenderedIndex | undefined {
  if (bytes === undefined) return undefined;
  try {
    const index = JSON.parse(bytes.toString("utf8")) as RenderedIndex;
    return typeof index?.files === "object" && index.files !== null ? index : undefined;
  } catch {
    return undefined; // buildTree reports the unreadable index when it reads it
  }
}

export interface ChangedTrees {
  readonly before: RenderedTree;
  readonly after: RenderedTree;
  /** The files read on each side (repository-relative), for tests and the benchmark. */
  readonly paths: readonly string[];
}

/**
 * The rendered trees of `base` and `head` (the working tree when absent), reduced to the files
 * that can differ. A cluster whose index exists on one side only, or cannot be read, is read
 * whole on both sides: ownership then comes from different rules on each side.
 */
export function loadChangedTrees(root: string, base: string, head?: string): ChangedTrees {
  const baseCommit = resolveRevision(root, base);
  const headCommit = head === undefined ? undefined : resolveRevision(root, head);
  const paths = new Set(changedPaths(root, baseCommit, headCommit, CLUSTERS_DIR));
  const clusters = new Set<string>();
  for (const p of paths) {
    const parts = p.split("/");
    if (parts.length >= 3) clusters.add(parts[1]!);
  }
  const indexPaths = [...clusters].sort().map((c) => `${CLUSTERS_DIR}/${c}/${RENDERED_INDEX_FILE}`);
  const readHead = (list: readonly string[]): Map<string, Buffer> => {
    if (headCommit !== undefined) return readPathsAt(root, headCommit, list);
    const out = new Map<string, Buffer>();
    for (const p of list) {
      const abs = join(root, p);
      if (existsSync(abs) && statSync(abs).isFile()) out.set(p, readFileSync(abs));
    }
    return out;
  };
  const baseIndexes = readPathsAt(root, baseCommit, indexPaths);
  const headIndexes = readHead(indexPaths);
  for (const cluster of clusters) {
    const indexPath = `${CLUSTERS_DIR}/${cluster}/${RENDERED_INDEX_FILE}`;
    const prefix = `${CLUSTERS_DIR}/${cluster}/`;
    const b = parsedIndex(baseIndexes.get(indexPath));
    const h = parsedIndex(headIndexes.get(indexPath));
    if ((b === undefined) !== (h === undefined) || (b === undefined && (baseIndexes.has(indexPath) || headIndexes.has(indexPath)))) {
      for (const p of clusterPathsAt(root, baseCommit, cluster)) paths.add(p);
      for (const p of headCommit === undefined ? clusterPathsOnDisk(root, cluster) : clusterPathsAt(root, headCommit, cluster)) paths.add(p);
      continue;
    }
    if (b === undefined || h === undefined || !paths.has(indexPath)) continue;
    // Entries added, removed or changed: their file's place in the tree changed.
    for (const rel of changedEntries(b.files, h.files)) paths.add(prefix + rel);
  }
  for (const p of indexPaths) paths.add(p);
  let list = [...paths].sort();
  let before = buildTree(base, readPathsAt(root, baseCommit, list));
  let after = buildTree(head ?? "working tree", readHead(list));
  // An object of a changed file may also be in a file that did not change (a hand edit renamed
  // it onto another's name): reading the whole tree fails on such a pair, so this must read both.
  const byName = new Map<string, Map<string, { rel: string; kind: string; namespace: string }[]>>();
  for (const bytes of [...baseIndexes.entries(), ...headIndexes.entries()]) {
    const index = parsedIndex(bytes[1]);
    if (!index) continue;
    const cluster = bytes[0].split("/")[1]!;
    const names = byName.get(cluster) ?? byName.set(cluster, new Map()).get(cluster)!;
    for (const rel in index.files) {
      const e = index.files[rel]!;
      (names.get(e.name) ?? names.set(e.name, []).get(e.name)!).push({ rel, kind: e.kind, namespace: e.namespace ?? "" });
    }
  }
  const namesakes = new Set<string>();
  for (const tree of [before, after]) {
    for (const r of tree.resources.values()) {
      for (const e of byName.get(r.cluster)?.get(r.name) ?? []) {
        const p = `${CLUSTERS_DIR}/${r.cluster}/${e.rel}`;
        if (e.kind === r.kind && e.namespace === (r.namespace ?? "") && !paths.has(p)) namesakes.add(p);
      }
    }
  }
  if (namesakes.size > 0) {
    for (const p of namesakes) paths.add(p);
    list = [...paths].sort();
    before = buildTree(base, readPathsAt(root, baseCommit, list));
    after = buildTree(head ?? "working tree", readHead(list));
  }
  return { before, after, paths: list };
}
