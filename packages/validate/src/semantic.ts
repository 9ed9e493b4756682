/**
 * Checks the API server makes and a JSON schema cannot express: name syntax, label and
 * annotation syntax, port names, duplicate list names, selectors that match their own
 * template, requests ≤ limits, namespace on cluster-scoped kinds.
 */
import { dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem, portNameProblem, qualifiedNameProblem } from "./names";
import { asArr, asObj, containersOf, isObj, podTemplateOf, selectorMatches, str, type Obj, type PodTemplate } from "./objects";
import type { PathSeg } from "./path";
import { checkApiServer } from "./apiserver/index";
import { SCHEMA_MINOR } from "./lifecycle";
import { parseQuantity } from "./quantity";

export interface Sink {
  add(rule: string, path: readonly PathSeg[], message: string, hint?: string): void;
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Kinds whose names are path segments rather than DNS names. */
const PATH_SEGMENT_NAMES = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);
const LABEL_NAMED = new Set(["Namespace"]);
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** `t`: the object's pod template (`podTemplateOf(o)`), computed once per object by the caller. */
export function checkSemantics(o: Obj, namespaced: boolean | undefined, sink: Sink, t: PodTemplate | undefined = podTemplateOf(o), minor = SCHEMA_MINOR): void {
  const kind = str(o.kind) ?? "";
  const meta = asObj(o.metadata);
  const name = meta.name;
  if (typeof name === "string") {
    let p: string | undefined;
    if (kind === "Service") {
      if (name.length > 63 || !DNS1035_LABEL.test(name)) p = `"${name}" is not a DNS-1035 label (Service names start with a letter; lower-case alphanumerics and '-', at most 63)`;
    } else if (LABEL_NAMED.has(kind)) p = dns1123LabelProblem(name);
    else if (PATH_SEGMENT_NAMES.has(kind)) p = /[/%]/.test(name) || name === "." || name === ".." ? `"${name}" may not contain '/' or '%'` : undefined;
    else p = dns1123SubdomainProblem(name);
    if (p) sink.add("SW-SEM-NAME", ["metadata", "name"], p);
  } else if (name === undefined && meta.generateName === undefined && o.kind !== undefined) {
    sink.add("SW-SCHEMA-REQUIRED", ["metadata", "name"], "metadata.name is missing");
  }
  if (typeof meta.namespace === "string") {
    if (namespaced === false) sink.add("SW-SEM-SCOPE", ["metadata", "namespace"], `${kind} is cluster-scoped; metadata.namespace "${meta.namespace}" is ignored or rejected`);
    const p = dns1123LabelProblem(meta.namespace);
    if (p) sink.add("SW-SEM-NAME", ["metadata", "namespace"], p);
  }
  checkLabels(meta.labels, ["metadata", "labels"], sink);
  checkAnnotations(meta.annotations, ["metadata", "annotations"], sink);

  if (t) {
    if (t.metaPath[0] !== "metadata") {
      const tm = asObj(asObj(o.spec).template).metadata;
      if (kind !== "CronJob") {
        checkLabels(asObj(tm).labels, [...t.metaPath, "labels"], sink);
        checkAnnotations(asObj(tm).annotations, [...t.metaPath, "annotations"], sink);
      }
    }
    checkPodSpec(t.spec, t.specPath, containersOf(t), sink);
    if (kind === "Deployment" || kind === "ReplicaSet" || kind === "StatefulSet" || kind === "DaemonSet") {
      const selector = asObj(o.spec).selector;
      if (isObj(selector) && !selectorMatches(selector, t.labels)) {
        const missing = Object.entries(asObj(selector.matchLabels)).filter(([k, v]) => t.labels[k] !== v).map(([k, v]) => `${k}=${String(v)}`);
        sink.add("SW-SEM-SELECTOR", ["spec", "selector"], `selector does not match the pod template's labels${missing.length ? ` (missing ${missing.join(", ")})` : ""}; the API server rejects this`);
      }
    }
  }
  if (kind === "Service") checkServicePorts(asObj(o.spec), sink);
  checkApiServer(o, kind, minor, t, sink);
}

export function checkLabels(labels: unknown, path: PathSeg[], sink: Sink): void {
  if (!isObj(labels)) return;
  for (const k in labels) {
    if (!Object.prototype.hasOwnProperty.call(labels, k)) continue;
    const p = qualifiedNameProblem(k) ?? labelValueProblem(labels[k]);
    if (p) sink.add("SW-SEM-LABEL", [...path, k], p);
  }
}

