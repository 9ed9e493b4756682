/**
 * Validation by affected scope (`slipway validate --changed-from REF`): the objects of the
 * files that changed since REF are validated as fleet mode validates them, with the objects
 * the checks over several objects need read beside them as context (ManifestObject.context),
 * so each reported object gets exactly the findings a whole-fleet run gives it. What each
 * set-level check needs of an object (see cross.ts, guardrails.ts, validate.ts):
 *
 * - its namespace: the Namespace objects (existence, tenant ownership; labels a
 *   namespaceSelector reads) — all of the cluster's, they are few;
 * - same-namespace objects: Service, PDB and HPA targets, Ingress backends, the ServiceAccounts,
 *   ConfigMaps, Secrets (ExternalSecrets, Certificates) a pod template names, HPAs and PDBs for
 *   the replica and PDB guardrails — every object of the namespaces of the changed objects;
 * - objects with the same name anywhere in the cluster (duplicates), found in rendered.json;
 * - a changed NetworkPolicy's peers: the namespaces its namespaceSelectors select — their
 *   workloads (which the peers select) and their policies (which isolate those);
 * - a changed ServiceAccount's IAM role: every ServiceAccount of the cluster naming the same
 *   role ARN (one role per tenant);
 * - the CRDs of the changed objects' API groups (custom resources validate against them);
 * - the cluster-wide objects pods and claims name or must match: PriorityClasses, StorageClasses,
 *   Karpenter NodePools (few per cluster);
 * - the add-ons' Prometheus objects and monitors (which targets are scraped, for the alert-series
 *   check; an app's own monitors are in its namespace, above);
 * - the cluster's Argo CD objects: the Applications preview of every changed cluster, whole.
 *
 * Findings of a pair of objects land on one of them (a duplicate on the later one, a shared IAM
 * role on the ServiceAccounts after the first): the other object of such a pair is reported too.
 *
 * A cluster is validated whole when its Kubernetes version or an environment's policy changed,
 * or when it has no index at REF (a new cluster). Files under clusters/ that changed and that
 * render does not own are reported as fleet mode reports them. Objects that did not change are
 * not reported, even when a change elsewhere would give them a new finding (an Ingress whose
 * Service was deleted is in the same app and changes with it; a NetworkPolicy of another app
 * that admits a workload whose labels changed does not): the scheduled whole-fleet run reports
 * those.
 */
import { existsSync, lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { changedEntries, type RenderedFileEntry, type RenderedIndex } from "@slipway/core";
import { argocdFindings, clusterValidateOptions, findRenderedClusters, FleetIndexError, mergeReports, readIndex, RENDERED_INDEX_FILE, unownedFinding, validateCluster, type FleetCluster } from "./fleet";
import { asArr, asObj, isObj, selectorMatches, str } from "./objects";
import { parseYaml } from "./parse";
import type { Finding, ManifestText, ValidateOptions, ValidationReport } from "./types";
import { parseKubernetesVersion, validateManifests } from "./validate";

export interface ClusterChange {
  readonly cluster: string;
  /** Paths relative to `clusters/<cluster>/` that differ between REF and the working tree. */
  readonly paths: readonly string[];
  /** The cluster's rendered.json at REF (parsed JSON); absent when it had none. */
  readonly baseIndex?: unknown;
}

export interface ScopedReport {
  readonly report: ValidationReport;
  /** Clusters validated whole, and why. */
  readonly whole: readonly { cluster: string; reason: string }[];
  /** Files validated (reported) and files read as context only. */
  readonly files: number;
  readonly contextFiles: number;
}

/** Cluster-wide objects a pod or a claim is checked against (SW-X-REFERENCE, SW-X-STORAGECLASS, SW-X-NODEPOOL). */
const CLUSTER_CONTEXT_KINDS = new Set(["PriorityClass", "StorageClass", "NodePool"]);
/** What decides which targets are scraped (SW-X-ALERT-SERIES). */
const SCRAPE_KINDS = new Set(["Prometheus", "ServiceMonitor", "PodMonitor"]);

const CLUSTER_OWN = new Set(["cluster.ts", "README.md", RENDERED_INDEX_FILE]);

/** The API group of an apiVersion (`""` for the core group). */
const groupOf = (apiVersion: string): string => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "");

