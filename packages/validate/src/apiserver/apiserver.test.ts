/**
 * One manifest per API-server rule: GIVEN a manifest the API server refuses WHEN validated
 * THEN exactly that rule at that path; and its valid look-alike (the smallest change that
 * makes the API server accept it) has no finding at all.
 */
import { describe, expect, it } from "vitest";
import { validateManifests } from "../validate";

type O = Record<string, unknown>;
const clone = <T>(v: T): T => structuredClone(v);

const labels = { app: "web" };
const container = (extra: O = {}): O => ({ name: "app", image: "registry.example.com/web:1.0", ...extra });
const podSpec = (extra: O = {}, c: O = {}): O => ({ containers: [container(c)], ...extra });
const deployment = (spec: O = {}, pod: O = {}, c: O = {}): O => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" },
  spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec(pod, c) }, ...spec },
});
const job = (spec: O = {}): O => ({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "once", namespace: "shop" }, spec: { template: { spec: { restartPolicy: "Never", containers: [container()] } }, ...spec } });
const cronJob = (spec: O = {}, name = "nightly"): O => ({ apiVersion: "batch/v1", kind: "CronJob", metadata: { name, namespace: "shop" }, spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [container()] } } } }, ...spec } });
const service = (spec: O): O => ({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: 8080 }], ...spec } });
const pdb = (spec: O): O => ({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web", namespace: "shop" }, spec: { selector: { matchLabels: labels }, ...spec } });
const hpa = (spec: O): O => ({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "shop" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 2, maxReplicas: 6, ...spec } });
const netpol = (port: O): O => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "web", namespace: "shop" }, spec: { podSelector: { matchLabels: labels }, ingress: [{ ports: [port] }] } });
const ingress = (path: O, host = "shop.example.com"): O => ({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web", namespace: "shop" }, spec: { rules: [{ host, http: { paths: [{ pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } }, path: "/", ...path }] } }] } });
const role = (rule: O): O => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "reader", namespace: "shop" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"], ...rule }] });
const binding = (extra: O): O => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "readers" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "ServiceAccount", name: "web", namespace: "shop" }], ...extra });
const storageClass = (extra: O): O => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com", ...extra });
const secret = (extra: O): O => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "tls", namespace: "shop" }, ...extra });
const configMap = (data: O): O => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "shop" }, data });
const httpProbe = { httpGet: { path: "/", port: 8080 } };
const C0 = "spec.template.spec.containers[0]";

interface Case {
  readonly rule: string;
  readonly path: string;
  readonly why: string;
  readonly bad: O;
  readonly good: O;
  readonly version?: string;
}

