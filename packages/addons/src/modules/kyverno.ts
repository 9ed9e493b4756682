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
import { addClusterRole, addLeaderElection, addRole, ALL, READ, rule } from "../kit/rbac";
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
  crds: { from: "upstream", repoURL: "https://github.com/kyverno/kyverno", path: "config/crds", recurse: true },
  metrics: () => [{ selector: selectorLabels({ addon: NAME } as never, "admission-controller"), port: "metrics" }],
  generate(scope, ctx) {
    const v = ctx.values;
    addNamespace(scope, ctx);
    for (const sa of [ADMISSION, BACKGROUND, REPORTS]) addServiceAccount(scope, ctx, sa);
    const kyvernoGroups = ["kyverno.io", "policies.kyverno.io", "reports.kyverno.io", "wgpolicyk8s.io"];
    // Policies may read any object for context; writes are limited to Kyverno's own kinds.
    const readEverything = rule(["*"], ["*"], READ);
    addClusterRole(scope, ctx, ADMISSION, [
      readEverything,
      rule(kyvernoGroups, ["*"], ALL),
      rule(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations", "mutatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicybindings"], ALL),
      rule(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
      rule(["", "events.k8s.io"], ["events"], ["create", "update", "patch"]),
    ], ADMISSION);
    addClusterRole(scope, ctx, BACKGROUND, [readEverything, rule(kyvernoGroups, ["*"], ALL), rule(["", "events.k8s.io"], ["events"], ["create", "update", "patch"])], BACKGROUND);
    addClusterRole(scope, ctx, REPORTS, [readEverything, rule(kyvernoGroups, ["*"], ALL), rule(["", "events.k8s.io"], ["events"], ["create", "update", "patch"])], REPORTS);
    addRole(scope, ctx, `${ADMISSION}-secrets`, [rule([""], ["secrets"], ALL), rule([""], ["configmaps"], READ)], ADMISSION);
    for (const sa of [ADMISSION, BACKGROUND, REPORTS]) addLeaderElection(scope, ctx, sa, sa);

    new k8s.KubeConfigMap(scope, "config", {
      metadata: meta(ctx, NAME, { wave: "foundation" }),
      data: {
        // Kyverno registers its own webhooks; these keep it away from the system and add-on namespaces.
        webhooks: JSON.stringify([{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", NAMESPACE] }] } }]),
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

    const env = (sa: string, deployment: string) => [
      fieldEnv("KYVERNO_NAMESPACE", "metadata.namespace"),
      fieldEnv("KYVERNO_POD_NAME", "metadata.name"),
      { name: "KYVERNO_SERVICEACCOUNT_NAME", value: sa },
      { name: "KYVERNO_DEPLOYMENT", value: deployment },
      { name: "KYVERNO_SVC", value: SERVICE },
      { name: "INIT_CONFIG", value: NAME },
      { name: "METRICS_CONFIG", value: `${NAME}-metrics` },
      { name: "TUF_ROOT", value: "/.sigstore" },
    ];
    const ports = [{ name: "metrics", containerPort: 8000 }];
    const image = (component: string) => `ghcr.io/kyverno/${component}:${ctx.version}`;
    addWorkload(scope, ctx, {
      kind: "Deployment", name: ADMISSION, component: "admission-controller", serviceAccount: ADMISSION, replicas: v.replicas, priorityClassName: v.priorityClassName,
      containers: [{
        name: "kyverno", image: image("kyverno"), resources: v.resources,
        args: [
          `--caSecretName=${SERVICE}.${NAMESPACE}.svc.kyverno-tls-ca`,
          `--tlsSecretName=${SERVICE}.${NAMESPACE}.svc.kyverno-tls-pair`,
          `--backgroundServiceAccountName=system:serviceaccount:${NAMESPACE}:${BACKGROUND}`,
          `--reportsServiceAccountName=system:serviceaccount:${NAMESPACE}:${REPORTS}`,
          "--servicePort=443", "--webhookServerPort=9443", "--metricsPort=8000", "--otelConfig=prometheus",
          "--admissionReports=true", "--autoUpdateWebhooks=true", "--enableConfigMemoryCache=true", "--disableMetrics=false",
          `--loggingFormat=json`, `--v=${v.logLevel === "debug" ? 4 : 2}`,
        ],
        env: env(ADMISSION, ADMISSION),
        ports: [{ name: "https", containerPort: 9443 }, ...ports],
        liveness: httpProbe("/health/liveness", "https", "HTTPS", 15),
        readiness: httpProbe("/health/readiness", "https", "HTTPS", 5),
        mounts: [{ name: "sigstore", mountPath: "/.sigstore" }],
      }],
      volumes: [{ name: "sigstore", emptyDir: {} }],
    });
    for (const [deployment, component, img] of [[BACKGROUND, "background-controller", "background-controller"], [REPORTS, "reports-controller", "reports-controller"]] as const) {
      addWorkload(scope, ctx, {
        kind: "Deployment", name: deployment, component, serviceAccount: deployment, replicas: Math.min(v.replicas, 2), priorityClassName: v.priorityClassName,
        annotations: exemption(
          "SW-GR-PROBES",
          `kyverno's ${component} ${ctx.version} serves no health endpoint: /health/liveness and /health/readiness exist only on the admission and cleanup controllers' HTTPS servers, and this one listens only for metrics on :8000 (kyverno/kyverno#10559); it is leader-elected and takes no traffic`,
        ),
        containers: [{
          name: "controller", image: image(img), resources: v.resources,
          args: ["--metricsPort=8000", "--otelConfig=prometheus", "--disableMetrics=false", "--loggingFormat=json", `--v=${v.logLevel === "debug" ? 4 : 2}`],
          env: env(deployment, deployment),
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
