/**
 * What changed in the rendered tree since a revision, per cluster, for
 * `slipway validate --changed-from REF`: git reports the paths, and each changed cluster's
 * rendered.json at REF says what the cluster held.
 */
import { changedPaths, GitError, readPathsAt, resolveRevision } from "@slipway/diff";
import type { ClusterChange } from "@slipway/validate";

export function fleetChangesSince(root: string, ref: string): ClusterChange[] {
  let commit: string;
  try {
    commit = resolveRevision(root, ref);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new GitError(`--changed-from: unknown git revision \`${ref}\``, {
      received: ref,
      hint: "name a branch, tag or commit that exists in this clone (in CI, fetch it: actions/checkout with `fetch-depth: 2` has the merge commit's base as HEAD^1; `git fetch origin main` brings a branch)",
    });
  }
  const byCluster = new Map<string, string[]>();
  for (const path of changedPaths(root, commit, undefined, "clusters")) {
    const parts = path.split("/");
    if (parts.length < 3) continue;
    const cluster = parts[1] as string;
    (byCluster.get(cluster) ?? byCluster.set(cluster, []).get(cluster)!).push(parts.slice(2).join("/"));
  }
  const clusters = [...byCluster.keys()].sort();
  // `<rev>:./<path>` is relative to the directory git runs in: the fleet root.
  const indexPath = (cluster: string) => `./clusters/${cluster}/rendered.json`;
  const indexes = readPathsAt(root, commit, clusters.map(indexPath));
  return clusters.map((cluster): ClusterChange => {
    const bytes = indexes.get(indexPath(cluster));
    let baseIndex: unknown;
    try {
      baseIndex = bytes === undefined ? undefined : JSON.parse(bytes.toString("utf8"));
    } catch {
      baseIndex = undefined; // an unreadable index at REF: the cluster is validated whole
    }
    return { cluster, paths: byCluster.get(cluster)!, ...(baseIndex !== undefined ? { baseIndex } : {}) };
  });
}
