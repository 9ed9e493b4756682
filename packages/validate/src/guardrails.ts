/**
 * The platform's guardrails. Each finding names a rule of `rules.ts`; its severity comes
 * from the environment's policy (strict → error, relaxed → warning), and an
 * `exempt.slipway.dev/<RULE-ID>: <reason>` annotation on the object suppresses it
 * (validate.ts applies both).
 */
import { credentialEnvLiteral, credentialLiteral } from "@slipway/core";
import { checkBatchGuardrails } from "./batch-guardrails";
import { Annotations, Labels } from "./conventions";
import { asArr, asObj, containersOf, isObj, podTemplateOf, selectorMatches, str, type Obj, type PodTemplate } from "./objects";
import type { PathSeg } from "./path";
import type { Sink } from "./semantic";
import { checkStorageClass } from "./storage-class";
import type { GuardrailPolicy } from "./types";

const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd|dockershim)\.sock$|^\/(var\/)?run\/?$|^\/(var\/)?run\/(containerd|crio|docker)(\/|$)|^\/var\/lib\/(docker|containerd)(\/|$)/;
const ALLOWED_ADD_CAPS = new Set(["NET_BIND_SERVICE"]);
const REPLICATED = new Set(["Deployment", "StatefulSet"]);

export function imageParts(image: string): { registry: string; tag?: string; digest?: string } {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const ref = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  const tag = colon > lastSlash ? ref.slice(colon + 1) : undefined;
  const firstSlash = ref.indexOf("/");
  const first = firstSlash < 0 ? ref : ref.slice(0, firstSlash);
  const registry = ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
  return { registry, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}`);
}

export function trustedImage(image: string, registries: readonly string[]): boolean {
  return registries.some((r) => (r.includes("*") ? globToRegExp(r).test(image) : image.startsWith(r)));
}

/** Per-object guardrails. */
/** `t`: the object's pod template (`podTemplateOf(o)`), computed once per object by the caller. */
export function checkGuardrails(o: Obj, namespaced: boolean | undefined, policy: GuardrailPolicy, sink: Sink, t: PodTemplate | undefined = podTemplateOf(o)): void {
  const kind = str(o.kind) ?? "";
  const meta = asObj(o.metadata);
  const labels = asObj(meta.labels);
  const ann = asObj(meta.annotations);

  if (namespaced !== false) {
    const ns = str(meta.namespace);
    if (ns === undefined || ns === "default") {
      sink.add("SW-GR-DEFAULT-NAMESPACE", ns === undefined ? ["metadata"] : ["metadata", "namespace"], ns === undefined ? "no metadata.namespace: the object lands in whatever namespace kubectl or Argo CD defaults to" : "object in the default namespace");
    }
  }
  const owner = labels[Labels.tenant] ?? labels[Labels.addon] ?? (policy.platform ? labels[Labels.partOf] : undefined);
  if (typeof owner !== "string" || owner === "") {
    sink.add("SW-GR-OWNER-LABEL", ["metadata", "labels"], `missing owner label ${Labels.tenant}${policy.platform ? ` (or ${Labels.addon} / ${Labels.partOf})` : ` (or ${Labels.addon} for add-ons)`}`);
  }

  if (kind === "Secret") {
    const data = asObj(o.data);
    const stringData = asObj(o.stringData);
    if (Object.keys(data).length > 0 || Object.keys(stringData).length > 0) {
      sink.add("SW-GR-SECRET-DATA", Object.keys(data).length > 0 ? ["data"] : ["stringData"], "Secret with data committed to git; secrets come from AWS Secrets Manager via external-secrets");
    }
  }
  if (kind === "ConfigMap") {
    // ConfigMaps are plain text in git and readable by every tenant role: a credential there is leaked.
    for (const [key, value] of Object.entries(asObj(o.data))) {
      const reason = typeof value === "string" ? credentialLiteral(value) : undefined;
      if (reason) sink.add("SW-GR-CONFIG-CREDENTIAL", ["data", key], `ConfigMap key ${key} holds a literal that looks like a credential: ${reason}`);
    }
  }
  if (kind === "ExternalSecret" && labels[Labels.tenant] !== undefined) {
    const ref = asObj(asObj(o.spec).secretStoreRef);
    if (str(ref.kind) === "ClusterSecretStore") {
      sink.add("SW-GR-SHARED-SECRET-STORE", ["spec", "secretStoreRef", "kind"], `a tenant's ExternalSecret reads through ClusterSecretStore ${str(ref.name) ?? "?"}, which serves every namespace with one role`);
    }
  }
  if (kind === "Service") checkService(o, ann, sink);
  if (kind === "StorageClass") checkStorageClass(o, sink);
  if (kind === "Ingress") {
    if (ann["alb.ingress.kubernetes.io/scheme"] === "internet-facing" && !approved(ann)) {
      sink.add("SW-GR-PUBLIC-INGRESS", ["metadata", "annotations", "alb.ingress.kubernetes.io/scheme"], `internet-facing Ingress without a ${Annotations.publicIngressApproval} annotation`);
    }
  }
  if (kind === "PodDisruptionBudget") {
    const spec = asObj(o.spec);
    if (spec.maxUnavailable === 0 || spec.maxUnavailable === "0%") sink.add("SW-GR-PDB-BLOCKING", ["spec", "maxUnavailable"], "maxUnavailable 0 blocks every voluntary eviction (node drains, upgrades)");
    if (spec.minAvailable === "100%") sink.add("SW-GR-PDB-BLOCKING", ["spec", "minAvailable"], "minAvailable 100% blocks every voluntary eviction (node drains, upgrades)");
  }

  checkBatchGuardrails(o, kind === "PodTemplate" ? undefined : t, sink);
  if (!t || kind === "PodTemplate") return;
  const spec = t.spec;
  for (const f of ["hostNetwork", "hostPID", "hostIPC"] as const) {
    if (spec[f] === true) sink.add("SW-GR-HOST-NAMESPACES", [...t.specPath, f], `${f}: true shares the node's ${f.slice(4)} namespace`);
  }
  asArr(spec.volumes).forEach((v, i) => {
    const p = str(asObj(asObj(v).hostPath).path);
    if (p !== undefined && RUNTIME_SOCKET.test(p)) sink.add("SW-GR-HOSTPATH-SOCKET", [...t.specPath, "volumes", i, "hostPath", "path"], `hostPath ${p} exposes the container runtime: whoever can use it owns the node`);
  });
  const podSc = asObj(spec.securityContext);
  const podSeccomp = str(asObj(podSc.seccompProfile).type);
  const longRunning = kind !== "Job" && kind !== "CronJob";
  for (const { c, path, init, sidecar } of containersOf(t)) {
    if (path[path.length - 2] === "ephemeralContainers") continue;
    const sc = asObj(c.securityContext);
    // Paths are built only for a finding.
    const scPath = (...rest: PathSeg[]): PathSeg[] => [...path, "securityContext", ...rest];
    if (sc.privileged === true) sink.add("SW-GR-PRIVILEGED", scPath("privileged"), "privileged container: full access to the node");
    // A privileged container always escalates (the API server refuses allowPrivilegeEscalation: false with it): SW-GR-PRIVILEGED says it.
    if (sc.allowPrivilegeEscalation !== false && sc.privileged !== true) sink.add("SW-GR-PRIV-ESCALATION", scPath("allowPrivilegeEscalation"), "allowPrivilegeEscalation is not false");
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    const user = sc.runAsUser ?? podSc.runAsUser;
    if (nonRoot !== true || user === 0) sink.add("SW-GR-RUN-AS-NON-ROOT", scPath(user === 0 ? "runAsUser" : "runAsNonRoot"), user === 0 ? "runAsUser: 0 runs as root" : "runAsNonRoot is not true (pod or container)");
    if (sc.readOnlyRootFilesystem !== true) sink.add("SW-GR-READONLY-ROOTFS", scPath("readOnlyRootFilesystem"), "readOnlyRootFilesystem is not true");
    const caps = asObj(sc.capabilities);
    if (!asArr(caps.drop).includes("ALL")) sink.add("SW-GR-CAPABILITIES", scPath("capabilities", "drop"), "capabilities.drop does not include ALL");
    asArr(caps.add).forEach((cap, i) => {
      if (typeof cap === "string" && !ALLOWED_ADD_CAPS.has(cap)) sink.add("SW-GR-CAPABILITIES", scPath("capabilities", "add", i), `adds capability ${cap}`);
    });
    const seccomp = str(asObj(sc.seccompProfile).type) ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
      const where: PathSeg[] = sc.seccompProfile !== undefined ? scPath("seccompProfile", "type") : podSeccomp !== undefined ? [...t.specPath, "securityContext", "seccompProfile", "type"] : [...t.specPath, "securityContext", "seccompProfile"];
      sink.add("SW-GR-SECCOMP", where, seccomp === undefined ? "no seccomp profile (pod or container)" : `seccomp profile ${seccomp}`);
    }
    const res = asObj(c.resources);
    const req = asObj(res.requests);
    const lim = asObj(res.limits);
    if (req.cpu === undefined || req.memory === undefined || lim.memory === undefined) {
      const missing = [req.cpu === undefined && "requests.cpu", req.memory === undefined && "requests.memory", lim.memory === undefined && "limits.memory"].filter(Boolean);
      sink.add("SW-GR-RESOURCES", [...path, "resources"], `missing ${missing.join(", ")}`);
    }
    if (longRunning && (!init || sidecar) && (c.readinessProbe === undefined || c.livenessProbe === undefined)) {
      const probes = [c.readinessProbe === undefined && "readinessProbe", c.livenessProbe === undefined && "livenessProbe"].filter(Boolean);
      sink.add("SW-GR-PROBES", [...path, c.readinessProbe === undefined ? "readinessProbe" : "livenessProbe"], `missing ${probes.join(" and ")}`);
    }
    const image = str(c.image);
    if (image !== undefined) {
      const ip = imageParts(image);
      if (ip.digest === undefined && (ip.tag === undefined || ip.tag === "latest")) sink.add("SW-GR-IMAGE-TAG", [...path, "image"], ip.tag === undefined ? `image "${image}" has no tag (means :latest)` : `image "${image}" uses :latest`);
      if (!policy.platform && policy.requireDigest && ip.digest === undefined) sink.add("SW-GR-IMAGE-DIGEST", [...path, "image"], `image "${image}" is not pinned by digest`);
      if (!policy.platform && policy.trustedRegistries.length > 0 && !trustedImage(image, policy.trustedRegistries)) sink.add("SW-GR-REGISTRY", [...path, "image"], `image "${image}" is not from a trusted registry (${policy.trustedRegistries.join(", ")})`);
    }
    asArr(c.env).forEach((e, i) => {
      const env = asObj(e);
      const v = env.value;
      const n = str(env.name) ?? "";
      if (typeof v !== "string") return;
      const reason = credentialEnvLiteral(n, v);
      if (reason) sink.add("SW-GR-ENV-CREDENTIAL", [...path, "env", i, "value"], `env ${n} holds a literal that looks like a credential: ${reason}`);
    });
  }
}

