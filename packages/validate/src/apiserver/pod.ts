/**
 * The API server's pod spec rules (k8s.io/kubernetes pkg/apis/core/validation/validation.go:
 * ValidatePodSpec and what it calls), for a Pod and the pod template of every workload kind.
 * Each check names the upstream function it mirrors in the README's table.
 */
import { dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem, qualifiedNameProblem } from "../names";
import type { ContainerRef, PodTemplate } from "../objects";
import { arr, checkBound, checkLabelSelector, checkPortNumber, int, isIPv4, isIPv6, isObj, obj, present, presentOf, str, type Obj, type Path, type Sink } from "./util";

const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"];
const LIFECYCLE_HANDLERS = ["exec", "httpGet", "tcpSocket", "sleep"];
const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const VOLUME_SOURCES = new Set([
  "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs",
  "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
  "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi",
  "ephemeral", "image",
]);
const ENV_SOURCES = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"];
/** validEnvDownwardAPIFieldPathExpressions; labels and annotations only with a subscript (`metadata.labels['app']`). */
const ENV_FIELD_PATHS = new Set(["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]);
const SUBSCRIPTED_FIELD = /^metadata\.(labels|annotations)\['(.*)'\]$/;
/** validContainerResourceFieldPathExpressions, plus the hugepages prefixes (DownwardAPIHugePages, GA). */
const ENV_RESOURCE_FIELDS = new Set(["limits.cpu", "limits.memory", "limits.ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage"]);
const TOLERATION_EFFECTS = new Set(["NoSchedule", "PreferNoSchedule", "NoExecute"]);
/** Volume sources whose files take a mode and a relative path (validateSecretVolumeSource & co.). */
const FILE_SOURCES = ["secret", "configMap", "downwardAPI"] as const;
const MAX_FILE_MODE = 0o777;
/** IsEnvVarName before RelaxedEnvironmentVariableValidation (on by default from 1.32). */
const ENV_NAME_STRICT = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** From 1.32: any printable ASCII character except '='. */
const ENV_NAME_RELAXED = /^[\x20-\x3c\x3e-\x7e]+$/;

/** Restart policies a workload kind's pod template may have (ValidatePodTemplateSpecForReplicaSet & co., batch). */
const TEMPLATE_RESTART: Record<string, readonly string[]> = {
  Deployment: ["Always"], ReplicaSet: ["Always"], DaemonSet: ["Always"], StatefulSet: ["Always"], ReplicationController: ["Always"],
  Job: ["OnFailure", "Never"], CronJob: ["OnFailure", "Never"],
};

export function checkPodSpec(kind: string, t: PodTemplate, containers: readonly ContainerRef[], minor: number, sink: Sink, claimTemplates: readonly unknown[] = []): void {
  const spec = t.spec;
  const at = t.specPath;
  const volumes = new Set<string>();
  // A StatefulSet's volumeClaimTemplates are volumes of its pods too.
  for (const c of claimTemplates) {
    const n = str(obj(obj(c)?.metadata)?.name);
    if (n !== undefined) volumes.add(n);
  }
  arr(spec.volumes).forEach((v, i) => {
    const vol = obj(v);
    if (!vol) return;
    const name = str(vol.name);
    if (name !== undefined) volumes.add(name);
    const sources = presentOf(vol, VOLUME_SOURCES);
    // No source at all is defaulted to emptyDir (SetDefaults_Volume); more than one is refused.
    if (sources.length > 1) sink.add("SW-SEM-VOLUME-SOURCE", [...at, "volumes", i], `volume "${name ?? i}" has ${sources.length} sources (${sources.join(", ")}); a volume has exactly one`);
    checkVolumeFiles(vol, () => [...at, "volumes", i], sink);
  });

  const allowed = TEMPLATE_RESTART[kind];
  const rp = str(spec.restartPolicy);
  if (allowed && rp !== undefined && !allowed.includes(rp)) {
    sink.add("SW-SEM-RESTART-POLICY", [...at, "restartPolicy"], `restartPolicy "${rp}" is not allowed in a ${kind}'s pod template; allowed: ${allowed.join(", ")}`);
  }
  // (A negative pod terminationGracePeriodSeconds is not refused: the API server reads it as 1.)
  checkBound(spec, "activeDeadlineSeconds", 1, at, sink);
  checkDns(spec, at, sink);
  checkTopologySpread(spec, at, sink);
  checkAffinity(spec, at, sink);
  checkTolerations(spec, at, sink);
  checkPodNames(spec, at, sink);
  const hostNetwork = spec.hostNetwork === true;
  const podSc = obj(spec.securityContext);
  if (podSc) {
    for (const k of ["runAsUser", "runAsGroup", "fsGroup"]) checkBound(podSc, k, 0, [...at, "securityContext"], sink);
    checkProfiles(podSc, () => [...at, "securityContext"], sink);
  }

  for (const ref of containers) {
    const c = ref.c;
    const p = ref.path;
    const ephemeral = p[p.length - 2] === "ephemeralContainers";
    const plainInit = ref.init && !ref.sidecar && !ephemeral;
    arr(c.ports).forEach((port, i) => {
      const po = obj(port);
      if (!po) return;
      checkPortNumber(po.containerPort, () => [...p, "ports", i, "containerPort"], sink, "containerPort");
      const hp = int(po.hostPort);
      if (hp !== undefined && hp !== 0) checkPortNumber(hp, () => [...p, "ports", i, "hostPort"], sink, "hostPort");
      if (hostNetwork && hp !== undefined && hp !== 0 && int(po.containerPort) !== undefined && hp !== po.containerPort) {
        sink.add("SW-SEM-HOST-PORT", [...p, "ports", i, "hostPort"], `hostPort ${hp} must equal containerPort ${String(po.containerPort)} when hostNetwork is true`);
      }
    });
    for (const probe of PROBES) {
      const pr = obj(c[probe]);
      if (!pr) continue;
      const pp: Path = [...p, probe]; // one per probe; the checks below extend it only for a finding
      if (plainInit || ephemeral) {
        sink.add("SW-SEM-CONTAINER-FIELD", pp, `${probe} may not be set on ${ephemeral ? "an ephemeral" : "an init"} container${ephemeral ? "" : " (only a sidecar, restartPolicy: Always, may have probes)"}`);
        continue;
      }
      checkHandler(pr, PROBE_HANDLERS, pp, "probe", sink);
      for (const k of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"]) checkBound(pr, k, 0, pp, sink);
      checkBound(pr, "terminationGracePeriodSeconds", 1, pp, sink);
      const st = int(pr.successThreshold);
      if ((probe === "livenessProbe" || probe === "startupProbe") && st !== undefined && st !== 1) {
        sink.add("SW-SEM-PROBE-THRESHOLD", [...pp, "successThreshold"], `successThreshold of a ${probe} must be 1, not ${st}`);
      }
    }
    const lc = obj(c.lifecycle);
    if (lc) {
      if (plainInit || ephemeral) sink.add("SW-SEM-CONTAINER-FIELD", [...p, "lifecycle"], `lifecycle may not be set on ${ephemeral ? "an ephemeral" : "an init"} container`);
      else {
        for (const h of ["postStart", "preStop"]) {
          const hh = obj(lc[h]);
          if (!hh) continue;
          checkHandler(hh, LIFECYCLE_HANDLERS, [...p, "lifecycle", h], "lifecycle handler", sink);
          const sleep = obj(hh.sleep);
          // PodLifecycleSleepActionAllowZero (beta, on by default, in 1.33) allows 0.
          if (sleep) checkBound(sleep, "seconds", minor >= 33 ? 0 : 1, [...p, "lifecycle", h, "sleep"], sink);
        }
      }
    }
    if (ephemeral) {
      for (const f of ["ports", "resources"]) if (c[f] !== undefined && c[f] !== null) sink.add("SW-SEM-CONTAINER-FIELD", [...p, f], `${f} may not be set on an ephemeral container`);
    }
    const crp = str(c.restartPolicy);
    if (crp !== undefined && (!ref.init || ephemeral)) sink.add("SW-SEM-CONTAINER-FIELD", [...p, "restartPolicy"], `restartPolicy may be set only on init containers (sidecars), not on ${ephemeral ? "an ephemeral" : "a regular"} container`);
    else if (crp !== undefined && crp !== "Always") sink.add("SW-SEM-CONTAINER-FIELD", [...p, "restartPolicy"], `an init container's restartPolicy can only be "Always" (a sidecar), not "${crp}"`);

    arr(c.volumeMounts).forEach((m, i) => {
      const vm = obj(m);
      if (!vm) return;
      const name = str(vm.name);
      if (name !== undefined && !volumes.has(name)) sink.add("SW-SEM-VOLUME-MOUNT", [...p, "volumeMounts", i, "name"], `volumeMount "${name}" names no volume of the pod${volumes.size ? ` (volumes: ${[...volumes].join(", ")})` : " (it has none)"}`);
      const sub = str(vm.subPath);
      if (sub !== undefined && (sub.startsWith("/") || sub.split("/").includes(".."))) sink.add("SW-SEM-VOLUME-MOUNT", [...p, "volumeMounts", i, "subPath"], `subPath "${sub}" must be a relative path without '..'`);
      if (str(vm.mountPath) === "") sink.add("SW-SEM-VOLUME-MOUNT", [...p, "volumeMounts", i, "mountPath"], "mountPath may not be empty");
      // validateVolumeMounts: subPath and subPathExpr are mutually exclusive.
      if (sub !== undefined && sub !== "" && typeof vm.subPathExpr === "string" && vm.subPathExpr !== "") sink.add("SW-SEM-VOLUME-MOUNT", [...p, "volumeMounts", i, "subPathExpr"], "subPathExpr and subPath are mutually exclusive");
      // validateMountPropagation: Bidirectional only for a privileged container.
      if (vm.mountPropagation === "Bidirectional" && obj(c.securityContext)?.privileged !== true) sink.add("SW-SEM-VOLUME-MOUNT", [...p, "volumeMounts", i, "mountPropagation"], "mountPropagation Bidirectional is available only to privileged containers");
    });
    arr(c.volumeDevices).forEach((d, i) => {
      const name = str(obj(d)?.name);
      if (name !== undefined && !volumes.has(name)) sink.add("SW-SEM-VOLUME-MOUNT", [...p, "volumeDevices", i, "name"], `volumeDevice "${name}" names no volume of the pod`);
    });
    checkEnv(c, p, minor, sink);
    const sc = obj(c.securityContext);
    if (sc) {
      for (const k of ["runAsUser", "runAsGroup"]) checkBound(sc, k, 0, [...p, "securityContext"], sink);
      checkProfiles(sc, () => [...p, "securityContext"], sink);
      const adds = arr(obj(sc.capabilities)?.add);
      if (sc.allowPrivilegeEscalation === false && (sc.privileged === true || adds.includes("CAP_SYS_ADMIN") || adds.includes("SYS_ADMIN"))) {
        sink.add("SW-SEM-SECURITY-CONTEXT", [...p, "securityContext", "allowPrivilegeEscalation"], `allowPrivilegeEscalation: false contradicts ${sc.privileged === true ? "privileged: true" : "adding CAP_SYS_ADMIN"}`);
      }
    }
  }
}

/** Exactly one handler (validateHandler / validateLifecycleHandler). */
function checkHandler(h: Obj, handlers: readonly string[], path: Path, what: string, sink: Sink): void {
  const set = present(h, handlers);
  if (set.length > 1) sink.add("SW-SEM-PROBE-HANDLER", path, `a ${what} has exactly one handler; this one has ${set.length} (${set.join(", ")})`);
  else if (set.length === 0) sink.add("SW-SEM-PROBE-HANDLER", path, `a ${what} needs a handler: one of ${handlers.join(", ")}`);
  const grpc = obj(h.grpc);
  if (grpc) checkPortNumber(grpc.port, () => [...path, "grpc", "port"], sink);
  for (const k of ["httpGet", "tcpSocket"]) {
    const a = obj(h[k]);
    if (a) checkPortNumber(a.port, () => [...path, k, "port"], sink);
  }
}

function checkEnv(c: Obj, p: Path, minor: number, sink: Sink): void {
  const nameRe = minor >= 32 ? ENV_NAME_RELAXED : ENV_NAME_STRICT;
  arr(c.env).forEach((e, i) => {
    const ev = obj(e);
    if (!ev) return;
    const name = str(ev.name);
    if (name !== undefined && !nameRe.test(name)) {
      sink.add("SW-SEM-ENV", [...p, "env", i, "name"], minor >= 32 ? `env var name "${name}" must be printable ASCII without '='` : `env var name "${name}" must be letters, digits, '_', '-' or '.', not starting with a digit (Kubernetes < 1.32)`);
    }
    const from = obj(ev.valueFrom);
    if (from) {
      if (typeof ev.value === "string" && ev.value !== "") sink.add("SW-SEM-ENV", [...p, "env", i, "valueFrom"], "valueFrom may not be set when value is not empty");
      const sources = present(from, ENV_SOURCES);
      if (sources.length !== 1) sink.add("SW-SEM-ENV", [...p, "env", i, "valueFrom"], sources.length === 0 ? `valueFrom needs one of ${ENV_SOURCES.slice(0, 4).join(", ")}` : `valueFrom may have only one source, not ${sources.join(" and ")}`);
      const fr = obj(from.fieldRef);
      if (fr) checkEnvFieldRef(fr, () => [...p, "env", i, "valueFrom", "fieldRef"], sink);
      const rf = str(obj(from.resourceFieldRef)?.resource);
      if (rf !== undefined && !ENV_RESOURCE_FIELDS.has(rf) && !/^(requests|limits)\.hugepages-/.test(rf)) {
        sink.add("SW-SEM-ENV", [...p, "env", i, "valueFrom", "resourceFieldRef", "resource"], `resource "${rf}" is not one of ${[...ENV_RESOURCE_FIELDS].join(", ")} (or requests./limits.hugepages-<size>)`);
      }
    }
  });
  arr(c.envFrom).forEach((e, i) => {
    const ef = obj(e);
    if (!ef) return;
    const sources = present(ef, ["configMapRef", "secretRef"]);
    if (sources.length !== 1) sink.add("SW-SEM-ENV", [...p, "envFrom", i], sources.length === 0 ? "envFrom needs configMapRef or secretRef" : "envFrom may have only one of configMapRef and secretRef");
    const prefix = str(ef.prefix);
    if (prefix !== undefined && prefix !== "" && !nameRe.test(prefix)) sink.add("SW-SEM-ENV", [...p, "envFrom", i, "prefix"], `prefix "${prefix}" is not a valid env var name`);
  });
}

/** validatePodDNSConfig, and ValidateHostAliases (the pod's /etc/hosts entries). */
function checkDns(spec: Obj, at: Path, sink: Sink): void {
  arr(spec.hostAliases).forEach((x, i) => {
    const ha = obj(x);
    if (!ha) return;
    const ip = str(ha.ip);
    if (ip !== undefined && !isIPv4(ip) && !isIPv6(ip)) sink.add("SW-SEM-DNS", [...at, "hostAliases", i, "ip"], `hostAliases ip "${ip}" is not an IP address`);
    arr(ha.hostnames).forEach((h, j) => {
      const p = typeof h === "string" ? dns1123SubdomainProblem(h) : undefined;
      if (p) sink.add("SW-SEM-DNS", [...at, "hostAliases", i, "hostnames", j], `hostname ${p}`);
    });
  });
  const cfg = obj(spec.dnsConfig);
  if (spec.dnsPolicy === "None" && arr(cfg?.nameservers).length === 0) sink.add("SW-SEM-DNS", [...at, "dnsConfig", "nameservers"], 'dnsPolicy "None" needs dnsConfig.nameservers (at least one)');
  if (!cfg) return;
  const ns = arr(cfg.nameservers);
  if (ns.length > 3) sink.add("SW-SEM-DNS", [...at, "dnsConfig", "nameservers"], `at most 3 nameservers, not ${ns.length}`);
  const search = arr(cfg.searches);
  if (search.length > 32) sink.add("SW-SEM-DNS", [...at, "dnsConfig", "searches"], `at most 32 search domains, not ${search.length}`);
  const len = search.reduce<number>((n, s) => n + (typeof s === "string" ? s.length + 1 : 0), 0);
  if (len > 2048) sink.add("SW-SEM-DNS", [...at, "dnsConfig", "searches"], `search domains total ${len} characters; at most 2048`);
}

/** validateTopologySpreadConstraints. */
function checkTopologySpread(spec: Obj, at: Path, sink: Sink): void {
  const seen = new Set<string>();
  arr(spec.topologySpreadConstraints).forEach((x, i) => {
    const c = obj(x);
    if (!c) return;
    const p = [...at, "topologySpreadConstraints", i];
    checkBound(c, "maxSkew", 1, p, sink);
    const md = int(c.minDomains);
    if (md !== undefined) {
      if (md < 1) sink.add("SW-SEM-BOUNDS", [...p, "minDomains"], `minDomains is ${md}; it must be ≥ 1`);
      else if (c.whenUnsatisfiable !== "DoNotSchedule") sink.add("SW-SEM-TOPOLOGY-SPREAD", [...p, "minDomains"], 'minDomains may be set only with whenUnsatisfiable: DoNotSchedule');
    }
    const key = `${String(c.topologyKey)}\0${String(c.whenUnsatisfiable)}`;
    if (seen.has(key)) sink.add("SW-SEM-TOPOLOGY-SPREAD", p, `a second constraint with topologyKey "${String(c.topologyKey)}" and whenUnsatisfiable "${String(c.whenUnsatisfiable)}"`);
    seen.add(key);
    checkLabelSelector(c.labelSelector, [...p, "labelSelector"], sink);
  });
}

/** Node selector requirements (validateNodeSelectorRequirement) and pod (anti-)affinity label selectors. */
function checkAffinity(spec: Obj, at: Path, sink: Sink): void {
  const aff = obj(spec.affinity);
  if (!aff) return;
  const na = obj(aff.nodeAffinity);
  const terms: [unknown, Path][] = [];
  const req = obj(na?.requiredDuringSchedulingIgnoredDuringExecution);
  arr(req?.nodeSelectorTerms).forEach((t, i) => terms.push([t, [...at, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", i]]));
  arr(na?.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    terms.push([obj(t)?.preference, [...at, "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution", i, "preference"]]);
    checkWeight(t, () => [...at, "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution", i], sink);
  });
  for (const [t, p] of terms) {
    const term = obj(t);
    if (!term) continue;
    for (const field of ["matchExpressions", "matchFields"]) {
      arr(term[field]).forEach((r, j) => {
        const x = obj(r);
        if (!x) return;
        const op = str(x.operator);
        const values = arr(x.values);
        const rp = [...p, field, j];
        if ((op === "In" || op === "NotIn") && values.length === 0) sink.add("SW-SEM-SELECTOR-OPERATOR", [...rp, "values"], `operator ${op} needs at least one value`);
        else if ((op === "Exists" || op === "DoesNotExist") && values.length > 0) sink.add("SW-SEM-SELECTOR-OPERATOR", [...rp, "values"], `operator ${op} takes no values`);
        else if ((op === "Gt" || op === "Lt") && (values.length !== 1 || !/^-?\d+$/.test(String(values[0])))) sink.add("SW-SEM-SELECTOR-OPERATOR", [...rp, "values"], `operator ${op} takes exactly one integer value`);
      });
    }
  }
  for (const kind of ["podAffinity", "podAntiAffinity"]) {
    const pa = obj(aff[kind]);
    if (!pa) continue;
    arr(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      if (isObj(t)) checkPodAffinityTerm(t, [...at, "affinity", kind, "requiredDuringSchedulingIgnoredDuringExecution", i], sink);
    });
    arr(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const wp: Path = [...at, "affinity", kind, "preferredDuringSchedulingIgnoredDuringExecution", i];
      checkWeight(t, () => wp, sink);
      const term = obj(obj(t)?.podAffinityTerm);
      if (term) checkPodAffinityTerm(term, [...wp, "podAffinityTerm"], sink);
    });
  }
}

/** validateObjectFieldSelector with the env var paths: a supported field, labels/annotations by key, apiVersion v1. */
function checkEnvFieldRef(fr: Obj, at: () => Path, sink: Sink): void {
  const av = str(fr.apiVersion);
  if (av !== undefined && av !== "" && av !== "v1") sink.add("SW-SEM-ENV", [...at(), "apiVersion"], `fieldRef.apiVersion "${av}" is not supported; only v1`);
  const fp = str(fr.fieldPath);
  if (fp === undefined) return;
  const sub = SUBSCRIPTED_FIELD.exec(fp);
  if (sub) {
    const key = sub[2] as string;
    const p = qualifiedNameProblem(sub[1] === "annotations" ? key.toLowerCase() : key);
    if (p) sink.add("SW-SEM-ENV", [...at(), "fieldPath"], `fieldPath ${fp}: ${p}`);
  } else if (!ENV_FIELD_PATHS.has(fp)) {
    sink.add("SW-SEM-ENV", [...at(), "fieldPath"], `fieldPath "${fp}" is not supported for an env var; one of ${[...ENV_FIELD_PATHS].join(", ")}, metadata.labels['<key>'], metadata.annotations['<key>']`);
  }
}

/** validateSeccompProfileField and validateAppArmorProfileField: localhostProfile exactly when the type is Localhost. */
function checkProfiles(sc: Obj, at: () => Path, sink: Sink): void {
  for (const field of ["seccompProfile", "appArmorProfile"]) {
    const prof = obj(sc[field]);
    if (!prof) continue;
    const local = prof.localhostProfile;
    const hasLocal = typeof local === "string" && local.trim() !== "";
    if (prof.type === "Localhost" && !hasLocal) sink.add("SW-SEM-SECURITY-CONTEXT", [...at(), field, "localhostProfile"], `${field}.localhostProfile must be set when the type is Localhost`);
    else if (prof.type !== "Localhost" && local !== undefined && local !== null) sink.add("SW-SEM-SECURITY-CONTEXT", [...at(), field, "localhostProfile"], `${field}.localhostProfile can only be set when the type is Localhost, not ${String(prof.type)}`);
    else if (field === "seccompProfile" && hasLocal && ((local as string).startsWith("/") || (local as string).split("/").includes(".."))) sink.add("SW-SEM-SECURITY-CONTEXT", [...at(), field, "localhostProfile"], `localhostProfile "${local as string}" must be a relative path without '..'`);
  }
}

/** validateLocalNonReservedPath: relative, no '..' segment, not starting with '..'. */
function relativePathProblem(v: string): string | undefined {
  if (v === "") return "path may not be empty";
  if (v.startsWith("/")) return `path "${v}" must be relative`;
  if (v.startsWith("..") || v.split("/").includes("..")) return `path "${v}" may not contain or start with '..'`;
  return undefined;
}

function checkMode(o: Obj, key: string, at: () => Path, sink: Sink): void {
  const m = int(o[key]);
  if (m !== undefined && (m < 0 || m > MAX_FILE_MODE)) sink.add("SW-SEM-VOLUME-SOURCE", [...at(), key], `${key} ${m} must be between 0 and 0777 (octal; 511 in decimal)`);
}

function checkItems(src: Obj, at: () => Path, sink: Sink): void {
  arr(src.items).forEach((x, j) => {
    const item = obj(x);
    if (!item) return;
    checkMode(item, "mode", () => [...at(), "items", j], sink);
    const path = str(item.path);
    const p = path !== undefined ? relativePathProblem(path) : undefined;
    if (p) sink.add("SW-SEM-VOLUME-SOURCE", [...at(), "items", j, "path"], p);
  });
}

/** File modes and item paths of secret, configMap, downwardAPI and projected volumes (validate*VolumeSource). */
function checkVolumeFiles(vol: Obj, at: () => Path, sink: Sink): void {
  for (const k of FILE_SOURCES) {
    const src = obj(vol[k]);
    if (!src) continue;
    checkMode(src, "defaultMode", () => [...at(), k], sink);
    checkItems(src, () => [...at(), k], sink);
  }
  const projected = obj(vol.projected);
  if (!projected) return;
  checkMode(projected, "defaultMode", () => [...at(), "projected"], sink);
  arr(projected.sources).forEach((x, j) => {
    const source = obj(x);
    if (!source) return;
    for (const k of FILE_SOURCES) {
      const src = obj(source[k]);
      if (src) checkItems(src, () => [...at(), "projected", "sources", j, k], sink);
    }
  });
}

/** ValidateTolerations. */
function checkTolerations(spec: Obj, at: Path, sink: Sink): void {
  arr(spec.tolerations).forEach((x, i) => {
    const t = obj(x);
    if (!t) return;
    const p = (...k: string[]): Path => [...at, "tolerations", i, ...k];
    const key = str(t.key) ?? "";
    const op = str(t.operator) ?? "";
    if (key !== "") {
      const kp = qualifiedNameProblem(key);
      if (kp) sink.add("SW-SEM-TOLERATION", p("key"), `toleration ${kp}`);
    } else if (op !== "Exists") {
      sink.add("SW-SEM-TOLERATION", p("operator"), 'operator must be Exists when key is empty (which tolerates every taint)');
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== "NoExecute") sink.add("SW-SEM-TOLERATION", p("effect"), `effect must be NoExecute when tolerationSeconds is set, not ${t.effect === undefined ? "empty" : JSON.stringify(t.effect)}`);
    const value = str(t.value) ?? "";
    if (op === "Equal" || op === "") {
      const vp = labelValueProblem(value);
      if (vp) sink.add("SW-SEM-TOLERATION", p("value"), `toleration ${vp}`);
    } else if (op === "Exists") {
      if (value !== "") sink.add("SW-SEM-TOLERATION", p("value"), "value must be empty when operator is Exists");
    } else {
      sink.add("SW-SEM-TOLERATION", p("operator"), `operator "${op}" is not one of Equal, Exists`);
    }
    const effect = str(t.effect);
    if (effect !== undefined && effect !== "" && !TOLERATION_EFFECTS.has(effect)) sink.add("SW-SEM-TOLERATION", p("effect"), `effect "${effect}" is not one of ${[...TOLERATION_EFFECTS].join(", ")}`);
  });
}

/** ValidatePodSpec's names: hostname and subdomain are DNS labels; serviceAccountName, priorityClassName and nodeName DNS subdomains. */
function checkPodNames(spec: Obj, at: Path, sink: Sink): void {
  for (const k of ["hostname", "subdomain"]) {
    const v = str(spec[k]);
    const p = v !== undefined && v !== "" ? dns1123LabelProblem(v) : undefined;
    if (p) sink.add("SW-SEM-NAME", [...at, k], `${k} ${p}`);
  }
  for (const k of ["serviceAccountName", "priorityClassName", "nodeName"]) {
    const v = str(spec[k]);
    const p = v !== undefined && v !== "" ? dns1123SubdomainProblem(v) : undefined;
    if (p) sink.add("SW-SEM-NAME", [...at, k], `${k} ${p}`);
  }
}

/** validatePodAffinityTerm: its label selector, and a topologyKey that is a non-empty label key. */
function checkPodAffinityTerm(term: Obj, at: Path, sink: Sink): void {
  checkLabelSelector(term.labelSelector, [...at, "labelSelector"], sink);
  const tk = str(term.topologyKey);
  if (tk === undefined) return; // missing: the schema's required-field check reports it
  const p = tk === "" ? "topologyKey may not be empty" : qualifiedNameProblem(tk);
  if (p) sink.add("SW-SEM-AFFINITY", [...at, "topologyKey"], p.replace(/^key/, "topologyKey"));
}

/** A preferred scheduling term's weight: 1–100 (ValidatePreferredSchedulingTerms, validateWeightedPodAffinityTerms). */
function checkWeight(t: unknown, at: () => Path, sink: Sink): void {
  const w = int(obj(t)?.weight);
  if (w !== undefined && (w < 1 || w > 100)) sink.add("SW-SEM-AFFINITY", [...at(), "weight"], `weight ${w} is outside 1–100`);
}
