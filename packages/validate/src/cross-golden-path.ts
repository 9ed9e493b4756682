/**
 * Cross-object checks of the production golden path, over one cluster's set of objects:
 *
 * - SW-X-ALB-SHUTDOWN: pods behind an ALB with `target-type: ip` live in a namespace labelled
 *   `elbv2.k8s.aws/pod-readiness-gate-inject: enabled` (AWS Load Balancer Controller v2.13: its pod
 *   webhook adds the target-health readiness gate only there), and their grace period is above
 *   the preStop sleep plus the target group's deregistration delay
 *   (`alb.ingress.kubernetes.io/target-group-attributes: deregistration_delay.timeout_seconds=N`
 *   on the Service or the Ingress; the ALB's own default is 300 s). Otherwise the kubelet kills the
 *   pod while the ALB still sends it requests.
 * - SW-X-NODEPOOL: a tenant pod's nodeSelector can be met by some Karpenter NodePool of the set
 *   (its template labels, or its requirements), whose taints the pod tolerates; each toleration
 *   of a specific taint matches a taint some NodePool has. Without NodePools (managed node groups),
 *   only well-known node labels may be selected and no Karpenter label.
 * - SW-X-STORAGECLASS: a PersistentVolumeClaim's or volumeClaimTemplate's StorageClass exists in the
 *   set (or, unnamed, a default class does) and encrypts its volumes (EBS: `parameters.encrypted: "true"`).
 * - SW-X-REFERENCE (one more reference): a pod's priorityClassName names a PriorityClass of the set
 *   or a built-in one (`system-cluster-critical`, `system-node-critical`).
 */
import { Labels } from "./conventions";
import type { CrossItem } from "./cross";
import { asArr, asObj, isObj, str, type Obj, type PodTemplate } from "./objects";
import type { PathSeg } from "./path";

export const READINESS_GATE_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject";
const TARGET_GROUP_ATTRIBUTES = "alb.ingress.kubernetes.io/target-group-attributes";
/** The ALB target group's deregistration delay when nothing sets it. */
const ALB_DEFAULT_DEREGISTRATION_SECONDS = 300;
const DEFAULT_GRACE_SECONDS = 30;
const BUILT_IN_PRIORITY_CLASSES = new Set(["system-cluster-critical", "system-node-critical"]);
/** Labels every node has whatever provisions it (kubelet and cloud provider). */
const WELL_KNOWN_NODE_LABELS = new Set(["kubernetes.io/arch", "kubernetes.io/os", "kubernetes.io/hostname", "topology.kubernetes.io/zone", "topology.kubernetes.io/region", "node.kubernetes.io/instance-type"]);
const EBS_PROVISIONERS = new Set(["ebs.csi.aws.com", "kubernetes.io/aws-ebs"]);

export interface WorkloadRef {
  readonly item: CrossItem;
  readonly t: PodTemplate;
  readonly ns: string;
}

export interface GoldenPathIndex {
  /** Workloads of `ns` a Service selector selects. */
  readonly selectedBy: (ns: string, selector: Readonly<Record<string, unknown>>) => readonly WorkloadRef[];
  readonly workloads: readonly WorkloadRef[];
  readonly namespaceLabels: ReadonlyMap<string, Obj>;
}

const nameOf = (o: Obj): string => str(asObj(o.metadata).name) ?? "";
const nsOf = (o: Obj): string => str(asObj(o.metadata).namespace) ?? "default";
const annotationsOf = (o: Obj): Obj => asObj(asObj(o.metadata).annotations);

export function checkGoldenPathCross(items: readonly CrossItem[], index: GoldenPathIndex): void {
  checkAlbShutdown(items, index);
  checkNodePools(items, index);
  checkStorageClasses(items);
  checkPriorityClasses(items, index);
}

/** `deregistration_delay.timeout_seconds=N` from a target-group-attributes annotation. */
function deregistrationDelay(annotations: Obj): number | undefined {
  const attrs = str(annotations[TARGET_GROUP_ATTRIBUTES]);
  const match = attrs?.split(",").map((a) => a.trim()).find((a) => a.startsWith("deregistration_delay.timeout_seconds="));
  return match === undefined ? undefined : Number(match.split("=")[1]);
}

function preStopSleep(t: PodTemplate): number {
  let longest = 0;
  for (const c of asArr(t.spec.containers)) {
    const seconds = asObj(asObj(asObj(asObj(c).lifecycle).preStop).sleep).seconds;
    if (typeof seconds === "number" && seconds > longest) longest = seconds;
  }
  return longest;
}

