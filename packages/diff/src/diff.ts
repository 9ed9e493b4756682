/** Compares two rendered trees: which resources were added, removed or changed, how, and how risky. */
import { deepEqual, diffObjects, maskValue, type FieldChange } from "./field-diff";
import { assessRisks, type RiskFlag, type RiskOptions } from "./risk";
import { loadChangedTrees } from "./changed";
import { CLUSTER_WIDE, compare, type RenderedTree, type ResourceRef } from "./tree";

export type ResourceStatus = "added" | "removed" | "changed";

export interface ResourceDiff extends ResourceRef {
  readonly status: ResourceStatus;
  /** Field-level changes (changed resources only). */
  readonly changes: readonly FieldChange[];
  /** The whole object, secret-like values masked (added and removed resources only). */
  readonly object?: unknown;
  readonly risks: readonly RiskFlag[];
  /** The file moved (same object, different path); the base path. */
  readonly movedFrom?: string;
}

export interface SummaryRow {
  readonly cluster: string;
  /** CLUSTER_WIDE (`""`) for add-ons, Argo CD and other cluster-level objects. */
  readonly environment: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export interface TreeDiff {
  readonly base: string;
  readonly head: string;
  /** Sorted cluster → environment → group → kind → namespace → name. */
  readonly resources: readonly ResourceDiff[];
  readonly summary: readonly SummaryRow[];
}

export function diffTrees(base: RenderedTree, head: RenderedTree, options: RiskOptions = {}): TreeDiff {
  const resources: ResourceDiff[] = [];
  const keys = [...new Set([...base.resources.keys(), ...head.resources.keys()])];
  for (const key of keys) {
    const b = base.resources.get(key);
    const h = head.resources.get(key);
    if (b && h) {
      if (deepEqual(b.object, h.object)) continue;
      const { object: _o, ...ref } = h;
      resources.push({
        ...ref,
        status: "changed",
        changes: diffObjects(h.kind, b.object, h.object),
        risks: assessRisks(ref, b.object, h.object, options),
        ...(b.path !== h.path ? { movedFrom: b.path } : {}),
      });
    } else if (h) {
      const { object, ...ref } = h;
      resources.push({ ...ref, status: "added", changes: [], object: maskValue(h.kind, [], object).value, risks: assessRisks(ref, undefined, object, options) });
    } else if (b) {
      const { object, ...ref } = b;
      resources.push({ ...ref, status: "removed", changes: [], object: maskValue(b.kind, [], object).value, risks: assessRisks(ref, object, undefined, options) });
    }
  }
  resources.sort(compareResources);
  return { base: base.label, head: head.label, resources, summary: summarize(resources) };
}

/**
 * The diff between the rendered trees of revisions `base` and `head` (the working tree when
 * absent) of the repository at `root`. Only the files git reports as changed are read and
 * parsed (changed.ts): the result is the diff of the whole trees, at the cost of the change.
 */
export function diffRevisions(root: string, base: string, head?: string): TreeDiff {
  const { before, after } = loadChangedTrees(root, base, head);
  return diffTrees(before, after);
}

export function compareResources(a: ResourceRef, b: ResourceRef): number {
  return (
    compare(a.cluster, b.cluster) ||
    compare(a.environment, b.environment) ||
    compare(a.group, b.group) ||
    compare(a.kind, b.kind) ||
    compare(a.namespace ?? "", b.namespace ?? "") ||
    compare(a.name, b.name) ||
    compare(a.path, b.path)
  );
}

function summarize(resources: readonly ResourceDiff[]): SummaryRow[] {
  const rows = new Map<string, { cluster: string; environment: string; added: number; changed: number; removed: number }>();
  for (const r of resources) {
    const key = `${r.cluster}\0${r.environment}`;
    const row = rows.get(key) ?? { cluster: r.cluster, environment: r.environment, added: 0, changed: 0, removed: 0 };
    row[r.status]++;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => compare(a.cluster, b.cluster) || compare(a.environment, b.environment));
}

export function totals(diff: TreeDiff): { added: number; changed: number; removed: number } {
  return diff.summary.reduce((t, r) => ({ added: t.added + r.added, changed: t.changed + r.changed, removed: t.removed + r.removed }), { added: 0, changed: 0, removed: 0 });
}

/** Display name of an environment column value. */
export function environmentLabel(environment: string): string {
  return environment === CLUSTER_WIDE ? "(cluster-wide)" : environment;
}

export interface RiskLine {
  readonly rule: string;
  /** `cluster/environment/group` */
  readonly where: string;
  /** `Kind namespace/name`, absent for grouped lines. */
  readonly resource?: string;
  readonly message: string;
}

/**
 * The risky changes to list first. Production flags are grouped per cluster and environment
 * (a promotion to prod touches many objects; one line says so); every other flag is listed
 * per resource.
 */
export function riskLines(diff: TreeDiff): RiskLine[] {
  const lines: RiskLine[] = [];
  const production = new Map<string, { groups: Set<string>; counts: Record<ResourceStatus, number> }>();
  for (const r of diff.resources) {
    for (const flag of r.risks) {
      if (flag.rule === "production") {
        const key = `${r.cluster}/${environmentLabel(r.environment)}`;
        const entry = production.get(key) ?? { groups: new Set<string>(), counts: { added: 0, changed: 0, removed: 0 } };
        entry.groups.add(r.group);
        entry.counts[r.status]++;
        production.set(key, entry);
      } else {
        lines.push({ rule: flag.rule, where: `${r.cluster}/${environmentLabel(r.environment)}/${r.group}`, resource: `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}`, message: flag.message });
      }
    }
  }
  const grouped = [...production].map(([where, { groups, counts }]): RiskLine => ({
    rule: "production",
    where,
    message: `production change: ${counts.added} added, ${counts.changed} changed, ${counts.removed} deleted in ${[...groups].sort(compare).join(", ")}`,
  }));
  return [...grouped, ...lines].sort((a, b) => compare(a.rule, b.rule) || compare(a.where, b.where) || compare(a.resource ?? "", b.resource ?? ""));
}
