/**
 * External Secrets Operator and the ClusterSecretStore `aws-secrets-manager` (AWS Secrets Manager
 * in the cluster's region) that every app's ExternalSecret references. The webhook's serving
 * certificate comes from cert-manager (upstream's cert-manager mode), so the Secret it mounts is
 * declared here rather than created at runtime by upstream's cert-controller, which is not run.
 */
import { ApiObject } from "cdk8s";
import { k8s } from "cdk8s-plus-28";
import * as z from "zod";
import { addServiceAccount, roleArn } from "../kit/identity";
import { meta, selectorLabels, SKIP_DRY_RUN } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { addClusterRole, addRole, READ, rule } from "../kit/rbac";
import { controllerValues, identityValue } from "../kit/values";
import { addService, addWorkload, exemption, httpProbe } from "../kit/workload";
import { addWebhookCertificate } from "../kit/webhook-certificate";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "external-secrets";
const NAMESPACE = "external-secrets";
const WEBHOOK = "external-secrets-webhook";
/** Apps reference this store by name (packages/workloads SECRETS_MANAGER_STORE). */
export const SECRETS_MANAGER_STORE = "aws-secrets-manager";
/** Generator kinds the controller reads (the chart's list at v0.18.2). */
const GENERATORS = ["acraccesstokens", "clustergenerators", "ecrauthorizationtokens", "fakes", "gcraccesstokens", "githubaccesstokens", "quayaccesstokens", "passwords", "stssessiontokens", "uuids", "vaultdynamicsecrets", "webhooks", "grafanas", "mfas"];
const crd = (plural: string, group: string, kind: string, version: string) => ({ name: `${plural}.${group}`, kind, versions: [version] });

export const ExternalSecretsValues = z.strictObject({
  ...controllerValues({ replicas: 2, cpu: "50m", memory: "128Mi" }),
  identity: identityValue,
  concurrent: z.number().int().min(1).max(20).default(2),
});

