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
import { addClusterRole, addLeaderElection, ALL, READ, rule } from "../kit/rbac";
import { controllerValues, identityValue } from "../kit/values";
import { addService, addWorkload, exemption, httpProbe, tcpProbe } from "../kit/workload";
import { addWebhookCertificate } from "../kit/webhook-certificate";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "external-secrets";
const NAMESPACE = "external-secrets";
const WEBHOOK = "external-secrets-webhook";
/** Apps reference this store by name (packages/workloads SECRETS_MANAGER_STORE). */
export const SECRETS_MANAGER_STORE = "aws-secrets-manager";

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
  crds: { from: "upstream", repoURL: "https://github.com/external-secrets/external-secrets", path: "config/crds/bases" },
  identity: () => ({ serviceAccount: NAME, roleFact: NAME, purpose: "read secrets (secretsmanager:GetSecretValue, DescribeSecret) for the cluster's tenants" }),
  metrics: () => [{ selector: selectorLabels({ addon: NAME } as never, "controller"), port: "metrics" }],
  generate(scope, ctx) {
    const v = ctx.values;
    const image = `ghcr.io/external-secrets/external-secrets:${ctx.version}`;
    addNamespace(scope, ctx);
    addServiceAccount(scope, ctx, NAME, { mode: v.identity, roleArn: roleArn(ctx, NAME) });
    addServiceAccount(scope, ctx, WEBHOOK);
    const esGroups = ["external-secrets.io", "generators.external-secrets.io"];
    addClusterRole(scope, ctx, `${NAME}-controller`, [
      rule(esGroups, ["*"], ALL),
      rule([""], ["secrets"], ALL),
      rule([""], ["serviceaccounts/token"], ["create"]),
      rule([""], ["serviceaccounts", "namespaces", "configmaps"], READ),
      rule([""], ["events"], ["create", "patch"]),
    ], NAME);
    addLeaderElection(scope, ctx, NAME, NAME);
    addClusterRole(scope, ctx, WEBHOOK, [rule(esGroups, ["*"], READ), rule([""], ["secrets"], READ)], WEBHOOK);

    const common = { replicas: v.replicas, priorityClassName: v.priorityClassName } as const;
    const ports = [{ name: "metrics", containerPort: 8080 }];
    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "controller", serviceAccount: NAME, ...common,
      // Upstream adds a health server (--live-addr, /healthz) in v0.20.0: add the probes when
      // this generator moves to that line.
      annotations: exemption(
        "SW-GR-PROBES",
        `the external-secrets controller ${ctx.version} serves no health endpoint, only metrics on :8080 (the --live-addr /healthz server arrives upstream in v0.20.0); it is leader-elected and takes no traffic`,
      ),
      containers: [{
        name: "controller", image, resources: v.resources, ports,
        args: [`--concurrent=${v.concurrent}`, "--metrics-addr=:8080", `--loglevel=${v.logLevel}`, "--enable-leader-election=true", "--zap-time-encoding=epoch"],
      }],
    });
    addWorkload(scope, ctx, {
      kind: "Deployment", name: WEBHOOK, component: "webhook", serviceAccount: WEBHOOK, ...common,
      containers: [{
        name: "webhook", image, resources: v.resources,
        args: ["webhook", "--port=10250", `--dns-name=${WEBHOOK}.${NAMESPACE}.svc`, "--cert-dir=/tmp/certs", "--check-interval=5m", "--metrics-addr=:8080", "--healthz-addr=:8081"],
        ports: [...ports, { name: "webhook", containerPort: 10250 }, { name: "ready", containerPort: 8081 }],
        // /readyz on --healthz-addr checks the mounted certificate is valid for the service name.
        readiness: httpProbe("/readyz", "ready", "HTTP", 20),
        // That server has no liveness path in this release (upstream adds /healthz, a ping, in
        // v2.5.0); a TCP connect to it is the same signal: the process is up and serving.
        liveness: tcpProbe("ready", 20),
        mounts: [{ name: "certs", mountPath: "/tmp/certs", readOnly: true }],
      }],
      volumes: [{ name: "certs", secret: { secretName: WEBHOOK } }],
    });
    addService(scope, ctx, `${NAME}-metrics`, "controller", [{ name: "metrics", port: 8080, targetPort: "metrics" }]);
    addService(scope, ctx, WEBHOOK, "webhook", [{ name: "webhook", port: 443, targetPort: "webhook" }], { labels: { "external-secrets.io/component": "webhook" } });

    // The webhook's serving certificate. The Secret carries tls.crt, tls.key and ca.crt, the
    // files the webhook waits for in --cert-dir and verifies against --dns-name; cert-manager
    // renews it and the webhook reloads it. Its CA is injected into the webhooks' caBundle.
    const inject = addWebhookCertificate(scope, ctx, { issuer: `${NAME}-selfsigned`, certificate: WEBHOOK, secretName: WEBHOOK, service: WEBHOOK, namespace: NAMESPACE, commonName: true });
    const hook = (name: string, path: string, resources: string[]): k8s.ValidatingWebhook => ({
      name, admissionReviewVersions: ["v1", "v1beta1"], sideEffects: "None", failurePolicy: "Fail", timeoutSeconds: 5,
      clientConfig: { service: { name: WEBHOOK, namespace: NAMESPACE, path } },
      rules: [{ apiGroups: ["external-secrets.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE", "DELETE"], resources, scope: "*" }],
    });
    new k8s.KubeValidatingWebhookConfiguration(scope, "secretstore-validate", {
      metadata: meta(ctx, "secretstore-validate", { namespace: null, wave: "admission", annotations: inject }),
      webhooks: [
        hook("validate.secretstore.external-secrets.io", "/validate-external-secrets-io-v1-secretstore", ["secretstores"]),
        hook("validate.clustersecretstore.external-secrets.io", "/validate-external-secrets-io-v1-clustersecretstore", ["clustersecretstores"]),
      ],
    });
    new k8s.KubeValidatingWebhookConfiguration(scope, "externalsecret-validate", {
      metadata: meta(ctx, "externalsecret-validate", { namespace: null, wave: "admission", annotations: inject }),
      webhooks: [hook("validate.externalsecret.external-secrets.io", "/validate-external-secrets-io-v1-externalsecret", ["externalsecrets"])],
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