function approved(ann: Obj): boolean {
  const a = ann[Annotations.publicIngressApproval];
  return typeof a === "string" && a.trim() !== "";
}

function checkService(o: Obj, ann: Obj, sink: Sink): void {
  const spec = asObj(o.spec);
  const type = spec.type;
  if (type === "NodePort" || type === "LoadBalancer") sink.add("SW-GR-SERVICE-TYPE", ["spec", "type"], `Service of type ${type} exposes pods outside the cluster network`);
  if (type === "LoadBalancer") {
    const scheme = ann["service.beta.kubernetes.io/aws-load-balancer-scheme"];
    const internal = ann["service.beta.kubernetes.io/aws-load-balancer-internal"];
    const lbc = spec.loadBalancerClass === "service.k8s.aws/nlb";
    // The in-tree controller defaults to internet-facing; the AWS Load Balancer Controller to internal.
    const publicLb = scheme === "internet-facing" || (scheme === undefined && !lbc && internal !== "true" && internal !== true);
    if (publicLb && !approved(ann)) sink.add("SW-GR-PUBLIC-INGRESS", ["metadata", "annotations"], `internet-facing load balancer without a ${Annotations.publicIngressApproval} annotation`);
  }
}

export interface GuardrailItem {
  readonly obj: Obj;
  readonly policy: GuardrailPolicy | undefined;
  readonly sink: Sink;
  /** `podTemplateOf(obj)`. */
  readonly template: PodTemplate | undefined;
}

