/**
 * Fleet mode: `slipway validate` with no path validates every cluster's rendered tree,
 * reading `clusters/<cluster>/rendered.json` (the owned-file index written by render):
 * each file against the cluster's Kubernetes version and its environment's policy,
 * then the cross-object checks over the whole cluster, then what Argo CD will make of the
 * cluster's ApplicationSets (the same checks as `slipway argocd preview`).
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { previewCluster } from "@slipway/argocd";
import { SlipwayError, unknownName, type RenderedEnvironmentPolicy, type RenderedIndex } from "@slipway/core";
import { PLATFORM_POLICY, POLICY_PRESETS } from "./policy";
import type { Finding, GuardrailPolicy, ManifestText, ValidateOptions, ValidationReport } from "./types";
import { parseKubernetesVersion, validateManifests } from "./validate";

export const RENDERED_INDEX_FILE = "rendered.json";

export interface FleetCluster {
  readonly cluster: string;
  readonly dir: string;
  readonly indexPath: string;
}

/** `clusters/*\/rendered.json` under `root`, sorted by cluster name. */
export function findRenderedClusters(root: string): FleetCluster[] {
  const clusters = join(root, "clusters");
  if (!existsSync(clusters)) return [];
  return readdirSync(clusters, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(clusters, d.name, RENDERED_INDEX_FILE)))
    .map((d) => ({ cluster: d.name, dir: join(clusters, d.name), indexPath: join(clusters, d.name, RENDERED_INDEX_FILE) }))
    .sort((a, b) => (a.cluster < b.cluster ? -1 : 1));
}

export function toGuardrailPolicy(p: RenderedEnvironmentPolicy): GuardrailPolicy {
  return { guardrails: p.guardrails, minReplicas: p.minReplicas, requirePdb: p.requirePdb, requireDigest: p.requireDigest, trustedRegistries: p.trustedRegistries };
}

/** A cluster's rendered.json cannot be read: fleet mode does not know what the cluster holds. */
export class FleetIndexError extends SlipwayError {}

export function readIndex(c: FleetCluster): RenderedIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(c.indexPath, "utf8"));
  } catch (e) {
    throw new FleetIndexError(`is not valid JSON: ${(e as Error).message}`, { file: `clusters/${c.cluster}/${RENDERED_INDEX_FILE}`, hint: "render writes this file: run `slipway render`" });
  }
  return toIndex(c, raw);
}

function toIndex(c: FleetCluster, raw: unknown): RenderedIndex {
  const idx = raw as Partial<RenderedIndex>;
  if (typeof idx !== "object" || idx === null || typeof idx.kubernetesVersion !== "string" || typeof idx.files !== "object" || idx.files === null) {
    throw new FleetIndexError("lacks kubernetesVersion or files", { file: `clusters/${c.cluster}/${RENDERED_INDEX_FILE}`, hint: "render writes this file: run `slipway render`" });
  }
  return { cluster: c.cluster, environments: {}, ...idx } as RenderedIndex;
}

/**
 * How fleet mode validates the objects of one cluster: its Kubernetes version, each file's
 * environment policy (add-ons and Argo CD: the platform's), the cross-object checks. Files
 * are named `clusters/<cluster>/<path in rendered.json>`. Exported so that objects render
 * keeps in memory are validated exactly as the same files on disk are; `parsedIndex` is the
 * cluster's rendered.json when the caller has it already.
 */
export function clusterValidateOptions(c: FleetCluster, parsedIndex?: unknown): ValidateOptions & { readonly kubernetesVersion: string; readonly crossObject: true } {
  const index = parsedIndex === undefined ? readIndex(c) : toIndex(c, parsedIndex);
  const prefix = `clusters/${c.cluster}/`;
  // One policy object per environment, shared by its files (a cluster has thousands), looked
  // up by the path in rendered.json: no per-file key is built.
  const policyOfEnv = new Map<string, GuardrailPolicy>();
  const policyOfPath: Record<string, GuardrailPolicy> = Object.create(null) as Record<string, GuardrailPolicy>;
  for (const rel in index.files) {
    const env = (index.files[rel] as RenderedIndex["files"][string]).environment;
    let policy = PLATFORM_POLICY;
    if (env !== undefined) {
      policy = policyOfEnv.get(env) ?? PLATFORM_POLICY;
      if (policy === PLATFORM_POLICY) {
        const envPolicy = index.environments[env];
        policy = envPolicy ? toGuardrailPolicy(envPolicy) : { ...PLATFORM_POLICY, platform: false };
        policyOfEnv.set(env, policy);
      }
    }
    policyOfPath[rel] = policy;
  }
  // Asked once per object: answered by file name, so each file's path is cut and looked up once.
  const byFile = new Map<string, GuardrailPolicy>();
  const policyOf = (file: string): GuardrailPolicy => {
    let policy = byFile.get(file);
    if (policy === undefined) {
      policy = (file.startsWith(prefix) ? policyOfPath[file.slice(prefix.length)] : undefined) ?? PLATFORM_POLICY;
      byFile.set(file, policy);
    }
    return policy;
  };
  return { kubernetesVersion: index.kubernetesVersion, policy: (ref) => policyOf(ref.file), crossObject: true };
}

