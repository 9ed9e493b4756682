/**
 * Kyverno and ClusterPolicies that enforce at admission the guardrails `slipway validate` checks
 * in pull requests: Audit where the environment's guardrails are relaxed, Enforce where strict.
 * Policies apply to tenant namespaces (labelled `slipway.dev/tenant`), not to add-ons.
 */
import { ApiObject } from "cdk8s";
import { Labels } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import * as z from "zod";
import { addServiceAccount } from "../kit/identity";
import { meta, selectorLabels, SKIP_DRY_RUN } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { addClusterRole, addRole, bindClusterRole, READ, rule } from "../kit/rbac";
import { controllerValues } from "../kit/values";
import { addService, addWorkload, exemption, fieldEnv, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule, type AddonContext } from "../types";

const NAME = "kyverno";
const NAMESPACE = "kyverno";
const ADMISSION = "kyverno-admission-controller";
const BACKGROUND = "kyverno-background-controller";
const REPORTS = "kyverno-reports-controller";
const SERVICE = "kyverno-svc";
/** The ConfigMaps every controller reads (INIT_CONFIG, METRICS_CONFIG). */
const CONFIG_MAPS = ["kyverno", "kyverno-metrics"];
const crd = (plural: string, group: string, kind: string, versions: string[]) => ({ name: `${plural}.${group}`, kind, versions });

export const KyvernoValues = z.strictObject({
  ...controllerValues({ replicas: 3, cpu: "100m", memory: "256Mi" }),
  /** Override the action of every policy. @default Audit in relaxed environments, Enforce in strict ones */
  failureAction: z.enum(["Audit", "Enforce"]).optional(),
  /** Policies (by name without the `slipway-` prefix) switched off on this cluster. */
  disabledPolicies: z.array(z.string()).default([]),
});
type Values = z.output<typeof KyvernoValues>;

const PODS = { kinds: ["Pod"] };
const ALL_CONTAINERS = ["containers", "=(initContainers)", "=(ephemeralContainers)"] as const;

/** One validate rule per container list, so a message names where the problem is. */
function forContainers(pattern: Record<string, unknown>): Record<string, unknown> {
  return { spec: Object.fromEntries(ALL_CONTAINERS.map((list) => [list, [pattern]])) };
}

interface Policy {
  readonly id: string;
  readonly title: string;
  readonly message: string;
  readonly validate: Record<string, unknown>;
}

function policies(ctx: AddonContext<Values>): Policy[] {
  const registries = ctx.environment.policy.trustedRegistries;
  return [
    {
      id: "disallow-privileged", title: "No privileged containers", message: "privileged containers are not allowed; remove securityContext.privileged",
      validate: { pattern: forContainers({ "=(securityContext)": { "=(privileged)": "false" } }) },
    },
    {
      id: "disallow-host-namespaces", title: "No host namespaces", message: "hostNetwork, hostPID and hostIPC are not allowed",
      validate: { pattern: { spec: { "=(hostNetwork)": "false", "=(hostPID)": "false", "=(hostIPC)": "false" } } },
    },
    {
      id: "disallow-privilege-escalation", title: "No privilege escalation", message: "set securityContext.allowPrivilegeEscalation to false in every container",
      validate: { pattern: forContainers({ securityContext: { allowPrivilegeEscalation: "false" } }) },
    },
    {
      id: "require-run-as-non-root", title: "Run as non-root", message: "set runAsNonRoot: true on the pod or on every container",
      validate: {
        anyPattern: [
          { spec: { securityContext: { runAsNonRoot: "true" }, containers: [{ "=(securityContext)": { "=(runAsNonRoot)": "true" } }] } },
          { spec: { containers: [{ securityContext: { runAsNonRoot: "true" } }] } },
        ],
      },
    },
    {
      id: "require-resources", title: "Resources set", message: "every container needs CPU and memory requests and a memory limit",
      validate: { pattern: { spec: { containers: [{ resources: { requests: { cpu: "?*", memory: "?*" }, limits: { memory: "?*" } } }] } } },
    },
    {
      id: "disallow-latest-tag", title: "Pinned images", message: "images must be pinned by tag or digest, never `:latest`",
      validate: { pattern: forContainers({ image: "*:* & !*:latest" }) },
    },
    {
      id: "restrict-registries", title: "Trusted registries", message: `images must come from a trusted registry: ${registries.join(", ")}`,
      validate: { pattern: forContainers({ image: registries.map((r) => `${r}*`).join(" | ") }) },
    },
  ];
}