/** Validates what changed in each cluster (see the module comment), as one report. */
export function validateChanged(root: string, changes: readonly ClusterChange[], options: Omit<ValidateOptions, "policy" | "crossObject"> = {}): ScopedReport {
  const known = new Map(findRenderedClusters(root).map((c) => [c.cluster, c]));
  const reports: ValidationReport[] = [];
  const whole: { cluster: string; reason: string }[] = [];
  const extra: Finding[] = [];
  let files = 0;
  let contextFiles = 0;
  for (const change of [...changes].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0))) {
    const c = known.get(change.cluster);
    let head: RenderedIndex | undefined;
    try {
      head = c ? readIndex(c) : undefined;
    } catch (error) {
      if (!(error instanceof FleetIndexError)) throw error;
      head = undefined; // validateCluster reports the unreadable index
    }
    extra.push(...unownedAmong(root, change, head));
    if (!c) continue; // no index in the working tree: nothing render owns is left to validate
    if (!head) {
      whole.push({ cluster: c.cluster, reason: "its rendered.json cannot be read" });
      reports.push(validateCluster(root, c, options));
      continue;
    }
    const reason = wholeReason(head, change.baseIndex);
    if (reason) {
      whole.push({ cluster: c.cluster, reason });
      const report = validateCluster(root, c, options);
      files += report.summary.files;
      reports.push(report);
      continue;
    }
    const scoped = validateClusterScope(root, c, head, change.baseIndex as RenderedIndex, change.paths, options);
    files += scoped.files;
    contextFiles += scoped.contextFiles;
    reports.push(scoped.report);
  }
  const report = mergeReports(reports);
  if (extra.length === 0) return { report, whole, files, contextFiles };
  return { report: { ...report, findings: [...extra, ...report.findings], summary: { ...report.summary, errors: report.summary.errors + extra.length } }, whole, files, contextFiles };
}

function wholeReason(head: RenderedIndex, base: unknown): string | undefined {
  const b = base as Partial<RenderedIndex> | undefined;
  if (b === undefined || typeof b !== "object" || b === null || typeof b.files !== "object" || b.files === null) return "it has no rendered.json at the base revision";
  if (b.kubernetesVersion !== head.kubernetesVersion) return `its Kubernetes version changed (${String(b.kubernetesVersion)} → ${head.kubernetesVersion})`;
  if (JSON.stringify(b.environments ?? {}) !== JSON.stringify(head.environments)) return "an environment's policy changed";
  return undefined;
}

/** Changed paths of a cluster that fleet mode's tree walk would report (unowned files, symbolic links, a directory without cluster.ts). */
function unownedAmong(root: string, change: ClusterChange, index: RenderedIndex | undefined): Finding[] {
  const dir = join(root, "clusters", change.cluster);
  const rel = `clusters/${change.cluster}`;
  const out: Finding[] = [];
  if (!existsSync(dir)) return out;
  if (!existsSync(join(dir, "cluster.ts")) || lstatSync(join(dir, "cluster.ts")).isSymbolicLink()) out.push(unownedFinding.noClusterFile(change.cluster));
  const owned = index === undefined ? undefined : index.files;
  for (const path of change.paths) {
    const abs = join(dir, path);
    let stat;
    try {
      stat = lstatSync(abs);
    } catch {
      continue; // deleted
    }
    // A link at any depth: the walk reports the first link on the way down.
    const parts = path.split("/");
    const link = parts.findIndex((_, i) => lstatSync(join(dir, ...parts.slice(0, i + 1))).isSymbolicLink());
    if (link >= 0) {
      out.push(unownedFinding.link(`${rel}/${parts.slice(0, link + 1).join("/")}`));
      continue;
    }
    if (!stat.isFile() || (parts.length === 1 && CLUSTER_OWN.has(path))) continue;
    if (owned !== undefined && !Object.prototype.hasOwnProperty.call(owned, path)) out.push(unownedFinding.notInIndex(change.cluster, path));
  }
  // One finding per link, as the walk gives.
  return out.filter((f, i) => out.findIndex((g) => g.file === f.file && g.message === f.message) === i);
}