/** Validates one cluster; file paths in findings are relative to `root` (the repository). */
export function validateCluster(root: string, c: FleetCluster, options: Omit<ValidateOptions, "policy" | "crossObject">): ValidationReport {
  const index = readIndex(c);
  if (options.kubernetesVersion === undefined) {
    try {
      parseKubernetesVersion(index.kubernetesVersion);
    } catch (e) {
      const expected = (e as { expected?: string }).expected;
      throw new FleetIndexError(`has kubernetesVersion "${index.kubernetesVersion}", a version validate does not know`, {
        file: `clusters/${c.cluster}/${RENDERED_INDEX_FILE}`,
        ...(expected !== undefined ? { expected } : {}),
        received: index.kubernetesVersion,
        hint: `set the cluster's Kubernetes version in clusters/${c.cluster}/cluster.ts to one of those and re-run \`slipway render\``,
      });
    }
  }
  const prefix = `clusters/${c.cluster}/`;
  const sources: ManifestText[] = [];
  const missing: Finding[] = [];
  for (const [rel, entry] of Object.entries(index.files)) {
    const file = `${prefix}${rel}`;
    const abs = join(c.dir, rel);
    if (!existsSync(abs)) {
      missing.push({ rule: "SW-YAML-PARSE", severity: "error", file, line: 1, object: { kind: entry.kind, name: entry.name, ...(entry.namespace ? { namespace: entry.namespace } : {}) }, path: "", message: `listed in ${prefix}${RENDERED_INDEX_FILE} but missing on disk`, hint: "Re-run slipway render." });
      continue;
    }
    sources.push({ file, text: readFileSync(abs, "utf8") });
  }
  const fleet = clusterValidateOptions(c, index);
  const report = validateManifests(sources, {
    ...options,
    kubernetesVersion: options.kubernetesVersion ?? fleet.kubernetesVersion,
    policy: fleet.policy,
    crossObject: true,
  });
  const extra = [...missing, ...argocdFindings(root, c.cluster, index)];
  if (extra.length === 0) return report;
  return { ...report, findings: [...extra, ...report.findings], summary: { ...report.summary, errors: report.summary.errors + extra.length } };
}

/** Applications that would point at a missing or empty directory, share a name, or leave their project. */
export function argocdFindings(root: string, cluster: string, index: RenderedIndex): Finding[] {
  if (!Object.keys(index.files).some((path) => path.startsWith("argocd/"))) return [];
  return previewCluster(root, cluster).problems.map((problem) => ({
    rule: "SW-ARGO-APPLICATION",
    severity: "error",
    file: problem.file ?? `clusters/${cluster}/argocd`,
    line: 1,
    object: { kind: "Application", ...(problem.application ? { name: problem.application } : {}) },
    path: "",
    message: `${problem.code}: ${problem.message}`,
    hint: problem.hint ?? "Run `npx slipway argocd preview --cluster " + cluster + "` for the Applications each ApplicationSet creates.",
  }));
}

/**
 * The guardrail policy of environment `name`: the one a rendered cluster under `root` records for
 * it in rendered.json, else the preset of that name. Unknown names are a UsageError.
 */
export function environmentPolicy(name: string, root: string | undefined): GuardrailPolicy {
  const rendered = new Set<string>();
  for (const c of root === undefined ? [] : findRenderedClusters(root)) {
    let index: RenderedIndex;
    try {
      index = readIndex(c);
    } catch {
      continue; // An unreadable index is reported by fleet mode; presets still apply here.
    }
    const env = index.environments[name];
    if (env) return toGuardrailPolicy(env);
    for (const known of Object.keys(index.environments)) rendered.add(known);
  }
  const preset = POLICY_PRESETS[name];
  if (preset) return preset;
  throw unknownName("environment", name, [...new Set([...rendered, ...Object.keys(POLICY_PRESETS)])].sort(), {
    flag: "--policy",
    hint: "name an environment of the rendered fleet (clusters/*/rendered.json) or a preset",
  });
}

/**
 * Fleet mode: every rendered cluster under `root` (the fleet root), each against its Kubernetes
 * version and each file with its environment's policy, as one report. A fleet with no rendered
 * cluster is an error, not an empty success.
 */
