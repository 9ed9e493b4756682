/**
 * Risky-change rules: what a reviewer must look at first. Each rule is a pure function of
 * the resource's base and head objects.
 */
import { isPlainObject } from "./field-diff";
import { compare, type ResourceRef } from "./tree";

export type RiskRule =
  | "production"
  | "deletion"
  | "rbac"
  | "cluster-scoped"
  | "public-exposure"
  | "image-without-digest"
  | "replicas-reduced"
  | "disruption-budget-reduced"
  | "network-policy-widened"
  | "argocd-applications"
  | "retirement"
  | "iam-role"
  | "secret-path"
  | "appproject-rights"
  | "patched";

export interface RiskFlag {
  readonly rule: RiskRule;
  readonly message: string;
}

export interface RiskOptions {
  /** Environments whose every change is flagged. @default ["prod", "production"] */
  readonly productionEnvironments?: readonly string[];
  /** Clusters whose every change is flagged. @default names starting with `prod` */
  readonly productionClusters?: RegExp;
}

type Obj = Record<string, unknown>;

/** Kinds that are cluster-scoped even if a file forgot to say so. */
const CLUSTER_SCOPED = new Set([
  "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "StorageClass", "PriorityClass",
  "IngressClass", "PersistentVolume", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
  "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "APIService", "RuntimeClass", "CSIDriver",
  "ClusterIssuer", "ClusterSecretStore", "ClusterExternalSecret", "NodePool", "EC2NodeClass", "NodeClass",
]);

export function assessRisks(ref: ResourceRef, base: Obj | undefined, head: Obj | undefined, options: RiskOptions = {}): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const add = (rule: RiskRule, message: string) => flags.push({ rule, message });
  const verb = !base ? "added" : !head ? "deleted" : "changed";
  const prodEnvs = options.productionEnvironments ?? ["prod", "production"];
  const prodClusters = options.productionClusters ?? /^prod(uction)?(-|$)/;

  if ((ref.environment && prodEnvs.includes(ref.environment)) || prodClusters.test(ref.cluster)) {
    add("production", `production change (${ref.cluster}${ref.environment ? `/${ref.environment}` : ""}): ${verb}`);
  }
  if (!head) add("deletion", "deleted: Argo CD will prune it from the cluster");
  if (ref.apiVersion.startsWith("rbac.authorization.k8s.io/")) add("rbac", `RBAC ${ref.kind} ${verb}`);
  if (ref.namespace === undefined || CLUSTER_SCOPED.has(ref.kind)) add("cluster-scoped", `cluster-scoped ${ref.kind} ${verb}`);

  if (head && isPublic(head) && !(base && isPublic(base))) add("public-exposure", `${ref.kind} becomes reachable from the internet`);

  if (head) {
    const before = base ? images(base) : new Map<string, string>();
    for (const [container, image] of images(head)) {
      if (!image.includes("@sha256:") && before.get(container) !== image) add("image-without-digest", `image without a digest: ${container} uses ${image}`);
    }
  }

  if (base && head) {
    const was = num(spec(base).replicas);
    const now = num(spec(head).replicas);
    if (was !== undefined && now !== undefined && now < was) add("replicas-reduced", `replicas reduced ${was} → ${now}`);
    if (ref.kind === "HorizontalPodAutoscaler") {
      for (const field of ["minReplicas", "maxReplicas"]) {
        const b = num(spec(base)[field]);
        const h = num(spec(head)[field]);
        if (b !== undefined && h !== undefined && h < b) add("replicas-reduced", `HPA ${field} reduced ${b} → ${h}`);
      }
    }
  }
  if (ref.kind === "PodDisruptionBudget" && base) {
    if (!head) add("disruption-budget-reduced", "PodDisruptionBudget removed: voluntary disruptions are no longer limited");
    else {
      const reduced = pdbReduced(spec(base), spec(head));
      if (reduced) add("disruption-budget-reduced", reduced);
    }
  }
  if (ref.kind === "NetworkPolicy" && base) {
    if (!head) add("network-policy-widened", "NetworkPolicy removed: the traffic it limited is allowed again");
    else {
      const widened = networkPolicyWidened(spec(base), spec(head));
      if (widened) add("network-policy-widened", widened);
    }
  }
  if (ref.apiVersion.startsWith("argoproj.io/") && (ref.kind === "Application" || ref.kind === "ApplicationSet")) {
    if (!base) add("argocd-applications", `Argo CD ${ref.kind} appears: Argo CD will start syncing new resources`);
    else if (!head) add("argocd-applications", `Argo CD ${ref.kind} disappears: its Applications may be deleted`);
    else if (ref.kind === "ApplicationSet" && JSON.stringify(spec(base).generators) !== JSON.stringify(spec(head).generators)) {
      add("argocd-applications", "ApplicationSet generators changed: Applications may appear or disappear");
    }
  }
  if (ref.kind === "ApplicationSet" && base) {
    const gone = [...generatedPaths(base)].filter((path) => !generatedPaths(head ?? {}).has(path)).sort(compare);
    for (const path of gone) add("retirement", `retires ${path}: Argo CD deletes its Application${cascades(base) ? " and, with cascade, its workloads" : " but leaves its workloads running unmanaged (orphaned)"}`);
  }
  if (head) {
    const roles = iamRoles(head);
    const before = base ? iamRoles(base) : new Map<string, string>();
    for (const [where, role] of roles) if (before.get(where) !== role) add("iam-role", `${before.has(where) ? "changed" : "new"} IAM role ${role} (${where})`);
    const paths = secretPaths(head);
    const had = base ? secretPaths(base) : new Set<string>();
    for (const path of [...paths].sort(compare)) if (!had.has(path)) add("secret-path", `reads secret path ${path} (AWS Secrets Manager)`);
  }
  if (ref.kind === "AppProject" && head) {
    const rights = (o: Obj) => JSON.stringify(canonical(["sourceRepos", "destinations", "clusterResourceWhitelist", "clusterResourceBlacklist", "namespaceResourceWhitelist", "namespaceResourceBlacklist", "roles"].map((k) => spec(o)[k] ?? null)));
    if (!base) add("appproject-rights", "new AppProject: review what it may deploy, where, and who may sync");
    else if (rights(base) !== rights(head)) add("appproject-rights", "AppProject rights changed (sources, destinations, kinds or roles)");
  }
  if (head) {
    // An app's `patches` changed this object after synthesis: the golden path's defaults no
    // longer vouch for it, so a reviewer reads the patch (app.ts) with the change.
    const patched = annotation(head, PATCHED_ANNOTATION);
    if (patched !== undefined) {
      add("patched", `${ref.kind} is changed by app patches after synthesis (${patched})`);
    }
  }
  return flags.sort((a, b) => compare(a.rule, b.rule) || compare(a.message, b.message));
}

