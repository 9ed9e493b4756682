/**
 * Shared views of Kubernetes objects: the pod template inside each workload kind, its
 * containers with their paths, label selectors, and the object's identity.
 */
import type { PathSeg } from "./path";

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
export const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export interface PodTemplate {
  /** Path of the pod spec inside the object. */
  readonly specPath: readonly PathSeg[];
  readonly spec: Obj;
  /** Path of the pod template's metadata (absent for a bare Pod: the object's own metadata). */
  readonly metaPath: readonly PathSeg[];
  readonly labels: Readonly<Record<string, unknown>>;
  /** `containersOf` of this template, once asked (a template is made per object and run). */
  containerRefs?: ContainerRef[];
}

const TEMPLATE_KINDS = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController", "PodTemplate"]);

export function podTemplateOf(o: Obj): PodTemplate | undefined {
  const kind = o.kind;
  if (kind === "Pod") {
    return { specPath: ["spec"], spec: asObj(o.spec), metaPath: ["metadata"], labels: asObj(asObj(o.metadata).labels) };
  }
  if (kind === "CronJob") {
    const t = asObj(asObj(asObj(asObj(o.spec).jobTemplate).spec).template);
    return { specPath: ["spec", "jobTemplate", "spec", "template", "spec"], spec: asObj(t.spec), metaPath: ["spec", "jobTemplate", "spec", "template", "metadata"], labels: asObj(asObj(t.metadata).labels) };
  }
  if (typeof kind === "string" && TEMPLATE_KINDS.has(kind)) {
    const t = kind === "PodTemplate" ? asObj(o.template) : asObj(asObj(o.spec).template);
    const base: PathSeg[] = kind === "PodTemplate" ? ["template"] : ["spec", "template"];
    return { specPath: [...base, "spec"], spec: asObj(t.spec), metaPath: [...base, "metadata"], labels: asObj(asObj(t.metadata).labels) };
  }
  return undefined;
}

export interface ContainerRef {
  readonly c: Obj;
  readonly path: readonly PathSeg[];
  readonly init: boolean;
  /** Init containers with restartPolicy Always run for the pod's life (sidecars). */
  readonly sidecar: boolean;
}

export function containersOf(t: PodTemplate): ContainerRef[] {
  if (t.containerRefs !== undefined) return t.containerRefs;
  const out: ContainerRef[] = [];
  t.containerRefs = out;
  for (const field of ["containers", "initContainers", "ephemeralContainers"] as const) {
    asArr(t.spec[field]).forEach((c, i) => {
      if (!isObj(c)) return;
      out.push({ c, path: [...t.specPath, field, i], init: field !== "containers", sidecar: field === "initContainers" && c.restartPolicy === "Always" });
    });
  }
  return out;
}

/** Does a LabelSelector (matchLabels + matchExpressions) select `labels`? An empty selector selects everything. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
  if (!isObj(selector)) return true;
  const ml = selector.matchLabels;
  if (isObj(ml)) {
    for (const k in ml) if (Object.prototype.hasOwnProperty.call(ml, k) && labels[k] !== ml[k]) return false;
  }
  const exprs = selector.matchExpressions;
  if (!Array.isArray(exprs)) return true;
  for (const e of exprs) {
    const ex = asObj(e);
    const key = str(ex.key) ?? "";
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const val = has ? String(labels[key]) : undefined;
    switch (ex.operator) {
      case "In":
        if (val === undefined || !includesString(ex.values, val)) return false;
        break;
      case "NotIn":
        if (val !== undefined && includesString(ex.values, val)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** `asArr(values).map(String).includes(val)`, without the copies. */
function includesString(values: unknown, val: string): boolean {
  if (!Array.isArray(values)) return false;
  for (const v of values) if (String(v) === val) return true;
  return false;
}

/** A Service-style selector (plain map) selects `labels`. */
export function mapSelects(selector: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, unknown>>): boolean {
  for (const k in selector) if (Object.prototype.hasOwnProperty.call(selector, k) && labels[k] !== selector[k]) return false;
  return true;
}

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf("/");
  return i < 0 ? "" : apiVersion.slice(0, i);
}