function addPolicies(scope: Construct, ctx: AddonContext<Values>): void {
  const action = ctx.values.failureAction ?? (ctx.environment.policy.guardrails === "strict" ? "Enforce" : "Audit");
  for (const policy of policies(ctx)) {
    if (ctx.values.disabledPolicies.includes(policy.id)) continue;
    new ApiObject(scope, `policy-${policy.id}`, {
      apiVersion: "kyverno.io/v1", kind: "ClusterPolicy",
      metadata: meta(ctx, `slipway-${policy.id}`, {
        namespace: null, wave: "configuration",
        annotations: { ...SKIP_DRY_RUN, "policies.kyverno.io/title": policy.title, "policies.kyverno.io/category": "Slipway guardrails", "policies.kyverno.io/subject": "Pod" },
      }),
      spec: {
        background: true,
        rules: [{
          name: policy.id,
          match: { any: [{ resources: { ...PODS, namespaceSelector: { matchExpressions: [{ key: Labels.tenant, operator: "Exists" }] } } }] },
          validate: { failureAction: action, message: policy.message, ...policy.validate },
        }],
      },
    });
  }
}

export const kyverno = defineAddonModule({
  name: NAME,
  description: "Admission policies mirroring the platform's guardrails (Audit in relaxed environments, Enforce in strict ones).",
  namespace: NAMESPACE,
  defaultVersion: "v1.14.4",
  upstream: "https://github.com/kyverno/kyverno",
  values: KyvernoValues,
  requires: [],
  syncWave: AddonWave.dependent,
  serverSideApply: true,
  crds: {
    source: { from: "upstream", repoURL: "https://github.com/kyverno/kyverno", path: "config/crds", recurse: true },
    // Every controller starts informers on these kinds; the ClusterPolicies here are kyverno.io/v1.
    required: [
      crd("cleanuppolicies", "kyverno.io", "CleanupPolicy", ["v2"]),
      crd("clustercleanuppolicies", "kyverno.io", "ClusterCleanupPolicy", ["v2"]),
      crd("clusterpolicies", "kyverno.io", "ClusterPolicy", ["v1"]),
      crd("globalcontextentries", "kyverno.io", "GlobalContextEntry", ["v2alpha1"]),
      crd("policies", "kyverno.io", "Policy", ["v1"]),
      crd("policyexceptions", "kyverno.io", "PolicyException", ["v2"]),
      crd("updaterequests", "kyverno.io", "UpdateRequest", ["v2"]),
      crd("imagevalidatingpolicies", "policies.kyverno.io", "ImageValidatingPolicy", ["v1alpha1"]),
      crd("policyexceptions", "policies.kyverno.io", "PolicyException", ["v1alpha1"]),
      crd("validatingpolicies", "policies.kyverno.io", "ValidatingPolicy", ["v1alpha1"]),
      crd("clusterpolicyreports", "wgpolicyk8s.io", "ClusterPolicyReport", ["v1alpha2"]),
      crd("policyreports", "wgpolicyk8s.io", "PolicyReport", ["v1alpha2"]),
      crd("clusterephemeralreports", "reports.kyverno.io", "ClusterEphemeralReport", ["v1"]),
      crd("ephemeralreports", "reports.kyverno.io", "EphemeralReport", ["v1"]),
    ],
  },
  comparedWith: ["charts/kyverno/templates@v1.14.4", "charts/kyverno/values.yaml@v1.14.4", "cmd/kyverno, cmd/background-controller, cmd/reports-controller, cmd/internal@v1.14.4", "pkg/config/config.go@v1.14.4", "config/crds@v1.14.4"],
  metrics: () => [{ selector: selectorLabels({ addon: NAME } as never, "admission-controller"), port: "metrics" }],
  generate(scope, ctx) {
    const v = ctx.values;
    addNamespace(scope, ctx);
    for (const sa of [ADMISSION, BACKGROUND, REPORTS]) addServiceAccount(scope, ctx, sa);
    // The chart's `:core` ClusterRoles and Roles at the tag, plus its binding of Kubernetes' `view`
    // role to each controller (read access to namespaced objects, Secrets excluded) for policies
    // that look objects up. Without the webhook-cleanup rules that serve Helm's pre-delete hook
    // and the opt-in autoDeleteWebhooks finalizers (neither is used here).
    const all = ["create", "delete", "get", "list", "patch", "update", "watch", "deletecollection"];
    const events = rule(["", "events.k8s.io"], ["events"], ["create", "update", "patch"]);
    addClusterRole(scope, ctx, ADMISSION, [
      rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["get"]),
      rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], all),
      rule(["rbac.authorization.k8s.io"], ["roles", "clusterroles", "rolebindings", "clusterrolebindings"], READ),
      rule(["kyverno.io"], ["policies", "policies/status", "clusterpolicies", "clusterpolicies/status", "updaterequests", "updaterequests/status", "globalcontextentries", "globalcontextentries/status"], all),
      rule(["kyverno.io"], ["policyexceptions"], ["create", "get", "list", "patch", "update", "watch"]),
      rule(["policies.kyverno.io"], ["validatingpolicies", "validatingpolicies/status", "imagevalidatingpolicies", "imagevalidatingpolicies/status"], all),
      rule(["policies.kyverno.io"], ["policyexceptions"], ["create", "get", "list", "patch", "update", "watch"]),
      rule(["reports.kyverno.io"], ["ephemeralreports", "clusterephemeralreports"], all),
      rule(["wgpolicyk8s.io"], ["policyreports", "policyreports/status", "clusterpolicyreports", "clusterpolicyreports/status"], all),
      events,
      rule(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
      rule([""], ["configmaps", "namespaces"], READ),
      rule(["coordination.k8s.io"], ["leases"], ["create", "update", "patch", "get", "list", "watch"]),
    ], ADMISSION);
    addRole(scope, ctx, ADMISSION, [
      // The admission controller issues and rotates its own TLS pair in these Secrets.
      rule([""], ["secrets", "serviceaccounts"], ["get", "list", "watch", "patch", "create", "update", "delete"]),
      rule([""], ["configmaps"], READ, CONFIG_MAPS),
      rule(["coordination.k8s.io"], ["leases"], ["create", "delete", "get", "patch", "update"]),
      rule(["apps"], ["deployments"], READ),
    ], ADMISSION);
    addClusterRole(scope, ctx, BACKGROUND, [
      rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["get"]),
      rule(["kyverno.io"], ["policies", "policies/status", "clusterpolicies", "clusterpolicies/status", "policyexceptions", "updaterequests", "updaterequests/status", "globalcontextentries", "globalcontextentries/status"], all),
      rule([""], ["namespaces", "configmaps"], READ),
      rule(["", "events.k8s.io"], ["events"], ["create", "get", "list", "patch", "update", "watch"]),
      rule(["reports.kyverno.io"], ["ephemeralreports", "clusterephemeralreports"], all),
    ], BACKGROUND);
    addRole(scope, ctx, BACKGROUND, [
      rule([""], ["configmaps"], READ, CONFIG_MAPS),
      rule(["coordination.k8s.io"], ["leases"], ["create"]),
      rule(["coordination.k8s.io"], ["leases"], ["delete", "get", "patch", "update"], [BACKGROUND]),
      rule([""], ["secrets"], READ),
    ], BACKGROUND);
    addClusterRole(scope, ctx, REPORTS, [
      rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["get"]),
      rule([""], ["configmaps", "namespaces"], READ),
      rule(["kyverno.io"], ["globalcontextentries", "globalcontextentries/status", "policyexceptions", "policies", "clusterpolicies"], all),
      rule(["policies.kyverno.io"], ["validatingpolicies", "validatingpolicies/status", "imagevalidatingpolicies", "imagevalidatingpolicies/status"], all),
      rule(["policies.kyverno.io"], ["policyexceptions", "policyexceptions/status"], READ),
      rule(["reports.kyverno.io"], ["ephemeralreports", "clusterephemeralreports"], all),
      rule(["wgpolicyk8s.io"], ["policyreports", "policyreports/status", "clusterpolicyreports", "clusterpolicyreports/status"], all),
      rule(["", "events.k8s.io"], ["events"], ["create", "patch"]),
    ], REPORTS);
    addRole(scope, ctx, REPORTS, [
      rule([""], ["configmaps"], READ, CONFIG_MAPS),
      rule([""], ["secrets"], READ),
      rule(["coordination.k8s.io"], ["leases"], ["create"]),
      rule(["coordination.k8s.io"], ["leases"], ["delete", "get", "patch", "update"], [REPORTS]),
    ], REPORTS);
    for (const sa of [ADMISSION, BACKGROUND, REPORTS]) bindClusterRole(scope, ctx, `${sa}-view`, "view", sa);

    new k8s.KubeConfigMap(scope, "config", {
      metadata: meta(ctx, NAME, { wave: "foundation" }),
      data: {
        // Kyverno registers its own webhooks; this selector keeps them off the system and add-on
        // namespaces. One object (1.14 reads `webhooks` as a single WebhookConfig, not a list).
        webhooks: JSON.stringify({ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", NAMESPACE] }] } }),
        resourceFilters: "[Event,*,*][*/*,kube-system,*][*/*,kube-public,*][*/*,kube-node-lease,*][*/*,kyverno,*][Node,*,*][Node/*,*,*][APIService,*,*][TokenReview,*,*][SubjectAccessReview,*,*][SelfSubjectAccessReview,*,*][Binding,*,*][ReplicaSet,*,*][AdmissionReport,*,*][ClusterAdmissionReport,*,*][BackgroundScanReport,*,*][ClusterBackgroundScanReport,*,*]",
        defaultRegistry: "docker.io",
        enableDefaultRegistryMutation: "false",
        generateSuccessEvents: "false",
      },
    });
    new k8s.KubeConfigMap(scope, "metrics-config", {
      metadata: meta(ctx, `${NAME}-metrics`, { wave: "foundation" }),
      data: { namespaces: JSON.stringify({ include: [], exclude: [] }), metricsRefreshInterval: "24h" },
    });

    const env = (sa: string, deployment: string, extra: k8s.EnvVar[] = []) => [
      fieldEnv("KYVERNO_NAMESPACE", "metadata.namespace"),
      fieldEnv("KYVERNO_POD_NAME", "metadata.name"),
      { name: "KYVERNO_SERVICEACCOUNT_NAME", value: sa },
      { name: "KYVERNO_DEPLOYMENT", value: deployment },
      { name: "INIT_CONFIG", value: NAME },
      { name: "METRICS_CONFIG", value: `${NAME}-metrics` },
      ...extra,
    ];
    const admissionEnv = env(ADMISSION, ADMISSION, [{ name: "KYVERNO_ROLE_NAME", value: ADMISSION }, { name: "KYVERNO_SVC", value: SERVICE }]);
    const logging = ["--loggingFormat=json", `--v=${v.logLevel === "debug" ? 4 : 2}`];
    const metering = ["--disableMetrics=false", "--otelConfig=prometheus", "--metricsPort=8000"];
    const ports = [{ name: "metrics", containerPort: 8000 }];
    const image = (component: string) => `ghcr.io/kyverno/${component}:${ctx.version}`;
    const health = (path: string) => httpProbe(path, "https", "HTTPS", 15);
    addWorkload(scope, ctx, {
      kind: "Deployment", name: ADMISSION, component: "admission-controller", serviceAccount: ADMISSION, replicas: v.replicas, priorityClassName: v.priorityClassName,
      initContainers: [{
        // Upstream's pre-start step (kyvernopre): clean-up and migrations before the webhooks start.
        name: "kyverno-pre", image: image("kyvernopre"), resources: { cpu: "10m", memory: "64Mi", memoryLimit: "256Mi" },
        args: logging, env: admissionEnv,
      }],
      containers: [{
        name: "kyverno", image: image("kyverno"), resources: v.resources,
        args: [
          `--caSecretName=${SERVICE}.${NAMESPACE}.svc.kyverno-tls-ca`,
          `--tlsSecretName=${SERVICE}.${NAMESPACE}.svc.kyverno-tls-pair`,
          `--backgroundServiceAccountName=system:serviceaccount:${NAMESPACE}:${BACKGROUND}`,
          `--reportsServiceAccountName=system:serviceaccount:${NAMESPACE}:${REPORTS}`,
          "--servicePort=443", "--webhookServerPort=9443", "--resyncPeriod=15m", "--crdWatcher=false",
          ...metering,
          "--admissionReports=true", "--autoUpdateWebhooks=true", "--enableConfigMapCaching=true",
          ...logging,
        ],
        env: [...admissionEnv, { name: "TUF_ROOT", value: "/.sigstore" }],
        ports: [{ name: "https", containerPort: 9443 }, ...ports],
        startup: { ...health("/health/liveness"), initialDelaySeconds: 2, periodSeconds: 6, failureThreshold: 20 },
        liveness: { ...health("/health/liveness"), periodSeconds: 30, failureThreshold: 2 },
        readiness: { ...httpProbe("/health/readiness", "https", "HTTPS", 5), failureThreshold: 6 },
        mounts: [{ name: "sigstore", mountPath: "/.sigstore" }],
      }],
      volumes: [{ name: "sigstore", emptyDir: {} }],
    });
    for (const [deployment, component, img, extraEnv] of [
      [BACKGROUND, "background-controller", "background-controller", []],
      [REPORTS, "reports-controller", "reports-controller", [{ name: "TUF_ROOT", value: "/.sigstore" }]],
    ] as const) {
      addWorkload(scope, ctx, {
        kind: "Deployment", name: deployment, component, serviceAccount: deployment, replicas: Math.min(v.replicas, 2), priorityClassName: v.priorityClassName,
        annotations: exemption(
          "SW-GR-PROBES",
          `kyverno's ${component} ${ctx.version} serves no health endpoint: /health/liveness and /health/readiness exist only on the admission and cleanup controllers' HTTPS servers, and this one listens only for metrics on :8000 (kyverno/kyverno#10559); it is leader-elected and takes no traffic`,
        ),
        containers: [{
          name: "controller", image: image(img), resources: v.resources,
          args: [...metering, "--resyncPeriod=15m", "--enableConfigMapCaching=true", ...logging],
          env: env(deployment, deployment, [...extraEnv]),
          ports,
          mounts: [{ name: "sigstore", mountPath: "/.sigstore" }],
        }],
        volumes: [{ name: "sigstore", emptyDir: {} }],
      });
    }
    addService(scope, ctx, SERVICE, "admission-controller", [{ name: "https", port: 443, targetPort: "https" }]);
    addService(scope, ctx, `${NAME}-svc-metrics`, "admission-controller", [{ name: "metrics", port: 8000, targetPort: "metrics" }]);
    addPolicies(scope, ctx);
  },
});