/** Written by @slipway/workloads on an object an app's `patches` changed. */
export const PATCHED_ANNOTATION = "slipway.dev/patched";

function annotation(o: Obj, key: string): string | undefined {
  const metadata = isPlainObject(o.metadata) ? o.metadata : undefined;
  const annotations = metadata && isPlainObject(metadata.annotations) ? metadata.annotations : undefined;
  const value = annotations?.[key];
  return typeof value === "string" ? value : undefined;
}

/** Directories and list elements an ApplicationSet generates Applications for (`path` or `cluster/path`). */
function generatedPaths(set: Obj): Set<string> {
  const out = new Set<string>();
  const generators = Array.isArray(spec(set).generators) ? (spec(set).generators as unknown[]) : [];
  for (const g of generators.filter(isPlainObject)) {
    const git = isPlainObject(g.git) ? g.git : undefined;
    for (const d of (Array.isArray(git?.directories) ? git.directories : []) as unknown[]) {
      if (isPlainObject(d) && typeof d.path === "string" && !d.exclude && !d.path.includes("*")) out.add(d.path);
    }
    const list = isPlainObject(g.list) ? g.list : undefined;
    for (const e of (Array.isArray(list?.elements) ? list.elements : []) as unknown[]) {
      if (!isPlainObject(e)) continue;
      const path = [e.path, e.dir].find((v) => typeof v === "string");
      if (typeof path === "string") out.add(path);
    }
  }
  return out;
}

/** Whether an ApplicationSet's Applications delete their resources when they are deleted. */
function cascades(set: Obj): boolean {
  const policy = isPlainObject(spec(set).syncPolicy) ? (spec(set).syncPolicy as Obj) : {};
  return policy.preserveResourcesOnDeletion !== true;
}

/** IAM roles an object grants: IRSA annotations on ServiceAccounts, roles listed by AwsResources. */
function iamRoles(object: Obj): Map<string, string> {
  const out = new Map<string, string>();
  const role = annotations(object)["eks.amazonaws.com/role-arn"];
  if (typeof role === "string") out.set("IRSA annotation", role);
  for (const r of (Array.isArray(spec(object).iamRoles) ? spec(object).iamRoles : []) as unknown[]) {
    if (isPlainObject(r) && typeof r.arn === "string") out.set(r.arn, `${r.arn}${r.trust ? ` trusting ${JSON.stringify(canonical(r.trust))}` : ""}`);
  }
  return out;
}

/** Secrets Manager paths an ExternalSecret reads (`remoteRef.key`, `dataFrom[].extract.key`). */
function secretPaths(object: Obj): Set<string> {
  const out = new Set<string>();
  if (object.kind !== "ExternalSecret" && object.kind !== "ClusterExternalSecret") return out;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        if ((k === "remoteRef" || k === "extract" || k === "find") && isPlainObject(v) && typeof v.key === "string") out.add(v.key);
        else visit(v);
      }
    }
  };
  visit(spec(object));
  return out;
}

function spec(object: Obj): Obj {
  return isPlainObject(object.spec) ? object.spec : {};
}