export const externalSecrets = defineAddonModule({
  name: NAME,
  description: "Syncs AWS Secrets Manager secrets into Kubernetes Secrets (ClusterSecretStore `aws-secrets-manager`).",
  namespace: NAMESPACE,
  defaultVersion: "v0.18.2",
  upstream: "https://github.com/external-secrets/external-secrets",
  values: ExternalSecretsValues,
  requires: ["cert-manager"],
  syncWave: AddonWave.dependent,
  serverSideApply: true,
  // config/crds/bases also holds a kustomization.yaml: the include keeps it out.
  crds: {
    source: { from: "upstream", repoURL: "https://github.com/external-secrets/external-secrets", path: "config/crds/bases", include: "{external-secrets.io,generators.external-secrets.io}_*.yaml" },
    // The controller starts an informer for each of these kinds (every reconciler is on).
    required: [
      crd("clusterexternalsecrets", "external-secrets.io", "ClusterExternalSecret", "v1"),
      crd("clusterpushsecrets", "external-secrets.io", "ClusterPushSecret", "v1alpha1"),
      crd("clustersecretstores", "external-secrets.io", "ClusterSecretStore", "v1"),
      crd("externalsecrets", "external-secrets.io", "ExternalSecret", "v1"),
      crd("pushsecrets", "external-secrets.io", "PushSecret", "v1alpha1"),
      crd("secretstores", "external-secrets.io", "SecretStore", "v1"),
      ...[
        ["acraccesstokens", "ACRAccessToken"], ["clustergenerators", "ClusterGenerator"], ["ecrauthorizationtokens", "ECRAuthorizationToken"], ["fakes", "Fake"],
        ["gcraccesstokens", "GCRAccessToken"], ["generatorstates", "GeneratorState"], ["githubaccesstokens", "GithubAccessToken"], ["grafanas", "Grafana"],
        ["mfas", "MFA"], ["passwords", "Password"], ["quayaccesstokens", "QuayAccessToken"], ["stssessiontokens", "STSSessionToken"], ["uuids", "UUID"],
        ["vaultdynamicsecrets", "VaultDynamicSecret"], ["webhooks", "Webhook"],
      ].map(([plural, kind]) => crd(plural!, "generators.external-secrets.io", kind!, "v1alpha1")),
    ],
  },
  comparedWith: ["deploy/charts/external-secrets/templates@v0.18.2", "cmd/controller@v0.18.2", "config/crds/bases@v0.18.2"],
  identity: () => ({ serviceAccount: NAME, roleFact: NAME, purpose: "read secrets (secretsmanager:GetSecretValue, DescribeSecret) for the cluster's tenants" }),
  metrics: () => [{ selector: selectorLabels({ addon: NAME } as never, "controller"), port: "metrics" }],
  generate(scope, ctx) {
    const v = ctx.values;
    const image = `ghcr.io/external-secrets/external-secrets:${ctx.version}`;
    addNamespace(scope, ctx);
    addServiceAccount(scope, ctx, NAME, { mode: v.identity, roleArn: roleArn(ctx, NAME) });
    addServiceAccount(scope, ctx, WEBHOOK);
    // The chart's controller ClusterRole with every reconciler on (its defaults). The webhook gets
    // no RBAC at all: it only validates the objects in each AdmissionReview, as upstream runs it.
    const kinds = ["secretstores", "clustersecretstores", "externalsecrets", "clusterexternalsecrets", "pushsecrets", "clusterpushsecrets"];
    addClusterRole(scope, ctx, `${NAME}-controller`, [
      rule(["external-secrets.io"], kinds, READ),
      rule(["external-secrets.io"], kinds.flatMap((k) => [k, `${k}/status`]), ["get", "update", "patch"]),
      rule(["generators.external-secrets.io"], ["generatorstates"], [...READ, "create", "update", "patch", "delete", "deletecollection"]),
      rule(["generators.external-secrets.io"], GENERATORS, READ),
      rule([""], ["serviceaccounts", "namespaces"], READ),
      rule([""], ["configmaps"], READ),
      rule([""], ["secrets"], [...READ, "create", "update", "delete", "patch"]),
      rule([""], ["serviceaccounts/token"], ["create"]),
      rule([""], ["events"], ["create", "patch"]),
      rule(["external-secrets.io"], ["externalsecrets", "pushsecrets"], ["create", "update", "delete"]),
    ], NAME);
    addRole(scope, ctx, `${NAME}-leader-election`, [
      rule([""], ["configmaps"], ["get", "update", "patch"], [`${NAME}-controller`]),
      rule([""], ["configmaps"], ["create"]),
      rule(["coordination.k8s.io"], ["leases"], ["get", "create", "update", "patch"]),
    ], NAME);

    const logArgs = [`--loglevel=${v.logLevel}`, "--zap-time-encoding=epoch"];
    const common = { replicas: v.replicas, priorityClassName: v.priorityClassName } as const;
    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "controller", serviceAccount: NAME, ...common,
      // Upstream adds a health server (--live-addr, /healthz) in v0.20.0: add the probes when
      // this generator moves to that line.
      annotations: exemption(
        "SW-GR-PROBES",
        `the external-secrets controller ${ctx.version} serves no health endpoint, only metrics on :8080 (the --live-addr /healthz server arrives upstream in v0.20.0); it is leader-elected and takes no traffic`,
      ),
      containers: [{
        name: "controller", image, resources: v.resources, ports: [{ name: "metrics", containerPort: 8080 }],
        args: ["--enable-leader-election=true", `--concurrent=${v.concurrent}`, "--metrics-addr=:8080", ...logArgs],
      }],
    });
    addWorkload(scope, ctx, {
      kind: "Deployment", name: WEBHOOK, component: "webhook", serviceAccount: WEBHOOK, ...common,
      containers: [{
        name: "webhook", image, resources: v.resources,
        args: ["webhook", "--port=10250", `--dns-name=${WEBHOOK}.${NAMESPACE}.svc`, "--cert-dir=/tmp/certs", "--check-interval=5m", "--metrics-addr=:8080", "--healthz-addr=:8081", ...logArgs],
        ports: [{ name: "metrics", containerPort: 8080 }, { name: "webhook", containerPort: 10250 }, { name: "ready", containerPort: 8081 }],
        // /readyz on --healthz-addr checks the mounted certificate is valid for the service name.
        readiness: { ...httpProbe("/readyz", "ready", "HTTP", 20), periodSeconds: 5 },
        // controller-runtime's probe server on --healthz-addr also answers /healthz (no checks
        // registered: it reports the process is up). Upstream sets no liveness probe.
        liveness: httpProbe("/healthz", "ready", "HTTP", 20),
        mounts: [{ name: "certs", mountPath: "/tmp/certs", readOnly: true }],
      }],
      volumes: [{ name: "certs", secret: { secretName: WEBHOOK } }],
    });
    addService(scope, ctx, `${NAME}-metrics`, "controller", [{ name: "metrics", port: 8080, targetPort: "metrics" }]);
    addService(scope, ctx, WEBHOOK, "webhook", [{ name: "webhook", port: 443, targetPort: "webhook" }], { labels: { "external-secrets.io/component": "webhook" } });

    // The webhook's serving certificate (upstream's cert-manager mode: webhook.certManager). The
    // Secret carries tls.crt, tls.key and ca.crt, the files the webhook waits for in --cert-dir
    // and verifies against --dns-name; cert-manager renews it and the webhook reloads it. Its CA
    // is injected into the webhooks' caBundle.
    const inject = addWebhookCertificate(scope, ctx, { issuer: `${NAME}-selfsigned`, certificate: WEBHOOK, secretName: WEBHOOK, service: WEBHOOK, namespace: NAMESPACE, commonName: true });
    const hook = (name: string, path: string, resources: string[], scopeOf: "Namespaced" | "Cluster"): k8s.ValidatingWebhook => ({
      name, admissionReviewVersions: ["v1", "v1beta1"], sideEffects: "None", failurePolicy: "Fail", timeoutSeconds: 5,
      clientConfig: { service: { name: WEBHOOK, namespace: NAMESPACE, path } },
      rules: [{ apiGroups: ["external-secrets.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE", "DELETE"], resources, scope: scopeOf }],
    });
    const webhookLabels = { labels: { "external-secrets.io/component": "webhook" } };
    new k8s.KubeValidatingWebhookConfiguration(scope, "secretstore-validate", {
      metadata: meta(ctx, "secretstore-validate", { namespace: null, wave: "admission", annotations: inject, ...webhookLabels }),
      webhooks: [
        hook("validate.secretstore.external-secrets.io", "/validate-external-secrets-io-v1-secretstore", ["secretstores"], "Namespaced"),
        hook("validate.clustersecretstore.external-secrets.io", "/validate-external-secrets-io-v1-clustersecretstore", ["clustersecretstores"], "Cluster"),
      ],
    });
    new k8s.KubeValidatingWebhookConfiguration(scope, "externalsecret-validate", {
      metadata: meta(ctx, "externalsecret-validate", { namespace: null, wave: "admission", annotations: inject, ...webhookLabels }),
      webhooks: [hook("validate.externalsecret.external-secrets.io", "/validate-external-secrets-io-v1-externalsecret", ["externalsecrets"], "Namespaced")],
    });

    new ApiObject(scope, "cluster-secret-store", {
      apiVersion: "external-secrets.io/v1", kind: "ClusterSecretStore",
      metadata: meta(ctx, SECRETS_MANAGER_STORE, { namespace: null, wave: "configuration", annotations: SKIP_DRY_RUN }),
      spec: {
        provider: {
          aws: {
            service: "SecretsManager",
            region: ctx.cluster.aws.region,
            // IRSA: the operator exchanges its ServiceAccount token; Pod Identity needs no auth block.
            ...(v.identity === "irsa" ? { auth: { jwt: { serviceAccountRef: { name: NAME, namespace: NAMESPACE } } } } : {}),
          },
        },
        // Only tenant namespaces read through the shared store.
        conditions: [{ namespaceSelector: { matchExpressions: [{ key: "slipway.dev/tenant", operator: "Exists" }] } }],
      },
    });
  },
});