function checkAnnotations(ann: unknown, path: PathSeg[], sink: Sink): void {
  if (!isObj(ann)) return;
  let size = 0;
  for (const k in ann) {
    if (!Object.prototype.hasOwnProperty.call(ann, k)) continue;
    const v = ann[k];
    size += k.length + (typeof v === "string" ? Buffer.byteLength(v) : 0);
    const p = qualifiedNameProblem(k);
    if (p) sink.add("SW-SEM-ANNOTATION", [...path, k], p.replace(/^key/, "annotation key"));
  }
  if (size > MAX_ANNOTATIONS_BYTES) sink.add("SW-SEM-ANNOTATION", path, `annotations total ${size} bytes; the limit is 256 KiB`);
}

/** Repeated keys in `prefix.listField[]` (the path is built only for a finding). */
function duplicates(list: unknown[], key: (x: Obj) => string | undefined, prefix: readonly PathSeg[], listField: string, field: string, what: string, sink: Sink): void {
  if (list.length < 2) return; // nothing to repeat
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    if (!isObj(item)) return;
    const k = key(item);
    if (k === undefined) return;
    const first = seen.get(k);
    if (first !== undefined) sink.add("SW-SEM-DUPNAME", [...prefix, listField, i, field], `duplicate ${what} "${k}" (first at index ${first})`);
    else seen.set(k, i);
  });
}

function checkPodSpec(spec: Obj, specPath: readonly PathSeg[], containers: ReturnType<typeof containersOf>, sink: Sink): void {
  const names = new Map<string, readonly PathSeg[]>();
  const portNames = new Map<string, readonly PathSeg[]>();
  for (const { c, path } of containers) {
    const n = str(c.name);
    if (n !== undefined) {
      if (names.has(n)) sink.add("SW-SEM-DUPNAME", [...path, "name"], `duplicate container name "${n}"`);
      else names.set(n, path);
      const p = dns1123LabelProblem(n);
      if (p) sink.add("SW-SEM-NAME", [...path, "name"], `container name ${p}`);
    }
    const ports = asArr(c.ports);
    ports.forEach((port, i) => {
      const pn = str(asObj(port).name);
      if (pn === undefined) return;
      const pp = portNameProblem(pn);
      if (pp) sink.add("SW-SEM-PORTNAME", [...path, "ports", i, "name"], pp);
      if (portNames.has(pn)) sink.add("SW-SEM-DUPNAME", [...path, "ports", i, "name"], `duplicate port name "${pn}" in the pod`);
      else portNames.set(pn, path);
    });
    duplicates(ports, (p) => (p.containerPort !== undefined ? `${String(p.containerPort)}/${str(p.protocol) ?? "TCP"}` : undefined), path, "ports", "containerPort", "containerPort/protocol", sink);
    duplicates(asArr(c.env), (e) => str(e.name), path, "env", "name", "env var", sink);
    duplicates(asArr(c.volumeMounts), (m) => str(m.mountPath), path, "volumeMounts", "mountPath", "mountPath", sink);
    checkRequestsWithinLimits(asObj(c.resources), path, sink);
  }
  duplicates(asArr(spec.volumes), (v) => str(v.name), specPath, "volumes", "name", "volume name", sink);
}

/** `containerPath`: the container's path (findings are under its `resources`). */
function checkRequestsWithinLimits(res: Obj, containerPath: readonly PathSeg[], sink: Sink): void {
  const req = asObj(res.requests);
  const lim = asObj(res.limits);
  for (const k in req) {
    if (!Object.prototype.hasOwnProperty.call(req, k)) continue;
    const v = req[k];
    if (lim[k] === undefined) continue;
    const r = parseQuantity(v as string | number);
    const l = parseQuantity(lim[k] as string | number);
    if (r && l && r.value > l.value * (1 + 1e-12)) sink.add("SW-SEM-RESOURCES", [...containerPath, "resources", "requests", k], `request ${k}: ${String(v)} exceeds limit ${String(lim[k])}`);
  }
}

function checkServicePorts(spec: Obj, sink: Sink): void {
  const ports = asArr(spec.ports);
  ports.forEach((p, i) => {
    const port = asObj(p);
    const n = str(port.name);
    if (n !== undefined) {
      // A Service port's name is a DNS-1123 label (ValidateService); the IANA rule is for container ports.
      const pp = dns1123LabelProblem(n);
      if (pp) sink.add("SW-SEM-PORTNAME", ["spec", "ports", i, "name"], `Service port name ${pp}`);
    } else if (ports.length > 1) {
      sink.add("SW-SCHEMA-REQUIRED", ["spec", "ports", i, "name"], "ports of a multi-port Service must be named");
    }
  });
  duplicates(ports, (p) => str(p.name), ["spec"], "ports", "name", "port name", sink);
  duplicates(ports, (p) => (p.port !== undefined ? `${String(p.port)}/${str(p.protocol) ?? "TCP"}` : undefined), ["spec"], "ports", "port", "port/protocol", sink);
}