function num(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function annotations(object: Obj): Obj {
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  return isPlainObject(metadata.annotations) ? metadata.annotations : {};
}

/** Internet-facing load balancer: an ALB Ingress with scheme internet-facing, or a LoadBalancer Service not marked internal. */
export function isPublic(object: Obj): boolean {
  const a = annotations(object);
  if (object.kind === "Ingress") return a["alb.ingress.kubernetes.io/scheme"] === "internet-facing";
  if (object.kind === "Service" && spec(object).type === "LoadBalancer") {
    const scheme = a["service.beta.kubernetes.io/aws-load-balancer-scheme"];
    if (scheme !== undefined) return scheme === "internet-facing";
    return a["service.beta.kubernetes.io/aws-load-balancer-internal"] !== "true";
  }
  return false;
}

/** Container images by a stable container path (`containers[api]`), anywhere in the object (Deployment, CronJob, Pod, ...). */
export function images(object: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(object)) {
    object.forEach((item, i) => images(item, `${prefix}[${i}]`).forEach((v, k) => out.set(k, v)));
  } else if (isPlainObject(object)) {
    for (const [key, value] of Object.entries(object)) {
      if ((key === "containers" || key === "initContainers" || key === "ephemeralContainers") && Array.isArray(value)) {
        for (const container of value) {
          if (isPlainObject(container) && typeof container.image === "string") out.set(`${key}[${String(container.name ?? "?")}]`, container.image);
        }
      } else if (key !== "metadata") {
        images(value, prefix ? `${prefix}.${key}` : key).forEach((v, k) => out.set(k, v));
      }
    }
  }
  return out;
}

function pdbReduced(base: Obj, head: Obj): string | undefined {
  const value = (v: unknown) => (typeof v === "number" ? { n: v, pct: false } : typeof v === "string" && /^\d+%$/.test(v) ? { n: Number(v.slice(0, -1)), pct: true } : undefined);
  const minB = value(base.minAvailable);
  const minH = value(head.minAvailable);
  if (minB && minH && minB.pct === minH.pct && minH.n < minB.n) return `PodDisruptionBudget minAvailable reduced ${String(base.minAvailable)} → ${String(head.minAvailable)}`;
  const maxB = value(base.maxUnavailable);
  const maxH = value(head.maxUnavailable);
  if (maxB && maxH && maxB.pct === maxH.pct && maxH.n > maxB.n) return `PodDisruptionBudget maxUnavailable raised ${String(base.maxUnavailable)} → ${String(head.maxUnavailable)}`;
  if ((minB && !minH && !maxH) || (maxB && !maxH && !minH)) return "PodDisruptionBudget no longer limits disruptions";
  if ((minB && maxH) || (maxB && minH) || (minB && minH && minB.pct !== minH.pct) || (maxB && maxH && maxB.pct !== maxH.pct)) {
    return `PodDisruptionBudget changed from ${JSON.stringify({ minAvailable: base.minAvailable, maxUnavailable: base.maxUnavailable })} to ${JSON.stringify({ minAvailable: head.minAvailable, maxUnavailable: head.maxUnavailable })}: check it still protects the app`;
  }
  return undefined;
}

/**
 * A policy is widened when the head allows a (direction, peer, port) the base did not, stops
 * isolating a direction, or selects different pods.
 */
function networkPolicyWidened(base: Obj, head: Obj): string | undefined {
  const reasons: string[] = [];
  const types = (s: Obj) => new Set(Array.isArray(s.policyTypes) ? (s.policyTypes as string[]) : s.egress ? ["Ingress", "Egress"] : ["Ingress"]);
  const tb = types(base);
  const th = types(head);
  for (const t of tb) if (!th.has(t)) reasons.push(`no longer isolates ${t.toLowerCase()}`);
  const pb = permissions(base);
  const added = [...permissions(head)].filter((p) => !pb.has(p)).sort(compare);
  if (added.length > 0) reasons.push(`allows ${added.join("; ")}`);
  if (JSON.stringify(canonical(base.podSelector)) !== JSON.stringify(canonical(head.podSelector))) reasons.push("selects different pods");
  return reasons.length ? `NetworkPolicy widened: ${reasons.join(", ")}` : undefined;
}

function permissions(s: Obj): Set<string> {
  const out = new Set<string>();
  for (const [direction, peersKey] of [["ingress", "from"], ["egress", "to"]] as const) {
    const rules = Array.isArray(s[direction]) ? (s[direction] as unknown[]) : [];
    for (const rule of rules.filter(isPlainObject)) {
      const peers = Array.isArray(rule[peersKey]) && (rule[peersKey] as unknown[]).length ? (rule[peersKey] as unknown[]) : ["any peer"];
      const ports = Array.isArray(rule.ports) && rule.ports.length ? rule.ports : ["any port"];
      for (const peer of peers) for (const port of ports) out.add(`${direction} ${describe(peer)} on ${describe(port)}`);
    }
  }
  return out;
}

function describe(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isPlainObject(value)) return Object.fromEntries(Object.keys(value).sort(compare).map((k) => [k, canonical(value[k])]));
  return value ?? null;
}