export function validateFleet(root: string, options: Omit<ValidateOptions, "policy" | "crossObject"> = {}): ValidationReport {
  const clusters = findRenderedClusters(root);
  if (clusters.length === 0) {
    throw new SlipwayError("no rendered fleet to validate", {
      expected: "clusters/<cluster>/rendered.json (written by `slipway render`)",
      received: `no clusters/*/${RENDERED_INDEX_FILE} under ${root}`,
      hint: "run `slipway render` first, or pass the files to validate: `slipway validate PATH…`",
    });
  }
  const report = mergeReports(clusters.map((c) => validateCluster(root, c, options)));
  const tree = unownedFindings(root);
  if (tree.length === 0) return report;
  return { ...report, findings: [...tree, ...report.findings], summary: { ...report.summary, errors: report.summary.errors + tree.length } };
}

const unowned = (file: string, message: string, hint: string): Finding => ({ rule: "SW-FLEET-UNOWNED", severity: "error", file, line: 1, object: {}, path: "", message, hint });

/** The SW-FLEET-UNOWNED findings, for the whole tree's walk and for the changed paths (changed.ts). */
export const unownedFinding = {
  link: (rel: string): Finding => unowned(rel, "is a symbolic link under clusters/: fleet mode does not follow it, and Argo CD would sync what it points at unvalidated", "Remove the link; render writes real files only."),
  noClusterFile: (cluster: string): Finding => unowned(`clusters/${cluster}/`, `clusters/${cluster}/ has no cluster.ts: it is not a cluster of the fleet, yet an ApplicationSet over clusters/* may sync it`, `Add clusters/${cluster}/cluster.ts (defineCluster), or remove the directory.`),
  notInIndex: (cluster: string, rel: string): Finding => unowned(`clusters/${cluster}/${rel}`, `is not in clusters/${cluster}/${RENDERED_INDEX_FILE}: render did not write it, so fleet mode does not validate it, yet Argo CD would sync it`, "Remove the file, or produce it from the fleet's TypeScript and re-run `slipway render`."),
};

/** Files of a cluster directory that render does not list in rendered.json, yet are not stray: the cluster's own. */
const CLUSTER_OWN_FILES = new Set(["cluster.ts", "README.md", RENDERED_INDEX_FILE]);

/**
 * What Argo CD would sync from clusters/ that is not what render wrote: a file under
 * clusters/<cluster>/ (any directory, any extension) that the cluster's rendered.json does not
 * list, a symbolic link anywhere under clusters/ (reported, never followed), and a directory
 * of clusters/ without cluster.ts. Fleet mode validates exactly the rendered tree; these
 * would reach the cluster unvalidated.
 */
export function unownedFindings(root: string): Finding[] {
  const clustersDir = join(root, "clusters");
  if (!existsSync(clustersDir)) return [];
  const out: Finding[] = [];
  const link = (rel: string): void => void out.push(unownedFinding.link(rel));
  for (const entry of readdirSync(clustersDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = `clusters/${entry.name}`;
    if (entry.isSymbolicLink()) {
      link(rel);
      continue;
    }
    if (!entry.isDirectory()) continue;
    const dir = join(clustersDir, entry.name);
    if (!existsSync(join(dir, "cluster.ts")) || lstatSync(join(dir, "cluster.ts")).isSymbolicLink()) out.push(unownedFinding.noClusterFile(entry.name));
    let owned: Set<string> | undefined;
    if (existsSync(join(dir, RENDERED_INDEX_FILE))) {
      try {
        owned = new Set(Object.keys(readIndex({ cluster: entry.name, dir, indexPath: join(dir, RENDERED_INDEX_FILE) }).files));
      } catch {
        owned = undefined; // validateCluster reports the unreadable index
      }
    }
    const walk = (abs: string, relInCluster: string): void => {
      for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const r = relInCluster === "" ? e.name : `${relInCluster}/${e.name}`;
        if (e.isSymbolicLink()) link(`${rel}/${r}`);
        else if (e.isDirectory()) walk(join(abs, e.name), r);
        else if (relInCluster === "" && CLUSTER_OWN_FILES.has(e.name)) continue;
        else if (owned !== undefined && !owned.has(r)) out.push(unownedFinding.notInIndex(entry.name, r));
      }
    };
    walk(dir, "");
  }
  return out;
}

export function mergeReports(reports: readonly ValidationReport[]): ValidationReport {
  const versions = [...new Set(reports.map((r) => r.summary.kubernetesVersion))];
  return {
    findings: reports.flatMap((r) => r.findings),
    objects: reports.flatMap((r) => r.objects),
    exemptions: reports.flatMap((r) => r.exemptions),
    summary: {
      files: reports.reduce((n, r) => n + r.summary.files, 0),
      objects: reports.reduce((n, r) => n + r.summary.objects, 0),
      valid: reports.reduce((n, r) => n + r.summary.valid, 0),
      errors: reports.reduce((n, r) => n + r.summary.errors, 0),
      warnings: reports.reduce((n, r) => n + r.summary.warnings, 0),
      skipped: reports.reduce((n, r) => n + r.summary.skipped, 0),
      kubernetesVersion: versions.join(", "),
    },
  };
}