function checkAlbShutdown(items: readonly CrossItem[], index: GoldenPathIndex): void {
  const services = new Map<string, Obj>();
  for (const it of items) if (it.obj.kind === "Service") services.set(`${nsOf(it.obj)}/${nameOf(it.obj)}`, it.obj);
  for (const it of items) {
    const o = it.obj;
    if (o.kind !== "Ingress" || str(annotationsOf(o)["alb.ingress.kubernetes.io/target-type"]) !== "ip") continue;
    const ns = nsOf(o);
    const nsLabels = index.namespaceLabels.get(ns);
    if (nsLabels && nsLabels[READINESS_GATE_LABEL] !== "enabled") {
      it.sink.add("SW-X-ALB-SHUTDOWN", ["metadata", "namespace"], `namespace ${ns} routes ALB traffic straight to pods (target-type ip) but is not labelled ${READINESS_GATE_LABEL}: enabled, so a rollout does not wait for new pods to be healthy in the target group`);
    }
    const backends = asArr(asObj(o.spec).rules).flatMap((r) => asArr(asObj(asObj(r).http).paths).map((p) => str(asObj(asObj(asObj(p).backend).service).name)));
    const seen = new Set<WorkloadRef>();
    for (const name of new Set(backends)) {
      const svc = name === undefined ? undefined : services.get(`${ns}/${name}`);
      if (!svc || !isObj(asObj(svc.spec).selector)) continue;
      const explicit = deregistrationDelay(annotationsOf(svc)) ?? deregistrationDelay(annotationsOf(o));
      const delay = explicit ?? ALB_DEFAULT_DEREGISTRATION_SECONDS;
      for (const w of index.selectedBy(ns, asObj(asObj(svc.spec).selector))) {
        if (seen.has(w)) continue;
        seen.add(w);
        const grace = typeof w.t.spec.terminationGracePeriodSeconds === "number" ? w.t.spec.terminationGracePeriodSeconds : DEFAULT_GRACE_SECONDS;
        const sleep = preStopSleep(w.t);
        if (grace <= sleep + delay) {
          w.item.sink.add("SW-X-ALB-SHUTDOWN", [...w.t.specPath, "terminationGracePeriodSeconds"], `grace period ${grace}s is not above the preStop sleep (${sleep}s) plus the target group's deregistration delay (${delay}s${explicit === undefined ? ", the ALB default" : ""}) of Ingress ${ns}/${nameOf(o)}: pods are killed while the ALB still sends them requests`);
        }
      }
    }
  }
}

interface Pool {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Requirement key → allowed values (`undefined`: any value, `Exists`). */
  readonly requirements: ReadonlyMap<string, readonly string[] | undefined>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
}

function nodePools(items: readonly CrossItem[]): Pool[] {
  return items
    .filter((it) => it.obj.kind === "NodePool" && String(it.obj.apiVersion ?? "").startsWith("karpenter.sh/"))
    .map((it) => {
      const template = asObj(asObj(it.obj.spec).template);
      const requirements = new Map<string, readonly string[] | undefined>();
      for (const r of asArr(asObj(template.spec).requirements).map(asObj)) {
        const key = str(r.key);
        if (!key) continue;
        if (r.operator === "In") requirements.set(key, asArr(r.values).map(String));
        else if (r.operator === "Exists") requirements.set(key, undefined);
      }
      const labels = Object.fromEntries(Object.entries(asObj(asObj(template.metadata).labels)).map(([k, v]) => [k, String(v)]));
      const taints = asArr(asObj(template.spec).taints).map(asObj).map((t) => ({ key: str(t.key) ?? "", value: str(t.value), effect: str(t.effect) ?? "" }));
      return { name: nameOf(it.obj), labels, requirements, taints };
    });
}

type Toleration = { key?: string; operator?: string; value?: string; effect?: string };

function tolerates(tolerations: readonly Toleration[], taint: Pool["taints"][number]): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key === undefined || t.key === "") return t.operator === "Exists";
    if (t.key !== taint.key) return false;
    return t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "");
  });
}

/** Why `pool` cannot host a pod with this nodeSelector and these tolerations, or undefined if it can. */
function poolMismatch(pool: Pool, selector: Readonly<Record<string, string>>, tolerations: readonly Toleration[]): string | undefined {
  for (const [key, value] of Object.entries(selector)) {
    if (pool.labels[key] !== undefined) {
      if (pool.labels[key] !== value) return `${key}=${pool.labels[key]}`;
      continue;
    }
    if (pool.requirements.has(key)) {
      const allowed = pool.requirements.get(key);
      if (allowed && !allowed.includes(value)) return `${key} in [${allowed.join(", ")}]`;
      continue;
    }
    if (!WELL_KNOWN_NODE_LABELS.has(key)) return `no label ${key}`;
  }
  const untolerated = pool.taints.find((t) => !tolerates(tolerations, t));
  return untolerated ? `taint ${untolerated.key}${untolerated.value ? `=${untolerated.value}` : ""}:${untolerated.effect} not tolerated` : undefined;
}