interface Scope {
  readonly report: ValidationReport;
  readonly files: number;
  readonly contextFiles: number;
}

function validateClusterScope(root: string, c: FleetCluster, head: RenderedIndex, base: RenderedIndex, paths: readonly string[], options: Omit<ValidateOptions, "policy" | "crossObject">): Scope {
  if (options.kubernetesVersion === undefined) parseKubernetesVersion(head.kubernetesVersion);
  const entries = head.files;
  const changed = new Set(paths);
  // An entry that changed (ownership, environment, digest) without its file being listed.
  if (changed.has(RENDERED_INDEX_FILE)) for (const rel of changedEntries(base.files, entries)) changed.add(rel);
  const reported = new Set<string>();
  for (const rel of changed) if (Object.prototype.hasOwnProperty.call(entries, rel)) reported.add(rel);
  const context = new Set<string>();
  if (reported.size > 0) {
    addCounterparts(c, entries, reported);
    addContext(c, entries, reported, context);
  }

  const prefix = `clusters/${c.cluster}/`;
  const sources: ManifestText[] = [];
  const missing: Finding[] = [];
  for (const rel in entries) {
    const isReported = reported.has(rel);
    if (!isReported && !context.has(rel)) continue;
    const abs = join(c.dir, rel);
    if (!existsSync(abs)) {
      const entry = entries[rel] as RenderedFileEntry;
      if (isReported) missing.push({ rule: "SW-YAML-PARSE", severity: "error", file: `${prefix}${rel}`, line: 1, object: { kind: entry.kind, name: entry.name, ...(entry.namespace ? { namespace: entry.namespace } : {}) }, path: "", message: `listed in ${prefix}${RENDERED_INDEX_FILE} but missing on disk`, hint: "Re-run slipway render." });
      continue;
    }
    sources.push({ file: `${prefix}${rel}`, text: readFileSync(abs, "utf8"), ...(isReported ? {} : { context: true }) });
  }
  const fleet = clusterValidateOptions(c, head);
  const report = validateManifests(sources, { ...options, kubernetesVersion: options.kubernetesVersion ?? fleet.kubernetesVersion, policy: fleet.policy, crossObject: true });
  const more = [...missing, ...argocdFindings(root, c.cluster, head)];
  const contextFiles = sources.filter((s) => s.context).length;
  const files = reported.size;
  if (more.length === 0) return { report, files, contextFiles };
  return { report: { ...report, findings: [...more, ...report.findings], summary: { ...report.summary, errors: report.summary.errors + more.length } }, files, contextFiles };
}

/** What a NetworkPolicy check reads of a peer's namespace: its workloads (kinds with a pod template) and its policies. */
const PEER_KINDS = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController", "Pod", "NetworkPolicy"]);

/** The objects of a file of the cluster, parsed (none when it cannot be read). */
function objectsIn(c: FleetCluster, rel: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(join(c.dir, rel), "utf8");
  } catch {
    return []; // missing: reported (or not) by the validation itself
  }
  return parseYaml(text).docs.map((d) => d.value).filter(isObj);
}

/**
 * Findings of a pair of objects land on one of them: a duplicate on the later one, a shared
 * IAM role on every ServiceAccount after the first. When a changed object is one of such a
 * pair, the other is reported too: the objects of the cluster with the same kind and name,
 * and the ServiceAccounts naming the same role ARN.
 */
function addCounterparts(c: FleetCluster, entries: RenderedIndex["files"], reported: Set<string>): void {
  const names = new Set<string>();
  const arns = new Set<string>();
  for (const rel of reported) {
    for (const o of objectsIn(c, rel)) {
      const meta = asObj(o.metadata);
      const name = str(meta.name);
      if (name !== undefined) names.add(`${String(o.kind)}\0${name}`);
      const arn = o.kind === "ServiceAccount" ? str(asObj(meta.annotations)["eks.amazonaws.com/role-arn"]) : undefined;
      if (arn) arns.add(arn);
    }
    const e = entries[rel] as RenderedFileEntry;
    names.add(`${e.kind}\0${e.name}`);
  }
  for (const rel in entries) {
    if (reported.has(rel)) continue;
    const e = entries[rel] as RenderedFileEntry;
    if (names.has(`${e.kind}\0${e.name}`)) reported.add(rel);
    else if (arns.size > 0 && e.kind === "ServiceAccount" && namesRole(c, rel, arns)) reported.add(rel);
  }
}