const CASES: Case[] = [
  { rule: "SW-SEM-PORT-RANGE", path: `${C0}.ports[0].containerPort`, why: "containerPort 70000", bad: deployment({}, {}, { ports: [{ containerPort: 70000 }] }), good: deployment({}, {}, { ports: [{ containerPort: 7000 }] }) },
  { rule: "SW-SEM-PORT-RANGE", path: "spec.ports[0].port", why: "Service port 0", bad: service({ ports: [{ port: 0 }] }), good: service({ ports: [{ port: 1 }] }) },
  { rule: "SW-SEM-HOST-PORT", path: `${C0}.ports[0].hostPort`, why: "hostNetwork with hostPort ≠ containerPort", bad: deployment({}, { hostNetwork: true }, { ports: [{ containerPort: 80, hostPort: 8080 }] }), good: deployment({}, { hostNetwork: true }, { ports: [{ containerPort: 80, hostPort: 80 }] }) },
  { rule: "SW-SEM-PROBE-HANDLER", path: `${C0}.livenessProbe`, why: "a probe with two handlers", bad: deployment({}, {}, { livenessProbe: { httpGet: { path: "/", port: 8080 }, tcpSocket: { port: 8080 } } }), good: deployment({}, {}, { livenessProbe: { tcpSocket: { port: 8080 } } }) },
  { rule: "SW-SEM-PROBE-HANDLER", path: `${C0}.lifecycle.preStop`, why: "a lifecycle hook without a handler", bad: deployment({}, {}, { lifecycle: { preStop: {} } }), good: deployment({}, {}, { lifecycle: { preStop: { sleep: { seconds: 5 } } } }) },
  { rule: "SW-SEM-PROBE-THRESHOLD", path: `${C0}.livenessProbe.successThreshold`, why: "liveness successThreshold 2", bad: deployment({}, {}, { livenessProbe: { ...httpProbe, successThreshold: 2 } }), good: deployment({}, {}, { readinessProbe: { ...httpProbe, successThreshold: 2 } }) },
  { rule: "SW-SEM-CONTAINER-FIELD", path: "spec.template.spec.initContainers[0].readinessProbe", why: "a probe on a plain init container", bad: deployment({}, { initContainers: [container({ name: "init", readinessProbe: httpProbe })] }), good: deployment({}, { initContainers: [container({ name: "init", restartPolicy: "Always", readinessProbe: httpProbe })] }) },
  { rule: "SW-SEM-VOLUME-MOUNT", path: `${C0}.volumeMounts[0].name`, why: "a volumeMount naming an undefined volume", bad: deployment({}, {}, { volumeMounts: [{ name: "tmp", mountPath: "/tmp" }] }), good: deployment({}, { volumes: [{ name: "tmp", emptyDir: {} }] }, { volumeMounts: [{ name: "tmp", mountPath: "/tmp" }] }) },
  { rule: "SW-SEM-VOLUME-MOUNT", path: `${C0}.volumeMounts[0].subPath`, why: "a subPath with ..", bad: deployment({}, { volumes: [{ name: "tmp", emptyDir: {} }] }, { volumeMounts: [{ name: "tmp", mountPath: "/tmp", subPath: "../etc" }] }), good: deployment({}, { volumes: [{ name: "tmp", emptyDir: {} }] }, { volumeMounts: [{ name: "tmp", mountPath: "/tmp", subPath: "etc" }] }) },
  { rule: "SW-SEM-VOLUME-SOURCE", path: "spec.template.spec.volumes[0]", why: "a volume with two sources", bad: deployment({}, { volumes: [{ name: "v", emptyDir: {}, configMap: { name: "cfg" } }] }), good: deployment({}, { volumes: [{ name: "v", configMap: { name: "cfg" } }] }) },
  { rule: "SW-SEM-ENV", path: `${C0}.env[0].name`, why: "env name with '=' (any version)", bad: deployment({}, {}, { env: [{ name: "A=B", value: "x" }] }), good: deployment({}, {}, { env: [{ name: "A.B", value: "x" }] }) },
  { rule: "SW-SEM-ENV", path: `${C0}.env[0].name`, why: "env name starting with a digit on 1.31 (relaxed from 1.32)", version: "1.31", bad: deployment({}, {}, { env: [{ name: "1A", value: "x" }] }), good: deployment({}, {}, { env: [{ name: "A1", value: "x" }] }) },
  { rule: "SW-SEM-ENV", path: `${C0}.env[0].valueFrom`, why: "value and valueFrom", bad: deployment({}, {}, { env: [{ name: "A", value: "x", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }), good: deployment({}, {}, { env: [{ name: "A", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }) },
  { rule: "SW-SEM-RESTART-POLICY", path: "spec.template.spec.restartPolicy", why: "a Deployment with restartPolicy Never", bad: deployment({}, { restartPolicy: "Never" }), good: deployment({}, { restartPolicy: "Always" }) },
  { rule: "SW-SEM-RESTART-POLICY", path: "spec.template.spec.restartPolicy", why: "a Job without restartPolicy (defaulted to Always)", bad: { ...job(), spec: { template: { spec: { containers: [container()] } } } }, good: job() },
  { rule: "SW-SEM-DNS", path: "spec.template.spec.dnsConfig.nameservers", why: "dnsPolicy None without nameservers", bad: deployment({}, { dnsPolicy: "None" }), good: deployment({}, { dnsPolicy: "None", dnsConfig: { nameservers: ["10.0.0.10"] } }) },
  { rule: "SW-SEM-TOPOLOGY-SPREAD", path: "spec.template.spec.topologySpreadConstraints[0].minDomains", why: "minDomains with ScheduleAnyway", bad: deployment({}, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", minDomains: 2 }] }), good: deployment({}, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", minDomains: 2 }] }) },
  { rule: "SW-SEM-SELECTOR-OPERATOR", path: "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values", why: "Gt with two values", bad: deployment({}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "cpu", operator: "Gt", values: ["1", "2"] }] }] } } } }), good: deployment({}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "cpu", operator: "Gt", values: ["1"] }] }] } } } }) },
  { rule: "SW-SEM-SELECTOR-OPERATOR", path: "spec.selector.matchExpressions[0].values", why: "In with no values", bad: pdb({ selector: { matchExpressions: [{ key: "app", operator: "In", values: [] }] } }), good: pdb({ selector: { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] } }) },
  { rule: "SW-SEM-SECURITY-CONTEXT", path: `${C0}.securityContext.allowPrivilegeEscalation`, why: "privileged without escalation", bad: deployment({}, {}, { securityContext: { privileged: true, allowPrivilegeEscalation: false } }), good: deployment({}, {}, { securityContext: { privileged: false, allowPrivilegeEscalation: false } }) },
  { rule: "SW-SEM-BOUNDS", path: "spec.replicas", why: "replicas -1", bad: deployment({ replicas: -1 }), good: deployment({ replicas: 0 }) },
  { rule: "SW-SEM-BOUNDS", path: `${C0}.lifecycle.preStop.sleep.seconds`, why: "sleep 0 on 1.32 (allowed from 1.33)", version: "1.32", bad: deployment({}, {}, { lifecycle: { preStop: { sleep: { seconds: 0 } } } }), good: deployment({}, {}, { lifecycle: { preStop: { sleep: { seconds: 1 } } } }) },
  { rule: "SW-SEM-BOUNDS", path: "spec.progressDeadlineSeconds", why: "progressDeadlineSeconds ≤ minReadySeconds", bad: deployment({ minReadySeconds: 30, progressDeadlineSeconds: 30 }), good: deployment({ minReadySeconds: 30, progressDeadlineSeconds: 31 }) },
  { rule: "SW-SEM-ROLLOUT", path: "spec.strategy.rollingUpdate.maxUnavailable", why: "maxSurge 0 with maxUnavailable 0", bad: deployment({ strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }), good: deployment({ strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }) },
  { rule: "SW-SEM-ROLLOUT", path: "spec.strategy.rollingUpdate", why: "Recreate with rollingUpdate", bad: deployment({ strategy: { type: "Recreate", rollingUpdate: { maxSurge: 1 } } }), good: deployment({ strategy: { type: "Recreate" } }) },
  { rule: "SW-SEM-SELECTOR", path: "spec.selector", why: "an empty selector", bad: deployment({ selector: {} }), good: deployment() },
  { rule: "SW-SEM-CRON-SCHEDULE", path: "spec.schedule", why: "CronJob schedule 61 * * * *", bad: cronJob({ schedule: "61 * * * *" }), good: cronJob({ schedule: "59 * * * *" }) },
  { rule: "SW-SEM-CRON-SCHEDULE", path: "spec.schedule", why: "TZ in the schedule", bad: cronJob({ schedule: "CRON_TZ=UTC 0 3 * * *" }), good: cronJob({ schedule: "0 3 * * *", timeZone: "Etc/UTC" }) },
  { rule: "SW-SEM-CRON-SCHEDULE", path: "spec.timeZone", why: "an unknown time zone", bad: cronJob({ timeZone: "Europe/Pariss" }), good: cronJob({ timeZone: "Europe/Paris" }) },
  { rule: "SW-SEM-NAME", path: "metadata.name", why: "a CronJob name over 52 characters", bad: cronJob({}, "n".repeat(53)), good: cronJob({}, "n".repeat(52)) },
  { rule: "SW-SEM-JOB", path: "spec.completions", why: "Indexed without completions", bad: job({ completionMode: "Indexed" }), good: job({ completionMode: "Indexed", completions: 3 }) },
  { rule: "SW-SEM-SERVICE", path: "spec.ports[0].nodePort", why: "nodePort on a ClusterIP Service", bad: service({ ports: [{ port: 80, nodePort: 30080 }] }), good: service({ type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }) },
  { rule: "SW-SEM-SERVICE", path: "spec.externalName", why: "ExternalName without externalName", bad: service({ type: "ExternalName", selector: undefined, ports: undefined }), good: service({ type: "ExternalName", externalName: "db.example.com", selector: undefined, ports: undefined }) },
  { rule: "SW-SEM-PORTNAME", path: "spec.ports[0].name", why: "a Service port name that is no DNS label", bad: service({ ports: [{ name: "HTTP", port: 80 }] }), good: service({ ports: [{ name: "80", port: 80 }] }) },
  { rule: "SW-SEM-CONFIG-KEY", path: 'data["a/b"]', why: "a ConfigMap key with '/'", bad: configMap({ "a/b": "x" }), good: configMap({ "a.b": "x" }) },
  { rule: "SW-SEM-SECRET-TYPE", path: "data", why: "a TLS Secret without tls.key", bad: secret({ type: "kubernetes.io/tls", data: { "tls.crt": "Y3J0" } }), good: secret({ type: "kubernetes.io/tls", data: { "tls.crt": "Y3J0", "tls.key": "a2V5" } }) },
  { rule: "SW-SEM-INGRESS", path: "spec.rules[0].http.paths[0].path", why: "a Prefix path without '/'", bad: ingress({ path: "api" }), good: ingress({ path: "/api" }) },
  { rule: "SW-SEM-INGRESS", path: "spec.rules[0].host", why: "a wildcard in the middle", bad: ingress({}, "shop.*.example.com"), good: ingress({}, "*.shop.example.com") },
  { rule: "SW-SEM-NETPOL", path: "spec.ingress[0].ports[0].endPort", why: "endPort < port", bad: netpol({ port: 8080, endPort: 8000 }), good: netpol({ port: 8000, endPort: 8080 }) },
  { rule: "SW-SEM-NETPOL", path: "spec.ingress[0].ports[0].endPort", why: "endPort with a named port", bad: netpol({ port: "http", endPort: 8080 }), good: netpol({ port: "http" }) },
  { rule: "SW-SEM-PDB", path: "spec.maxUnavailable", why: "PDB with both minAvailable and maxUnavailable", bad: pdb({ minAvailable: 1, maxUnavailable: 1 }), good: pdb({ maxUnavailable: 1 }) },
  { rule: "SW-SEM-PDB", path: "spec.minAvailable", why: "PDB minAvailable 120%", bad: pdb({ minAvailable: "120%" }), good: pdb({ minAvailable: "100%" }) },
  { rule: "SW-SEM-HPA", path: "spec.maxReplicas", why: "minReplicas > maxReplicas", bad: hpa({ minReplicas: 5, maxReplicas: 3 }), good: hpa({ minReplicas: 3, maxReplicas: 3 }) },
  { rule: "SW-SEM-HPA", path: "spec.metrics[0].resource.target.averageUtilization", why: "a Utilization target without averageUtilization", bad: hpa({ metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization" } } }] }), good: hpa({ metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }] }) },
  { rule: "SW-SEM-RBAC", path: "rules[0].nonResourceURLs", why: "a Role with nonResourceURLs", bad: role({ apiGroups: undefined, resources: undefined, nonResourceURLs: ["/healthz"] }), good: { ...role({ apiGroups: undefined, resources: undefined, nonResourceURLs: ["/healthz"] }), kind: "ClusterRole", metadata: { name: "health" } } },
  { rule: "SW-SEM-RBAC", path: "rules[0].verbs", why: "a rule without verbs", bad: role({ verbs: [] }), good: role({}) },
  { rule: "SW-SEM-RBAC", path: "subjects[0].namespace", why: "a ClusterRoleBinding ServiceAccount without namespace", bad: binding({ subjects: [{ kind: "ServiceAccount", name: "web" }] }), good: binding({}) },
  { rule: "SW-SEM-RBAC", path: "roleRef.kind", why: "a ClusterRoleBinding to a Role", bad: binding({ roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "view" } }), good: binding({}) },
  { rule: "SW-SEM-STORAGECLASS", path: "reclaimPolicy", why: "reclaimPolicy Recycle", bad: storageClass({ reclaimPolicy: "Recycle" }), good: storageClass({ reclaimPolicy: "Retain" }) },
  { rule: "SW-SEM-STORAGECLASS", path: "provisioner", why: "a provisioner that is no qualified name", bad: storageClass({ provisioner: "ebs csi" }), good: storageClass({}) },
  { rule: "SW-SEM-TOLERATION", path: "spec.template.spec.tolerations[0].operator", why: "a toleration with an empty key and operator Equal", bad: deployment({}, { tolerations: [{ operator: "Equal", value: "x" }] }), good: deployment({}, { tolerations: [{ operator: "Exists" }] }) },
  { rule: "SW-SEM-TOLERATION", path: "spec.template.spec.tolerations[0].effect", why: "tolerationSeconds with effect NoSchedule", bad: deployment({}, { tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 30 }] }), good: deployment({}, { tolerations: [{ key: "k", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }] }) },
  { rule: "SW-SEM-TOLERATION", path: "spec.template.spec.tolerations[0].value", why: "operator Exists with a value", bad: deployment({}, { tolerations: [{ key: "k", operator: "Exists", value: "v" }] }), good: deployment({}, { tolerations: [{ key: "k", operator: "Equal", value: "v" }] }) },
  { rule: "SW-SEM-AFFINITY", path: "spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey", why: "an anti-affinity term with an empty topologyKey", bad: deployment({}, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: "" }] } } }), good: deployment({}, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: "topology.kubernetes.io/zone" }] } } }) },
  { rule: "SW-SEM-AFFINITY", path: "spec.template.spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", why: "a preferred term with weight 101", bad: deployment({}, { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: "kubernetes.io/hostname" } }] } } }), good: deployment({}, { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: "kubernetes.io/hostname" } }] } } }) },
  { rule: "SW-SEM-ENV", path: `${C0}.env[0].valueFrom.fieldRef.fieldPath`, why: "an env fieldRef to status.phase (volume-only or unsupported)", bad: deployment({}, {}, { env: [{ name: "PHASE", valueFrom: { fieldRef: { fieldPath: "status.phase" } } }] }), good: deployment({}, {}, { env: [{ name: "APP", valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }] }) },
  { rule: "SW-SEM-ENV", path: `${C0}.env[0].valueFrom.resourceFieldRef.resource`, why: "a resourceFieldRef to limits.gpu", bad: deployment({}, {}, { env: [{ name: "GPU", valueFrom: { resourceFieldRef: { resource: "limits.gpu" } } }] }), good: deployment({}, {}, { env: [{ name: "MEM", valueFrom: { resourceFieldRef: { resource: "limits.memory" } } }] }) },
  { rule: "SW-SEM-SECURITY-CONTEXT", path: "spec.template.spec.securityContext.seccompProfile.localhostProfile", why: "seccomp type Localhost without localhostProfile", bad: deployment({}, { securityContext: { seccompProfile: { type: "Localhost" } } }), good: deployment({}, { securityContext: { seccompProfile: { type: "Localhost", localhostProfile: "profiles/web.json" } } }) },
  { rule: "SW-SEM-SECURITY-CONTEXT", path: `${C0}.securityContext.appArmorProfile.localhostProfile`, why: "an AppArmor localhostProfile with type RuntimeDefault", bad: deployment({}, {}, { securityContext: { appArmorProfile: { type: "RuntimeDefault", localhostProfile: "web" } } }), good: deployment({}, {}, { securityContext: { appArmorProfile: { type: "Localhost", localhostProfile: "web" } } }) },
  { rule: "SW-SEM-VOLUME-SOURCE", path: "spec.template.spec.volumes[0].secret.defaultMode", why: "a secret volume with defaultMode 01000", bad: deployment({}, { volumes: [{ name: "s", secret: { secretName: "s", defaultMode: 0o1000 } }] }), good: deployment({}, { volumes: [{ name: "s", secret: { secretName: "s", defaultMode: 0o400 } }] }) },
  { rule: "SW-SEM-VOLUME-SOURCE", path: "spec.template.spec.volumes[0].configMap.items[0].path", why: "a configMap item path with '..'", bad: deployment({}, { volumes: [{ name: "c", configMap: { name: "cfg", items: [{ key: "a", path: "../a" }] } }] }), good: deployment({}, { volumes: [{ name: "c", configMap: { name: "cfg", items: [{ key: "a", path: "conf/a" }] } }] }) },
  { rule: "SW-SEM-VOLUME-SOURCE", path: "spec.template.spec.volumes[0].projected.sources[0].secret.items[0].mode", why: "a projected secret item with mode 0o1777", bad: deployment({}, { volumes: [{ name: "p", projected: { sources: [{ secret: { name: "s", items: [{ key: "a", path: "a", mode: 0o1777 }] } }] } }] }), good: deployment({}, { volumes: [{ name: "p", projected: { sources: [{ secret: { name: "s", items: [{ key: "a", path: "a", mode: 0o777 }] } }] } }] }) },
  { rule: "SW-SEM-VOLUME-MOUNT", path: `${C0}.volumeMounts[0].subPathExpr`, why: "subPath and subPathExpr together", bad: deployment({}, { volumes: [{ name: "tmp", emptyDir: {} }] }, { volumeMounts: [{ name: "tmp", mountPath: "/tmp", subPath: "a", subPathExpr: "$(POD)" }] }), good: deployment({}, { volumes: [{ name: "tmp", emptyDir: {} }] }, { volumeMounts: [{ name: "tmp", mountPath: "/tmp", subPathExpr: "$(POD)" }] }) },
  { rule: "SW-SEM-VOLUME-MOUNT", path: `${C0}.volumeMounts[0].mountPropagation`, why: "Bidirectional propagation in an unprivileged container", bad: deployment({}, { volumes: [{ name: "tmp", emptyDir: {} }] }, { volumeMounts: [{ name: "tmp", mountPath: "/tmp", mountPropagation: "Bidirectional" }] }), good: deployment({}, { volumes: [{ name: "tmp", emptyDir: {} }] }, { securityContext: { privileged: true }, volumeMounts: [{ name: "tmp", mountPath: "/tmp", mountPropagation: "Bidirectional" }] }) },
  { rule: "SW-SEM-NAME", path: "spec.template.spec.hostname", why: "a pod hostname that is no DNS label", bad: deployment({}, { hostname: "Web_1" }), good: deployment({}, { hostname: "web-1" }) },
  { rule: "SW-SEM-NAME", path: "spec.template.spec.serviceAccountName", why: "a serviceAccountName with capitals", bad: deployment({}, { serviceAccountName: "Web" }), good: deployment({}, { serviceAccountName: "web" }) },
  { rule: "SW-SEM-NAME", path: "metadata.finalizers[0]", why: "a finalizer without a domain prefix", bad: { ...configMap({ a: "b" }), metadata: { name: "cfg", namespace: "shop", finalizers: ["cleanup"] } }, good: { ...configMap({ a: "b" }), metadata: { name: "cfg", namespace: "shop", finalizers: ["example.com/cleanup", "orphan"] } } },
  { rule: "SW-SEM-DNS", path: "spec.template.spec.hostAliases[0].ip", why: "a hostAliases entry whose ip is no address", bad: deployment({}, { hostAliases: [{ ip: "10.0.0", hostnames: ["db.local"] }] }), good: deployment({}, { hostAliases: [{ ip: "fd00::10", hostnames: ["db.local"] }] }) },
  { rule: "SW-SEM-PORTNAME", path: "spec.ports[0].name", why: "a Service port name over 63 characters", bad: service({ ports: [{ name: "p".repeat(64), port: 80 }] }), good: service({ ports: [{ name: "a-service-port-name-longer-than-fifteen", port: 80 }] }) },
  { rule: "SW-SEM-PORTNAME", path: `${C0}.ports[0].name`, why: "a container port name over 15 characters (IANA_SVC_NAME)", bad: deployment({}, {}, { ports: [{ name: "sixteen-chars-xx", containerPort: 8080 }] }), good: deployment({}, {}, { ports: [{ name: "fifteen-chars-x", containerPort: 8080 }] }) },
  { rule: "SW-SEM-PORTNAME", path: `${C0}.ports[0].name`, why: "a numeric container port name (a Service's may be)", bad: deployment({}, {}, { ports: [{ name: "80", containerPort: 80 }] }), good: deployment({}, {}, { ports: [{ name: "http", containerPort: 80 }] }) },
];

const strip = (o: O): O => JSON.parse(JSON.stringify(o)) as O; // drops the `undefined` fields the cases use to remove one

function findings(o: O, version?: string): { rule: string; path: string }[] {
  const r = validateManifests([{ file: "case.yaml", object: strip(clone(o)) }], version ? { kubernetesVersion: version } : {});
  return r.findings.map((f) => ({ rule: f.rule, path: f.path }));
}

describe("API-server rules: one manifest per rule and a valid look-alike", () => {
  for (const c of CASES) {
    it(`GIVEN ${c.why} WHEN validated THEN ${c.rule} at ${c.path}`, () => {
      expect(findings(c.bad, c.version)).toEqual([{ rule: c.rule, path: c.path }]);
    });
    it(`GIVEN the valid look-alike of "${c.why}" WHEN validated THEN no finding`, () => {
      expect(findings(c.good, c.version)).toEqual([]);
    });
  }
});