function checkNodePools(items: readonly CrossItem[], index: GoldenPathIndex): void {
  const pools = nodePools(items);
  for (const w of index.workloads) {
    if (str(asObj(asObj(w.item.obj.metadata).labels)[Labels.tenant]) === undefined) continue;
    const spec = w.t.spec;
    const selector = Object.fromEntries(Object.entries(asObj(spec.nodeSelector)).map(([k, v]) => [k, String(v)]));
    const tolerations = asArr(spec.tolerations).map((t) => asObj(t) as Toleration);
    if (pools.length === 0) {
      const karpenterKey = Object.keys(selector).find((k) => k.startsWith("karpenter.sh/") || k.startsWith("karpenter.k8s.aws/"));
      if (karpenterKey) w.item.sink.add("SW-X-NODEPOOL", [...w.t.specPath, "nodeSelector", karpenterKey], `nodeSelector ${karpenterKey} is a Karpenter label, but this cluster has no Karpenter NodePool: no node carries it`);
    } else if (Object.keys(selector).length > 0 || tolerations.length > 0) {
      const reasons = pools.map((p) => [p.name, poolMismatch(p, selector, tolerations)] as const);
      if (reasons.every(([, why]) => why !== undefined)) {
        w.item.sink.add("SW-X-NODEPOOL", [...w.t.specPath, "nodeSelector"], `no NodePool can run these pods: ${reasons.map(([name, why]) => `${name} (${why})`).join("; ")}`);
      }
    }
    tolerations.forEach((t, i) => {
      if (!t.key) return;
      const matched = pools.some((p) => p.taints.some((taint) => taint.key === t.key && (!t.effect || t.effect === taint.effect) && (t.operator === "Exists" || (t.value ?? "") === (taint.value ?? ""))));
      if (!matched) {
        w.item.sink.add("SW-X-NODEPOOL", [...w.t.specPath, "tolerations", i], `toleration of ${t.key}${t.value ? `=${t.value}` : ""} matches no taint of a NodePool on this cluster (${pools.map((p) => p.name).join(", ") || "none"})`);
      }
    });
  }
}

function checkStorageClasses(items: readonly CrossItem[]): void {
  const classes = new Map<string, Obj>();
  for (const it of items) if (it.obj.kind === "StorageClass") classes.set(nameOf(it.obj), it.obj);
  const defaultClass = [...classes.values()].find((c) => annotationsOf(c)["storageclass.kubernetes.io/is-default-class"] === "true");
  const check = (it: CrossItem, spec: Obj, path: PathSeg[], what: string) => {
    const named = str(spec.storageClassName);
    if (named === "") return; // explicitly no class: a pre-bound volume
    const sc = named === undefined ? defaultClass : classes.get(named);
    if (!sc) {
      it.sink.add("SW-X-STORAGECLASS", named === undefined ? path : [...path, "storageClassName"], named === undefined ? `${what} names no StorageClass and the cluster has no default one` : `${what} names StorageClass ${named}, which does not exist on this cluster (${[...classes.keys()].join(", ") || "none"})`);
      return;
    }
    const provisioner = str(sc.provisioner) ?? "";
    const encrypted = asObj(sc.parameters).encrypted;
    if (!EBS_PROVISIONERS.has(provisioner)) {
      it.sink.add("SW-X-STORAGECLASS", [...path, "storageClassName"], `${what} uses StorageClass ${nameOf(sc)} (provisioner ${provisioner}), whose encryption validate cannot confirm`);
    } else if (encrypted !== "true" && encrypted !== true) {
      it.sink.add("SW-X-STORAGECLASS", [...path, "storageClassName"], `${what} uses StorageClass ${nameOf(sc)}, which does not encrypt its volumes (parameters.encrypted is ${encrypted === undefined ? "not set" : JSON.stringify(encrypted)})`);
    }
  };
  for (const it of items) {
    if (it.obj.kind === "PersistentVolumeClaim") check(it, asObj(it.obj.spec), ["spec"], `claim ${nameOf(it.obj)}`);
    if (it.obj.kind === "StatefulSet") {
      asArr(asObj(it.obj.spec).volumeClaimTemplates).forEach((t, i) => check(it, asObj(asObj(t).spec), ["spec", "volumeClaimTemplates", i, "spec"], `volumeClaimTemplate ${nameOf(asObj(t))}`));
    }
  }
}

function checkPriorityClasses(items: readonly CrossItem[], index: GoldenPathIndex): void {
  const classes = new Set(items.filter((it) => it.obj.kind === "PriorityClass").map((it) => nameOf(it.obj)));
  for (const w of index.workloads) {
    const name = str(w.t.spec.priorityClassName);
    if (name === undefined || BUILT_IN_PRIORITY_CLASSES.has(name) || classes.has(name)) continue;
    w.item.sink.add("SW-X-REFERENCE", [...w.t.specPath, "priorityClassName"], `PriorityClass ${name} does not exist (the API server refuses pods that name a missing one)`);
  }
}
