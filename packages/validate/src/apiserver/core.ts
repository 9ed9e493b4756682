/**
 * Service, Secret, ConfigMap and Namespace rules of pkg/apis/core/validation/validation.go:
 * ValidateService (ports, type-specific fields, session affinity), ValidateSecret (keys, size,
 * per-type required keys), ValidateConfigMap (keys, size), ValidateNamespace (finalizers).
 */
import { dns1123SubdomainProblem, finalizerProblem, portNameProblem } from "../names";
import { arr, checkPortNumber, int, isCidr, obj, str, type Obj, type Sink } from "./util";

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_DATA_BYTES = 1024 * 1024;

export function checkCore(kind: string, o: Obj, sink: Sink): void {
  if (kind === "Service") service(o, sink);
  else if (kind === "Secret") secret(o, sink);
  else if (kind === "ConfigMap") configMap(o, sink);
  else if (kind === "Namespace") namespace(o, sink);
}

function service(o: Obj, sink: Sink): void {
  const spec = obj(o.spec);
  if (!spec) return;
  const type = str(spec.type) ?? "ClusterIP";
  const headless = spec.clusterIP === "None";
  const ports = arr(spec.ports);
  if (type === "ExternalName") {
    const en = str(spec.externalName);
    const p = en === undefined || en === "" ? "externalName is required for type ExternalName" : dns1123SubdomainProblem(en.replace(/\.$/, ""));
    if (p) sink.add("SW-SEM-SERVICE", ["spec", "externalName"], p);
    if (typeof spec.clusterIP === "string" && spec.clusterIP !== "") sink.add("SW-SEM-SERVICE", ["spec", "clusterIP"], "clusterIP may not be set for type ExternalName");
  } else if (ports.length === 0 && !headless) {
    sink.add("SW-SEM-SERVICE", ["spec", "ports"], "a Service needs at least one port (unless it is headless, clusterIP: None, or of type ExternalName)");
  }
  if (headless && (type === "NodePort" || type === "LoadBalancer")) sink.add("SW-SEM-SERVICE", ["spec", "clusterIP"], `clusterIP None (headless) is not allowed for type ${type}`);
  ports.forEach((p, i) => {
    const port = obj(p);
    if (!port) return;
    checkPortNumber(port.port, () => ["spec", "ports", i, "port"], sink);
    if (typeof port.targetPort === "number") checkPortNumber(port.targetPort, () => ["spec", "ports", i, "targetPort"], sink, "targetPort");
    else if (typeof port.targetPort === "string" && !/^\d+$/.test(port.targetPort)) {
      const pp = portNameProblem(port.targetPort);
      if (pp) sink.add("SW-SEM-PORTNAME", ["spec", "ports", i, "targetPort"], pp);
    }
    if (port.nodePort !== undefined && port.nodePort !== null && int(port.nodePort) !== 0) {
      if (type === "ClusterIP" || type === "ExternalName") sink.add("SW-SEM-SERVICE", ["spec", "ports", i, "nodePort"], `nodePort may not be set for type ${type}`);
      else checkPortNumber(port.nodePort, () => ["spec", "ports", i, "nodePort"], sink, "nodePort");
    }
  });
  const nodeTypes = type === "NodePort" || type === "LoadBalancer";
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== null && !nodeTypes && arr(spec.externalIPs).length === 0) {
    sink.add("SW-SEM-SERVICE", ["spec", "externalTrafficPolicy"], `externalTrafficPolicy may be set only for type NodePort or LoadBalancer (or with externalIPs), not ${type}`);
  }
  if (spec.healthCheckNodePort !== undefined && spec.healthCheckNodePort !== null && !(type === "LoadBalancer" && spec.externalTrafficPolicy === "Local")) {
    sink.add("SW-SEM-SERVICE", ["spec", "healthCheckNodePort"], "healthCheckNodePort may be set only for type LoadBalancer with externalTrafficPolicy Local");
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== "LoadBalancer") sink.add("SW-SEM-SERVICE", ["spec", "allocateLoadBalancerNodePorts"], "allocateLoadBalancerNodePorts may be set only for type LoadBalancer");
  if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass !== null && type !== "LoadBalancer") sink.add("SW-SEM-SERVICE", ["spec", "loadBalancerClass"], "loadBalancerClass may be set only for type LoadBalancer");
  arr(spec.loadBalancerSourceRanges).forEach((r, i) => {
    if (typeof r === "string" && !isCidr(r.trim())) sink.add("SW-SEM-SERVICE", ["spec", "loadBalancerSourceRanges", i], `"${r}" is not a CIDR`);
  });
  const timeout = int(obj(obj(spec.sessionAffinityConfig)?.clientIP)?.timeoutSeconds);
  if (timeout !== undefined && (timeout < 1 || timeout > 86400)) sink.add("SW-SEM-SERVICE", ["spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"], `timeoutSeconds ${timeout} is outside 1–86400`);
  if (spec.sessionAffinityConfig !== undefined && spec.sessionAffinityConfig !== null && spec.sessionAffinity !== "ClientIP") sink.add("SW-SEM-SERVICE", ["spec", "sessionAffinityConfig"], "sessionAffinityConfig may be set only with sessionAffinity: ClientIP");
}