/**
 * Whether a file names one of the role ARNs. ARNs hold no character YAML escapes, and render
 * writes no folded lines: a file that names the role has the ARN as written.
 */
function namesRole(c: FleetCluster, rel: string, arns: ReadonlySet<string>): boolean {
  let text: string;
  try {
    text = readFileSync(join(c.dir, rel), "utf8");
  } catch {
    return false;
  }
  for (const arn of arns) if (text.includes(arn)) return true;
  return false;
}

/** The files the checks of the reported files' objects need (see the module comment). */
function addContext(c: FleetCluster, entries: RenderedIndex["files"], reported: ReadonlySet<string>, context: Set<string>): void {
  const namespaces = new Set<string>();
  const names = new Set<string>();
  const groups = new Set<string>();
  for (const rel of reported) {
    const e = entries[rel] as RenderedFileEntry;
    if (e.namespace !== undefined) namespaces.add(e.namespace);
    names.add(e.name);
    const group = groupOf(e.apiVersion);
    if (group !== "" && group.includes(".")) groups.add(group);
  }
  const objectsOf = (rel: string) => objectsIn(c, rel);

  // Peers of changed NetworkPolicies: the namespaces their namespaceSelectors select.
  const selectors: unknown[] = [];
  for (const rel of reported) {
    const e = entries[rel] as RenderedFileEntry;
    if (e.kind === "NetworkPolicy") {
      for (const o of objectsOf(rel)) {
        const spec = asObj(o.spec);
        for (const [dir, side] of [["ingress", "from"], ["egress", "to"]] as const) {
          for (const rule of asArr(spec[dir])) for (const peer of asArr(asObj(rule)[side])) if (isObj(peer) && peer.namespaceSelector !== undefined) selectors.push(peer.namespaceSelector);
        }
      }
    }
  }
  /** Namespaces only peers of changed policies are in: their workloads (targets) and policies (isolation) are what the checks read. */
  const peers = new Set<string>();
  const namespaceFiles: string[] = [];
  const allNamespaces = new Set<string>();
  for (const rel in entries) {
    const e = entries[rel] as RenderedFileEntry;
    if (e.kind === "Namespace") {
      namespaceFiles.push(rel);
      context.add(rel);
      allNamespaces.add(e.name);
    }
    if (e.namespace !== undefined) allNamespaces.add(e.namespace);
  }
  if (selectors.length > 0) {
    // Labels as a namespaceSelector sees them: the automatic name label, then the Namespace's own.
    const labels = new Map<string, Record<string, unknown>>();
    for (const rel of namespaceFiles) {
      for (const o of objectsOf(rel)) {
        const name = str(asObj(o.metadata).name);
        if (name !== undefined) labels.set(name, { "kubernetes.io/metadata.name": name, ...asObj(asObj(o.metadata).labels) });
      }
    }
    for (const ns of allNamespaces) {
      const l = labels.get(ns) ?? { "kubernetes.io/metadata.name": ns };
      if (!namespaces.has(ns) && selectors.some((s) => selectorMatches(s, l))) peers.add(ns);
    }
  }
  for (const rel in entries) {
    if (reported.has(rel)) continue;
    const e = entries[rel] as RenderedFileEntry;
    if ((e.namespace !== undefined && namespaces.has(e.namespace)) || names.has(e.name)) context.add(rel);
    else if (e.namespace !== undefined && peers.has(e.namespace) && PEER_KINDS.has(e.kind)) context.add(rel);
    else if (e.kind === "CustomResourceDefinition" && [...groups].some((g) => e.name.endsWith(`.${g}`))) context.add(rel);
    else if (CLUSTER_CONTEXT_KINDS.has(e.kind) || (e.addon !== undefined && SCRAPE_KINDS.has(e.kind))) context.add(rel);
  }
}


