/**
 * The rule catalogue: one entry per rule ID. IDs are stable API (CI logs, exemption
 * annotations and dashboards refer to them); never renumber or reuse one.
 * The README's rule table documents this list; `conventions.test.ts` fails when a rule is missing there.
 */
import type { GuardrailPolicy, Severity } from "./types";

export type RuleCategory = "yaml" | "schema" | "api" | "semantic" | "guardrail" | "cross-object" | "argocd";

/**
 * `error` / `warning`: fixed. `policy`: error under a strict policy, warning under a relaxed one.
 * `error-always`: a guardrail that no environment may relax (secrets in git).
 */
export type RuleSeverity = Severity | "policy" | "error-always";

export interface RuleInfo {
  readonly id: string;
  readonly category: RuleCategory;
  readonly severity: RuleSeverity;
  readonly title: string;
  /** Where the finding points, for the docs table. */
  readonly path: string;
  readonly hint: string;
}

function r(id: string, category: RuleCategory, severity: RuleSeverity, title: string, path: string, hint: string): RuleInfo {
  return { id, category, severity, title, path, hint };
}

export const RULES: readonly RuleInfo[] = [
  r("SW-YAML-PARSE", "yaml", "error", "The file is not valid YAML (or a document is not a mapping)", "(document)", "Fix the YAML syntax at the reported line."),
  r("SW-YAML-DUPKEY", "yaml", "error", "Duplicate key in a YAML mapping (strict mode); the message names the key and both lines", "the duplicated key", "Remove one of the duplicated keys; YAML parsers disagree on which one wins."),
  r("SW-YAML-EMPTY", "yaml", "error", "The input (stdin) holds no Kubernetes object", "(document)", "Check what was piped in: an empty pipe usually means the command before it failed."),
  r("SW-SCHEMA-TYPEMETA", "schema", "error", "Missing or malformed apiVersion / kind", "apiVersion, kind", "Every document needs a string `apiVersion` and `kind`."),
  r("SW-SCHEMA-MISSING", "schema", "error", "No schema for this apiVersion/kind", "kind", "Check apiVersion/kind spelling, add the CRD with --schema-location, or pass --ignore-missing-schemas / --skip KIND."),
  r("SW-SCHEMA-REJECTED", "schema", "error", "Kind rejected with --reject", "kind", "Remove the object or stop rejecting this kind."),
  r("SW-SCHEMA-UNKNOWN", "schema", "error", "Unknown field (strict mode)", "the unknown field", "Remove the field or fix its spelling; the API server would drop or reject it."),
  r("SW-SCHEMA-REQUIRED", "schema", "error", "A required field is missing or null", "the missing field", "Add the field."),
  r("SW-SCHEMA-TYPE", "schema", "error", "A field has the wrong type", "the field", "Use the type the API expects (quote strings such as yes/no/on/off, which YAML 1.1 reads as booleans)."),
  r("SW-SCHEMA-ENUM", "schema", "error", "A value is not one of the allowed values", "the field", "Use one of the allowed values."),
  r("SW-SCHEMA-FORMAT", "schema", "error", "A value breaks a format, pattern or bound of the schema", "the field", "Fix the value to match the schema's format."),
  r("SW-SCHEMA-INTORSTR", "schema", "error", "int-or-string field holds a numeric string or a malformed name/percentage", "the field", "Write numbers unquoted (8080, not \"8080\"); strings must be a port name or a percentage like 25%."),
  r("SW-SCHEMA-QUANTITY", "schema", "error", "Resource quantity breaks the Kubernetes quantity grammar or its unit is wrong for the resource", "the quantity", "Use e.g. cpu: 250m or 1, memory: 256Mi or 1Gi (no 'GB', no binary suffix for cpu, no milli for bytes)."),
  r("SW-SCHEMA-CEL", "schema", "error", "A CRD's x-kubernetes-validations (CEL) rule rejects the value", "the rule's node, or its fieldPath", "Change the value so the rule holds; the message is the CRD's own."),
  r("SW-SCHEMA-CEL-UNSUPPORTED", "schema", "warning", "A CRD's CEL rule uses something the evaluator does not have, so it was not checked", "the rule's node", "Check the rule by hand (or with a dry-run apply); tell us which function it needs."),
  r("SW-SCHEMA-LISTTYPE", "schema", "error", "A repeated item in a list-type set, or a repeated key in a list-type map", "the repeated item", "Remove the repeated item, or give it a key of its own."),
  r("SW-SCHEMA-PATTERN", "schema", "warning", "A schema pattern in Go's RE2 dialect has no JavaScript translation, so it was not checked", "the field", "Check the value by hand; the message names the construct that could not be translated."),
  r("SW-SCHEMA-VERSION", "schema", "error", "Field not served by the target Kubernetes version", "the field", "Remove the field or raise the cluster's Kubernetes version."),
  r("SW-API-REMOVED", "api", "error", "apiVersion removed in the target Kubernetes version", "apiVersion", "Move to the replacement apiVersion named in the message."),
  r("SW-API-DEPRECATED", "api", "warning", "apiVersion deprecated in the target Kubernetes version", "apiVersion", "Move to the replacement apiVersion before the removal release."),
  r("SW-API-UNAVAILABLE", "api", "error", "apiVersion not yet served by the target Kubernetes version", "apiVersion", "Use the older apiVersion named in the message or upgrade the cluster."),
  r("SW-SEM-NAME", "semantic", "error", "A name the API server refuses: metadata.name / namespace, container name, the pod's hostname, subdomain, serviceAccountName, priorityClassName, nodeName, or a finalizer", "metadata.name", "Use lower-case letters, digits and '-' (and '.' where a subdomain is allowed), start and end alphanumeric."),
  r("SW-SEM-LABEL", "semantic", "error", "Label key or value has invalid syntax", "metadata.labels[key]", "Keys: optional DNS prefix + '/' + name (≤ 63, alphanumeric, '-', '_', '.'); values ≤ 63 characters of the same set."),
  r("SW-SEM-ANNOTATION", "semantic", "error", "Annotation key has invalid syntax, or annotations exceed 256 KiB", "metadata.annotations[key]", "Use a qualified name as key; move large data to a ConfigMap."),
  r("SW-SEM-PORTNAME", "semantic", "error", "Port name is invalid (a container's: an IANA service name; a Service's: a DNS-1123 label)", "…ports[i].name", "Container ports: at most 15 characters, lower-case alphanumerics and '-', at least one letter, no leading, trailing or double '-'. Service ports: a DNS-1123 label (\"80\" is fine)."),
  r("SW-SEM-DUPNAME", "semantic", "error", "Duplicate container, port, env, volume or volume-mount name", "the list item", "Give every list item a unique name."),
  r("SW-SEM-SELECTOR", "semantic", "error", "Workload selector does not match its pod template labels", "spec.selector", "Every selector label must be set, with the same value, in spec.template.metadata.labels."),
  r("SW-SEM-RESOURCES", "semantic", "error", "A resource request exceeds its limit", "…resources.requests[name]", "Set requests ≤ limits."),
  r("SW-SEM-SCOPE", "semantic", "error", "metadata.namespace set on a cluster-scoped kind", "metadata.namespace", "Remove metadata.namespace."),
  r("SW-SEM-PORT-RANGE", "semantic", "error", "A port number is outside 1–65535", "…ports[i].containerPort, spec.ports[i].port", "Use a port between 1 and 65535."),
  r("SW-SEM-HOST-PORT", "semantic", "error", "With hostNetwork, a hostPort differs from its containerPort", "…ports[i].hostPort", "Set hostPort equal to containerPort, or drop it."),
  r("SW-SEM-PROBE-HANDLER", "semantic", "error", "A probe or lifecycle handler has no handler, or more than one", "…containers[i].livenessProbe", "Keep exactly one of exec, httpGet, tcpSocket, grpc (lifecycle: exec, httpGet, sleep)."),
  r("SW-SEM-PROBE-THRESHOLD", "semantic", "error", "A liveness or startup probe's successThreshold is not 1", "…livenessProbe.successThreshold", "Set successThreshold: 1 (or drop it)."),
  r("SW-SEM-CONTAINER-FIELD", "semantic", "error", "A field this kind of container may not have (probes on init containers, ports on ephemeral ones, restartPolicy outside init containers)", "…initContainers[i].livenessProbe", "Remove the field, or make the init container a sidecar (restartPolicy: Always)."),
  r("SW-SEM-VOLUME-MOUNT", "semantic", "error", "A volumeMount names no volume of the pod, or has an invalid subPath, subPathExpr, mountPath or mountPropagation", "…containers[i].volumeMounts[j].name", "Add the volume to spec.volumes, or fix the mount's name."),
  r("SW-SEM-VOLUME-SOURCE", "semantic", "error", "A volume has more than one source, or a file mode or item path the API server refuses", "…volumes[i]", "Keep exactly one source (emptyDir, configMap, secret, persistentVolumeClaim, …) per volume; file modes 0–0777 (octal), item paths relative without '..'."),
  r("SW-SEM-ENV", "semantic", "error", "An env var name is invalid for the target version, value/valueFrom/envFrom are combined wrongly, or a fieldRef/resourceFieldRef names an unsupported field", "…containers[i].env[j].name", "Fix the name; give each variable value or valueFrom with exactly one source."),
  r("SW-SEM-RESTART-POLICY", "semantic", "error", "The pod template's restartPolicy is not allowed for the workload kind", "…spec.restartPolicy", "Deployments, StatefulSets, DaemonSets and ReplicaSets: Always; Jobs and CronJobs: OnFailure or Never."),
  r("SW-SEM-DNS", "semantic", "error", "dnsPolicy / dnsConfig / hostAliases the API server refuses", "…spec.dnsConfig", "dnsPolicy None needs nameservers; at most 3 nameservers and 32 search domains."),
  r("SW-SEM-TOPOLOGY-SPREAD", "semantic", "error", "A topology spread constraint the API server refuses (duplicate key and policy, minDomains without DoNotSchedule)", "…topologySpreadConstraints[i]", "One constraint per topologyKey and whenUnsatisfiable; minDomains only with DoNotSchedule."),
  r("SW-SEM-SELECTOR-OPERATOR", "semantic", "error", "A selector requirement's operator and values do not fit (In/NotIn need values, Exists/DoesNotExist take none, Gt/Lt one integer)", "…matchExpressions[i].values", "Give In/NotIn at least one value, Exists/DoesNotExist none, Gt/Lt exactly one integer."),
  r("SW-SEM-SECURITY-CONTEXT", "semantic", "error", "allowPrivilegeEscalation: false with privileged or CAP_SYS_ADMIN, or a seccomp/AppArmor localhostProfile without type Localhost (or the reverse)", "…securityContext.allowPrivilegeEscalation", "A privileged container always may escalate: drop privileged / CAP_SYS_ADMIN."),
  r("SW-SEM-BOUNDS", "semantic", "error", "A count or duration is below its minimum (replicas, seconds, thresholds, limits)", "the field", "Use a value within the bound the message names."),
  r("SW-SEM-ROLLOUT", "semantic", "error", "A rollout strategy that cannot progress or contradicts its type", "spec.strategy.rollingUpdate.maxUnavailable", "Let maxSurge or maxUnavailable be above 0; drop rollingUpdate with Recreate/OnDelete."),
  r("SW-SEM-CRON-SCHEDULE", "semantic", "error", "A CronJob schedule or time zone the controller cannot parse", "spec.schedule", "Five fields (minute 0–59, hour 0–23, day 1–31, month 1–12, weekday 0–6) or @hourly/@daily/…; the zone in spec.timeZone."),
  r("SW-SEM-JOB", "semantic", "error", "Job fields that do not go together (Indexed without completions, per-index limits without Indexed, podFailurePolicy without restartPolicy Never)", "spec.completions", "Set the field the message names, or drop the one that needs it."),
  r("SW-SEM-SERVICE", "semantic", "error", "Service fields the API server refuses for its type (ExternalName, headless, nodePort, traffic policies, session affinity)", "spec.type", "Keep each field to the Service types that use it."),
  r("SW-SEM-CONFIG-KEY", "semantic", "error", "A ConfigMap or Secret key is invalid or repeated, or the data exceeds 1 MiB", "data[key]", "Keys: letters, digits, '-', '_', '.'; one place per key; large data does not belong in a ConfigMap or Secret."),
  r("SW-SEM-SECRET-TYPE", "semantic", "error", "A Secret lacks the keys its type requires", "data", "Add the keys the type needs (tls.crt and tls.key for kubernetes.io/tls, …) or use type Opaque."),
  r("SW-SEM-INGRESS", "semantic", "error", "Ingress rules, hosts, paths or backends the API server refuses", "spec.rules[i].http.paths[j].path", "Hosts are DNS names (wildcard only as the first label); paths start with '/'; one backend each."),
  r("SW-SEM-NETPOL", "semantic", "error", "NetworkPolicy ports or peers the API server refuses (endPort below port, named port with endPort, ipBlock mixed with selectors)", "spec.ingress[i].ports[j].endPort", "endPort ≥ a numeric port; ipBlock alone in its peer; except CIDRs inside the cidr."),
  r("SW-SEM-PDB", "semantic", "error", "A PodDisruptionBudget sets both minAvailable and maxUnavailable, or a negative / over-100% value", "spec.maxUnavailable", "Set exactly one of minAvailable and maxUnavailable."),
  r("SW-SEM-HPA", "semantic", "error", "HorizontalPodAutoscaler bounds, metrics or behavior the API server refuses", "spec.maxReplicas", "minReplicas ≥ 1 and ≤ maxReplicas; each metric with its own source and a target of its type."),
  r("SW-SEM-RBAC", "semantic", "error", "RBAC rules, roleRef or subjects the API server refuses", "rules[i].verbs", "Rules need verbs and (apiGroups and resources) or nonResourceURLs (ClusterRole only); subjects need the right apiGroup."),
  r("SW-SEM-STORAGECLASS", "semantic", "error", "A StorageClass provisioner, parameters, policy or topology the API server refuses", "provisioner", "A qualified-name provisioner, ≤ 512 parameters, reclaimPolicy Delete|Retain, volumeBindingMode Immediate|WaitForFirstConsumer."),
  r("SW-SEM-TOLERATION", "semantic", "error", "A toleration the API server refuses (key, operator and value, effect, tolerationSeconds without NoExecute)", "…tolerations[i].operator", "Empty key needs operator Exists; Exists takes no value; tolerationSeconds only with effect NoExecute."),
  r("SW-SEM-AFFINITY", "semantic", "error", "A pod (anti-)affinity term without a valid topologyKey, or a preferred term's weight outside 1–100", "…affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[i].topologyKey", "Give every pod affinity term a topologyKey (e.g. topology.kubernetes.io/zone) and weights between 1 and 100."),
  r("SW-GR-PRIVILEGED", "guardrail", "policy", "Privileged container", "…securityContext.privileged", "Remove privileged: true."),
  r("SW-GR-HOST-NAMESPACES", "guardrail", "policy", "hostNetwork / hostPID / hostIPC enabled", "spec…hostNetwork", "Remove host namespace sharing."),
  r("SW-GR-HOSTPATH-SOCKET", "guardrail", "policy", "hostPath volume mounts a container-runtime socket", "…volumes[i].hostPath.path", "Do not mount docker/containerd/cri-o sockets into pods."),
  r("SW-GR-PRIV-ESCALATION", "guardrail", "policy", "allowPrivilegeEscalation not set to false", "…securityContext.allowPrivilegeEscalation", "Set securityContext.allowPrivilegeEscalation: false."),
  r("SW-GR-RUN-AS-NON-ROOT", "guardrail", "policy", "Container may run as root", "…securityContext.runAsNonRoot", "Set runAsNonRoot: true (pod or container) and a non-zero runAsUser."),
  r("SW-GR-READONLY-ROOTFS", "guardrail", "policy", "Root filesystem is writable", "…securityContext.readOnlyRootFilesystem", "Set readOnlyRootFilesystem: true; mount an emptyDir where the app writes."),
  r("SW-GR-CAPABILITIES", "guardrail", "policy", "Capabilities do not drop ALL (or add dangerous ones)", "…securityContext.capabilities", "Set capabilities.drop: [ALL] and add back only NET_BIND_SERVICE if needed."),
  r("SW-GR-SECCOMP", "guardrail", "policy", "No seccomp profile (RuntimeDefault or Localhost)", "spec…securityContext.seccompProfile", "Set securityContext.seccompProfile.type: RuntimeDefault on the pod."),
  r("SW-GR-RESOURCES", "guardrail", "policy", "Missing cpu/memory requests or memory limit", "…resources", "Set resources.requests.cpu, requests.memory and limits.memory."),
  r("SW-GR-PROBES", "guardrail", "policy", "Missing readiness or liveness probe on a long-running container", "…containers[i].readinessProbe", "Add readinessProbe and livenessProbe."),
  r("SW-GR-IMAGE-TAG", "guardrail", "policy", "Image uses :latest or no tag", "…containers[i].image", "Pin the image to a version tag or a digest."),
  r("SW-GR-IMAGE-DIGEST", "guardrail", "policy", "Image not pinned by digest where the environment requires it", "…containers[i].image", "Use image@sha256:… (the release lock file provides it)."),
  r("SW-GR-REGISTRY", "guardrail", "policy", "Image from a registry outside the allow-list", "…containers[i].image", "Mirror the image to a trusted registry."),
  r("SW-GR-REPLICAS", "guardrail", "policy", "Fewer replicas than the environment's minimum", "spec.replicas", "Raise spec.replicas (or the HPA's minReplicas)."),
  r("SW-GR-PDB-REQUIRED", "guardrail", "policy", "No PodDisruptionBudget selects the workload", "spec.template.metadata.labels", "Add a PodDisruptionBudget selecting the pods."),
  r("SW-GR-PDB-BLOCKING", "guardrail", "policy", "PodDisruptionBudget allows no voluntary disruption", "spec.maxUnavailable", "Allow at least one pod to be evicted (maxUnavailable ≥ 1 or minAvailable < replicas)."),
  r("SW-GR-TOPOLOGY-SPREAD", "guardrail", "policy", "Replicated workload without topology spread constraints or pod anti-affinity", "spec.template.spec.topologySpreadConstraints", "Spread replicas across zones with topologySpreadConstraints."),
  r("SW-GR-PUBLIC-INGRESS", "guardrail", "policy", "Internet-facing Ingress or load balancer without an approval annotation", "metadata.annotations", "Add slipway.dev/public-ingress-approval: <ticket or approver>, or make it internal."),
  r("SW-GR-SERVICE-TYPE", "guardrail", "policy", "Service of type NodePort or LoadBalancer", "spec.type", "Use ClusterIP behind an Ingress."),
  r("SW-GR-DEFAULT-NAMESPACE", "guardrail", "policy", "Object in the default namespace (or no namespace)", "metadata.namespace", "Put the object in its tenant namespace <tenant>-<env>."),
  r("SW-GR-OWNER-LABEL", "guardrail", "policy", "Missing owner label slipway.dev/tenant (or slipway.dev/addon)", "metadata.labels", "Label the object with slipway.dev/tenant: <tenant>."),
  r("SW-GR-IAM-ROLE-SHARED", "guardrail", "policy", "One IAM role used by service accounts of different tenants", "metadata.annotations[\"eks.amazonaws.com/role-arn\"]", "Give each tenant's workload its own IAM role."),
  r("SW-GR-STORAGECLASS", "guardrail", "policy", "EBS StorageClass provisions gp2 or unencrypted volumes", "parameters.type, parameters.encrypted", "Set parameters.type: gp3 and parameters.encrypted: \"true\" (optionally kmsKeyId)."),
  r("SW-GR-SECRET-DATA", "guardrail", "error-always", "Secret object with data committed to git", "data", "Use an ExternalSecret reading AWS Secrets Manager instead."),
  r("SW-GR-ENV-CREDENTIAL", "guardrail", "policy", "Environment variable literal that looks like a credential", "…env[i].value", "Read it from a Secret (secretKeyRef) fed by an ExternalSecret."),
  r("SW-GR-CONFIG-CREDENTIAL", "guardrail", "policy", "ConfigMap value that looks like a credential (token prefix, URL with a password, high-entropy string)", "data.<key>", "Move it to AWS Secrets Manager and read it through an ExternalSecret (in app.ts: `secrets:`)."),
  r("SW-GR-SHARED-SECRET-STORE", "guardrail", "policy", "A tenant's ExternalSecret reads through a ClusterSecretStore", "spec.secretStoreRef.kind", "Read through the tenant namespace's SecretStore `tenant-secrets`, whose IAM role reads only the tenant's secrets."),
  r("SW-GR-JOB-CLEANUP", "guardrail", "policy", "Job or CronJob without activeDeadlineSeconds or ttlSecondsAfterFinished", "spec.activeDeadlineSeconds", "Bound the run with activeDeadlineSeconds, or let finished Jobs go with ttlSecondsAfterFinished (scheduled Jobs; Argo CD re-creates a Job in Git that a TTL deleted)."),
  r("SW-GR-SPOT-RETRY", "guardrail", "policy", "Job or Spark executors on spot capacity without retries (podFailurePolicy on DisruptionTarget, backoffLimit, maxNumFailures, restartPolicy)", "spec.podFailurePolicy, spec.restartPolicy", "Jobs: backoffLimit ≥ 1 or a podFailurePolicy rule Ignore on DisruptionTarget. SparkApplications: spark.executor.maxNumFailures or restartPolicy OnFailure with onFailureRetries."),
  r("SW-GR-S3-ACCESS-KEY", "guardrail", "policy", "Static AWS keys: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN in env, or fs.s3a access/secret keys in sparkConf or hadoopConf", "…env[i].name, spec.sparkConf[key]", "Give the ServiceAccount an IAM role (IRSA or Pod Identity, `aws:` in app.ts) and drop the keys; for S3A set fs.s3a.aws.credentials.provider."),
  r("SW-GR-EXEMPTION", "guardrail", "error", "Exemption annotation without a reason or for an unknown rule", "metadata.annotations[\"exempt.slipway.dev/…\"]", "Write exempt.slipway.dev/<RULE-ID>: <why this object needs it>."),
  r("SW-X-SERVICE-SELECTOR", "cross-object", "error", "Service selector matches no pod template in its namespace", "spec.selector", "Align the selector with the workload's pod labels."),
  r("SW-X-INGRESS-BACKEND", "cross-object", "error", "Ingress backend names a missing Service or Service port", "spec.rules[i].http.paths[j].backend.service", "Point the backend at an existing Service and one of its ports."),
  r("SW-X-SCALE-TARGET", "cross-object", "error", "HPA scaleTargetRef names a missing workload", "spec.scaleTargetRef", "Fix the target's kind/name."),
  r("SW-X-PDB-TARGET", "cross-object", "error", "PodDisruptionBudget selects no workload", "spec.selector", "Align the selector with the workload's pod labels."),
  r("SW-X-REFERENCE", "cross-object", "error", "Referenced ServiceAccount, ConfigMap, Secret or PVC does not exist", "the reference", "Create the object (for Secrets: an ExternalSecret with that target name, or a cert-manager Certificate with that spec.secretName) or fix the name."),
  r("SW-X-NAMESPACE", "cross-object", "error", "Namespace used does not exist, or belongs to another tenant", "metadata.namespace", "Use a namespace of the object's tenant (<tenant>-<env>) that the tenant library creates."),
  r("SW-X-DUPLICATE", "cross-object", "error", "The same object is defined twice (possibly by two apps)", "metadata.name", "Rename one of them; an object has exactly one owner."),
  r("SW-FLEET-UNOWNED", "argocd", "error", "A file under clusters/<cluster>/ that rendered.json does not list, a symbolic link under clusters/, or a cluster directory without cluster.ts (fleet mode)", "(file)", "Remove it, or produce it from the fleet's TypeScript and re-run `slipway render`; links are never followed."),
  r("SW-ARGO-APPLICATION", "argocd", "error", "An ApplicationSet would create a broken Application: missing or empty directory, duplicate name, destination or object outside its AppProject, in no rollout step (fleet mode)", "(ApplicationSet)", "Run `slipway argocd preview --cluster <cluster>` and fix the generator, the directory or the project."),
  r("SW-X-ALERT-SERIES", "cross-object", "error", "A PrometheusRule reads series no ServiceMonitor or PodMonitor (selected by a Prometheus) scrapes: no job named, an unscraped job, or the job in another namespace", "spec.groups[i].rules[j].expr", "Select the series by the job of a scrape target (`job=\"<app>\"` for an app with `metrics`); give the app `metrics: { port }` so it is scraped."),
  r("SW-X-ALB-SHUTDOWN", "cross-object", "error", "Pods behind an ALB (target-type ip) in a namespace without the readiness-gate label, or with a grace period not above preStop sleep + deregistration delay", "metadata.namespace (Ingress), spec.template.spec.terminationGracePeriodSeconds", "Label the namespace elbv2.k8s.aws/pod-readiness-gate-inject: enabled; set terminationGracePeriodSeconds above the preStop sleep plus deregistration_delay.timeout_seconds (in app.ts: `shutdown.drainSeconds` derives all three)."),
  r("SW-X-NODEPOOL", "cross-object", "error", "A tenant pod's nodeSelector or tolerations match no Karpenter NodePool (label, requirement or taint) on the cluster", "spec.template.spec.nodeSelector, …tolerations[i]", "Select labels and tolerate taints a NodePool of the cluster has (in app.ts: `placement`), or add the NodePool in the karpenter add-on's values."),
  r("SW-X-STORAGECLASS", "cross-object", "error", "A PersistentVolumeClaim or volumeClaimTemplate names a StorageClass that does not exist on the cluster, or one that does not encrypt", "spec.storageClassName", "Use the encrypted gp3 StorageClass `gp3` of the aws-ebs-csi-driver add-on (or another class with parameters.encrypted: \"true\")."),
  r("SW-X-NETPOL-ACCESS", "cross-object", "error", "App-to-app access declared on one side only", "spec.egress / spec.ingress", "Allow the traffic in both the caller's egress and the callee's ingress NetworkPolicy."),
];

export const RULES_BY_ID: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleInfo(id: string): RuleInfo {
  const rule = RULES_BY_ID.get(id);
  if (!rule) throw new Error(`unknown rule ${id}`);
  return rule;
}

/** The effective severity of a rule under a policy (guardrails) or on its own. */
export function severityOf(rule: RuleInfo, policy: GuardrailPolicy | undefined): Severity {
  switch (rule.severity) {
    case "error":
    case "error-always":
      return "error";
    case "warning":
      return "warning";
    case "policy":
      return policy?.guardrails === "relaxed" ? "warning" : "error";
  }
}