/** Guardrails that need other objects: replicas (HPA-aware), PDBs, topology spread, shared IAM roles. */
export function checkGuardrailSet(items: readonly GuardrailItem[]): void {
  // Indexed by namespace (and target) so a fleet of thousands of apps stays linear.
  const hpaByTarget = new Map<string, GuardrailItem>();
  const pdbsByNs = new Map<string, GuardrailItem[]>();
  for (const i of items) {
    const ns = str(asObj(i.obj.metadata).namespace) ?? "";
    if (i.obj.kind === "HorizontalPodAutoscaler") {
      const ref = asObj(asObj(i.obj.spec).scaleTargetRef);
      hpaByTarget.set(`${ns}\0${String(ref.kind)}\0${String(ref.name)}`, i);
    } else if (i.obj.kind === "PodDisruptionBudget") {
      const list = pdbsByNs.get(ns) ?? [];
      list.push(i);
      pdbsByNs.set(ns, list);
    }
  }
  for (const it of items) {
    const policy = it.policy;
    const kind = str(it.obj.kind) ?? "";
    if (!policy || !REPLICATED.has(kind)) continue;
    const t = it.template;
    if (!t) continue;
    const meta = asObj(it.obj.metadata);
    const ns = str(meta.namespace) ?? "";
    const hpa = hpaByTarget.get(`${ns}\0${kind}\0${String(meta.name)}`);
    const hpaMin = hpa ? asObj(hpa.obj.spec).minReplicas : undefined;
    const specReplicas = asObj(it.obj.spec).replicas;
    const replicas = hpa ? (typeof hpaMin === "number" ? hpaMin : 1) : typeof specReplicas === "number" ? specReplicas : 1;
    if (!policy.platform && replicas < policy.minReplicas) {
      (hpa?.sink ?? it.sink).add("SW-GR-REPLICAS", hpa ? ["spec", "minReplicas"] : ["spec", "replicas"], `${hpa ? "HPA minReplicas" : "replicas"} ${replicas} is below the environment's minimum of ${policy.minReplicas}`);
    }
    const selecting = (pdbsByNs.get(ns) ?? []).filter((p) => selectorMatches(asObj(p.obj.spec).selector, t.labels));
    if (!policy.platform && policy.requirePdb && selecting.length === 0) {
      it.sink.add("SW-GR-PDB-REQUIRED", [...t.metaPath, "labels"], "no PodDisruptionBudget selects this workload's pods");
    }
    for (const p of selecting) {
      const min = asObj(p.obj.spec).minAvailable;
      if (typeof min === "number" && min >= replicas) p.sink.add("SW-GR-PDB-BLOCKING", ["spec", "minAvailable"], `minAvailable ${min} ≥ the ${replicas} replica(s) of ${kind} ${String(meta.name)}: no pod can ever be evicted`);
    }
    const podSpec = t.spec;
    const spread = asArr(podSpec.topologySpreadConstraints).length > 0 || isObj(asObj(podSpec.affinity).podAntiAffinity);
    if (replicas >= 2 && !spread) it.sink.add("SW-GR-TOPOLOGY-SPREAD", [...t.specPath, "topologySpreadConstraints"], `${replicas} replicas with no topologySpreadConstraints or podAntiAffinity: one zone or node failure can take them all`);
  }
  // One IAM role per tenant: the same role ARN on service accounts of different tenants.
  const roles = new Map<string, { tenant: string; item: GuardrailItem }[]>();
  for (const it of items) {
    if (it.obj.kind !== "ServiceAccount" || !it.policy) continue;
    const meta = asObj(it.obj.metadata);
    const arn = str(asObj(meta.annotations)["eks.amazonaws.com/role-arn"]);
    if (!arn) continue;
    const tenant = str(asObj(meta.labels)[Labels.tenant]) ?? str(asObj(meta.labels)[Labels.addon]) ?? `namespace:${str(meta.namespace) ?? ""}`;
    const list = roles.get(arn) ?? [];
    list.push({ tenant, item: it });
    roles.set(arn, list);
  }
  for (const [arn, list] of roles) {
    const first = list[0];
    if (!first) continue;
    for (const other of list.slice(1)) {
      if (other.tenant !== first.tenant) {
        other.item.sink.add("SW-GR-IAM-ROLE-SHARED", ["metadata", "annotations", "eks.amazonaws.com/role-arn"], `IAM role ${arn} is also used by ${String(asObj(first.item.obj.metadata).namespace)}/${String(asObj(first.item.obj.metadata).name)} of ${first.tenant.replace(/^namespace:/, "namespace ")}`);
      }
    }
  }
}