function checkKeys(data: unknown, field: string, sink: Sink, seen: Map<string, string>): number {
  const d = obj(data);
  if (!d) return 0;
  let size = 0;
  for (const k in d) {
    if (!Object.prototype.hasOwnProperty.call(d, k)) continue;
    if (k.length > 253 || !CONFIG_KEY.test(k) || k === "." || k === "..") sink.add("SW-SEM-CONFIG-KEY", [field, k], `key "${k}" must be letters, digits, '-', '_' or '.' (not "." or ".."), at most 253 characters`);
    const other = seen.get(k);
    if (other !== undefined) sink.add("SW-SEM-CONFIG-KEY", [field, k], `key "${k}" is also in ${other}`);
    seen.set(k, field);
    const v = d[k];
    if (typeof v === "string") size += Buffer.byteLength(v);
  }
  return size;
}

function configMap(o: Obj, sink: Sink): void {
  const seen = new Map<string, string>();
  const size = checkKeys(o.data, "data", sink, seen) + checkKeys(o.binaryData, "binaryData", sink, seen) * 0.75;
  if (size > MAX_DATA_BYTES) sink.add("SW-SEM-CONFIG-KEY", ["data"], `data totals ${Math.round(size)} bytes; a ConfigMap holds at most 1 MiB`);
}

/** Keys each built-in Secret type requires (ValidateSecret). */
const SECRET_KEYS: Record<string, readonly string[]> = {
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
};

function secret(o: Obj, sink: Sink): void {
  const seen = new Map<string, string>();
  const size = checkKeys(o.data, "data", sink, seen) * 0.75 + checkKeys(o.stringData, "stringData", sink, seen);
  if (size > MAX_DATA_BYTES) sink.add("SW-SEM-CONFIG-KEY", ["data"], `data totals about ${Math.round(size)} bytes; a Secret holds at most 1 MiB`);
  const type = str(o.type);
  if (type === undefined) return;
  const has = (k: string): boolean => seen.has(k);
  const need = SECRET_KEYS[type];
  for (const k of need ?? []) if (!has(k)) sink.add("SW-SEM-SECRET-TYPE", ["data"], `a Secret of type ${type} needs the key "${k}"`);
  if (type === "kubernetes.io/basic-auth" && !has("username") && !has("password")) sink.add("SW-SEM-SECRET-TYPE", ["data"], "a Secret of type kubernetes.io/basic-auth needs \"username\" or \"password\"");
  if (type === "kubernetes.io/service-account-token" && typeof obj(obj(o.metadata)?.annotations)?.["kubernetes.io/service-account.name"] !== "string") {
    sink.add("SW-SEM-SECRET-TYPE", ["metadata", "annotations"], 'a Secret of type kubernetes.io/service-account-token needs the annotation "kubernetes.io/service-account.name"');
  }
}

function namespace(o: Obj, sink: Sink): void {
  checkFinalizers(obj(o.spec)?.finalizers, ["spec", "finalizers"], sink);
}

/** validateFinalizerName, for a Namespace's spec.finalizers and every built-in object's metadata.finalizers. */
export function checkFinalizers(list: unknown, at: readonly (string | number)[], sink: Sink): void {
  arr(list).forEach((f, i) => {
    if (typeof f !== "string") return;
    const p = finalizerProblem(f);
    if (p) sink.add("SW-SEM-NAME", [...at, i], p);
  });
}
