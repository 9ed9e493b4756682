/**
 * The Kubeflow spark-operator: runs SparkApplications (`sparkoperator.k8s.io/v1beta2`) by
 * submitting them with spark-submit, and a webhook that applies their pod settings to the driver
 * and executor pods. It manages applications in tenant namespaces only (namespaces labelled
 * `slipway.dev/tenant`); the webhook's serving certificate comes from cert-manager (upstream's
 * cert-manager mode), so the webhook never rewrites its own webhook configurations.
 */
import { k8s } from "cdk8s-plus-28";
import * as z from "zod";
import { addServiceAccount } from "../kit/identity";
import { meta, selectorLabels } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { addClusterRole, addRole, READ, rule } from "../kit/rbac";
import { controllerValues } from "../kit/values";
import { addWebhookCertificate } from "../kit/webhook-certificate";
import { addService, addWorkload, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "spark-operator";
const NAMESPACE = "spark-operator";
const CONTROLLER = `${NAME}-controller`;
const WEBHOOK = `${NAME}-webhook`;
const WEBHOOK_SERVICE = `${WEBHOOK}-svc`;
const WEBHOOK_SECRET = `${WEBHOOK}-certs`;
const WEBHOOK_PORT = 9443;
/** Tenant namespaces carry this label (packages/tenants); the operator watches only them. */
const TENANT_LABEL = "slipway.dev/tenant";
const GROUP = "sparkoperator.k8s.io";
const crd = (plural: string, kind: string, version: string) => ({ name: `${plural}.${GROUP}`, kind, versions: [version] });

export const SparkOperatorValues = z.strictObject({
  ...controllerValues({ replicas: 2, cpu: "100m", memory: "256Mi" }),
  /** SparkApplications reconciled at once (`--controller-threads`). */
  workers: z.number().int().min(1).max(100).default(10),
  webhookReplicas: z.number().int().min(1).max(5).default(2),
  /** Admission calls fail closed, as upstream's default: a pod the webhook did not see would miss its volumes and security context. */
  webhookFailurePolicy: z.enum(["Fail", "Ignore"]).default("Fail"),
});
type Values = z.output<typeof SparkOperatorValues>;

export const sparkOperator = defineAddonModule({
  name: NAME,
  description: "Runs Spark applications (SparkApplication v1beta2): spark-submit from a controller, pod settings from a webhook.",
  namespace: NAMESPACE,
  defaultVersion: "v2.5.2",
  upstream: "https://github.com/kubeflow/spark-operator",
  values: SparkOperatorValues,
  requires: ["cert-manager"],
  syncWave: AddonWave.dependent,
  serverSideApply: true,
  crds: {
    source: { from: "upstream", repoURL: "https://github.com/kubeflow/spark-operator", path: "config/crd/bases" },
    // The controller and the webhook start an informer and a webhook for each of these kinds.
    required: [
      crd("sparkapplications", "SparkApplication", "v1beta2"),
      crd("scheduledsparkapplications", "ScheduledSparkApplication", "v1beta2"),
      crd("sparkconnects", "SparkConnect", "v1alpha1"),
    ],
  },
  comparedWith: ["charts/spark-operator-chart/templates@v2.5.2", "charts/spark-operator-chart/values.yaml@v2.5.2", "cmd/operator@v2.5.2", "config/crd/bases@v2.5.2"],
  metrics: () => [{ selector: selectorLabels({ addon: NAME } as never, "controller"), port: "metrics" }],
  generate(scope, ctx) {
    const v: Values = ctx.values;
    const image = `ghcr.io/kubeflow/spark-operator/controller:${ctx.version.replace(/^v/, "")}`;
    addNamespace(scope, ctx);
    addServiceAccount(scope, ctx, CONTROLLER);
    addServiceAccount(scope, ctx, WEBHOOK);

    // The chart's rules with a job namespace selector (cluster-wide, plus namespaces to discover
    // the selected ones). The driver's own rights are the app's Role (packages/workloads).
    addClusterRole(scope, ctx, CONTROLLER, [
      rule([""], ["namespaces"], READ),
      rule([""], ["pods"], [...READ, "create", "update", "delete"]),
      rule([""], ["configmaps"], [...READ, "create", "update", "patch"]),
      rule([""], ["services"], [...READ, "create", "update", "patch", "delete"]),
      rule([""], ["events"], ["create", "update", "patch"]),
      rule(["extensions", "networking.k8s.io"], ["ingresses"], ["get", "create", "update", "delete"]),
      rule([GROUP], ["sparkapplications"], [...READ, "create", "delete"]),
      rule([GROUP], ["scheduledsparkapplications", "sparkconnects"], READ),
      rule([GROUP], ["sparkapplications/status", "sparkconnects/status", "scheduledsparkapplications/status"], ["update"]),
      rule([GROUP], ["sparkapplications/finalizers", "scheduledsparkapplications/finalizers", "sparkconnects/finalizers"], ["update"]),
      rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["get"]),
    ], CONTROLLER);
    addRole(scope, ctx, CONTROLLER, [
      rule(["coordination.k8s.io"], ["leases"], ["create"]),
      rule(["coordination.k8s.io"], ["leases"], ["get", "update"], [`${CONTROLLER}-lock`]),
      rule([""], ["events"], ["create", "update", "patch"]),
    ], CONTROLLER);
    addClusterRole(scope, ctx, WEBHOOK, [
      rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], ["list", "watch"]),
      rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], ["get", "update"], [WEBHOOK]),
      rule([""], ["resourcequotas"], ["list"]),
      rule([""], ["pods"], ["list", "watch"]),
      rule([GROUP], ["sparkapplications", "scheduledsparkapplications"], READ),
    ], WEBHOOK);
    addRole(scope, ctx, WEBHOOK, [
      rule([""], ["events"], ["create", "update", "patch"]),
      rule([""], ["secrets"], ["create"]),
      rule([""], ["secrets"], ["get", "update"], [WEBHOOK_SECRET]),
      rule(["coordination.k8s.io"], ["leases"], ["create"]),
      rule(["coordination.k8s.io"], ["leases"], ["get", "update"], [`${WEBHOOK}-lock`]),
    ], WEBHOOK);

    const logArgs = [`--zap-log-level=${v.logLevel}`, "--zap-encoder=json"];
    const metricsArgs = ["--enable-metrics=true", "--metrics-bind-address=:8080", "--metrics-endpoint=/metrics", "--metrics-labels=app_type"];
    const leader = (lock: string) => ["--leader-election=true", `--leader-election-lock-name=${lock}`, `--leader-election-lock-namespace=${NAMESPACE}`];
    const health = { liveness: httpProbe("/healthz", "health"), readiness: httpProbe("/readyz", "health") };
    const ports = [{ name: "metrics", containerPort: 8080 }, { name: "health", containerPort: 8081 }];
    addWorkload(scope, ctx, {
      kind: "Deployment", name: CONTROLLER, component: "controller", serviceAccount: CONTROLLER, replicas: v.replicas, priorityClassName: v.priorityClassName,
      containers: [{
        name: "controller", image, resources: v.resources, ports, ...health,
        args: [
          "controller", "start", ...logArgs,
          `--namespace-selector=${TENANT_LABEL}`,
          `--controller-threads=${v.workers}`,
          "--enable-ui-service=true",
          ...metricsArgs,
          ...leader(`${CONTROLLER}-lock`),
          "--driver-pod-creation-grace-period=10s",
          "--max-tracked-executor-per-app=1000",
        ],
        mounts: [{ name: "tmp", mountPath: "/tmp" }],
      }],
      volumes: [{ name: "tmp", emptyDir: { sizeLimit: k8s.Quantity.fromString("1Gi") } }],
    });
    addWorkload(scope, ctx, {
      kind: "Deployment", name: WEBHOOK, component: "webhook", serviceAccount: WEBHOOK, replicas: v.webhookReplicas, priorityClassName: v.priorityClassName,
      containers: [{
        name: "webhook", image, resources: v.resources, ...health,
        ports: [{ name: "webhook", containerPort: WEBHOOK_PORT }, ...ports],
        args: [
          "webhook", "start", ...logArgs,
          `--webhook-secret-name=${WEBHOOK_SECRET}`, `--webhook-secret-namespace=${NAMESPACE}`,
          `--webhook-svc-name=${WEBHOOK_SERVICE}`, `--webhook-svc-namespace=${NAMESPACE}`,
          `--webhook-port=${WEBHOOK_PORT}`,
          `--mutating-webhook-name=${WEBHOOK}`, `--validating-webhook-name=${WEBHOOK}`,
          "--enable-cert-manager=true",
          ...metricsArgs,
          ...leader(`${WEBHOOK}-lock`),
        ],
        // The webhook copies the certificate from its Secret into this directory at start.
        mounts: [{ name: "serving-certs", mountPath: "/etc/k8s-webhook-server/serving-certs" }],
      }],
      volumes: [{ name: "serving-certs", emptyDir: { sizeLimit: k8s.Quantity.fromString("16Mi") } }],
    });
    addService(scope, ctx, `${NAME}-metrics`, "controller", [{ name: "metrics", port: 8080, targetPort: "metrics" }]);
    addService(scope, ctx, WEBHOOK_SERVICE, "webhook", [{ name: "webhook", port: 443, targetPort: "webhook" }]);

    const inject = addWebhookCertificate(scope, ctx, { issuer: `${NAME}-selfsigned`, certificate: WEBHOOK, secretName: WEBHOOK_SECRET, service: WEBHOOK_SERVICE, namespace: NAMESPACE });
    const tenants = { matchExpressions: [{ key: TENANT_LABEL, operator: "Exists" }] };
    const base = (name: string, path: string) => ({
      name, admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: v.webhookFailurePolicy, timeoutSeconds: 10,
      clientConfig: { service: { name: WEBHOOK_SERVICE, namespace: NAMESPACE, path } },
      namespaceSelector: tenants,
    });
    const onKind = (version: string, resource: string): k8s.RuleWithOperations[] => [{ apiGroups: [GROUP], apiVersions: [version], resources: [resource], operations: ["CREATE", "UPDATE"] }];
    const kinds: [string, string, string][] = [["v1beta2", "sparkapplication", "sparkapplications"], ["v1beta2", "scheduledsparkapplication", "scheduledsparkapplications"], ["v1alpha1", "sparkconnect", "sparkconnects"]];
    new k8s.KubeMutatingWebhookConfiguration(scope, "mutating-webhook", {
      metadata: meta(ctx, WEBHOOK, { namespace: null, wave: "admission", annotations: inject }),
      webhooks: [
        {
          ...base("mutate--v1-pod.sparkoperator.k8s.io", "/mutate--v1-pod"),
          // Only the pods the operator launched (drivers and executors).
          objectSelector: { matchLabels: { "sparkoperator.k8s.io/launched-by-spark-operator": "true" } },
          rules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], operations: ["CREATE"] }],
        },
        ...kinds.map(([version, kind, plural]) => ({ ...base(`mutate-sparkoperator-k8s-io-${version}-${kind}.sparkoperator.k8s.io`, `/mutate-sparkoperator-k8s-io-${version}-${kind}`), rules: onKind(version, plural) })),
      ],
    });
    new k8s.KubeValidatingWebhookConfiguration(scope, "validating-webhook", {
      metadata: meta(ctx, WEBHOOK, { namespace: null, wave: "admission", annotations: inject }),
      webhooks: kinds.map(([version, kind, plural]) => ({ ...base(`validate-sparkoperator-k8s-io-${version}-${kind}.sparkoperator.k8s.io`, `/validate-sparkoperator-k8s-io-${version}-${kind}`), rules: onKind(version, plural) })),
    });
  },
});
