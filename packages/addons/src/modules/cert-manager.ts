/**
 * cert-manager: controller, webhook and CA injector, plus a ClusterIssuer for ACME with Route53
 * DNS-01 (works for internal hosts too: no inbound HTTP needed).
 */
import { ApiObject } from "cdk8s";
import { k8s } from "cdk8s-plus-28";
import * as z from "zod";
import { addServiceAccount, roleArn } from "../kit/identity";
import { meta, SKIP_DRY_RUN } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { addClusterRole, addRole, leaseLock, READ, rule } from "../kit/rbac";
import { controllerValues, identityValue } from "../kit/values";
import { addService, addWorkload, exemption, fieldEnv, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "cert-manager";
const NAMESPACE = "cert-manager";
const IMAGE = "quay.io/jetstack";
const WEBHOOK = "cert-manager-webhook";
const CAINJECTOR = "cert-manager-cainjector";
/** The Secret holding the webhook's self-managed CA (`--dynamic-serving-ca-secret-name`). */
const WEBHOOK_CA = "cert-manager-webhook-ca";

export const CertManagerValues = z.strictObject({
  ...controllerValues({ replicas: 2, cpu: "50m", memory: "128Mi" }),
  identity: identityValue,
  acme: z
    .strictObject({
      /** Account e-mail for expiry notices. */
      email: z.email(),
      /** `production` issues trusted certificates; `staging` has generous rate limits for testing. */
      server: z.enum(["production", "staging"]).default("production"),
    })
    .optional(),
  /** Name of the ClusterIssuer apps and add-ons reference. */
  issuerName: z.string().default("letsencrypt"),
});
type Values = z.output<typeof CertManagerValues>;

const ACME_SERVERS = {
  production: "https://acme-v02.api.letsencrypt.org/directory",
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

export const certManager = defineAddonModule({
  name: NAME,
  description: "X.509 certificates from ACME (Route53 DNS-01) and self-signed CAs for webhooks.",
  namespace: NAMESPACE,
  defaultVersion: "v1.18.2",
  upstream: "https://github.com/cert-manager/cert-manager",
  values: CertManagerValues,
  requires: [],
  syncWave: AddonWave.core,
  serverSideApply: true,
  // deploy/crds at the tag holds Helm templates (`{{ … }}` placeholders), not CRDs; the release's
  // plain CRD documents are the `cert-manager.crds.yaml` asset, fetched by a kustomization.
  crds: {
    source: { from: "release-asset", repoURL: "https://github.com/cert-manager/cert-manager", asset: "cert-manager.crds.yaml", path: "addons/crds/cert-manager/{version}" },
    required: [
      { name: "certificaterequests.cert-manager.io", kind: "CertificateRequest", versions: ["v1"] },
      { name: "certificates.cert-manager.io", kind: "Certificate", versions: ["v1"] },
      { name: "challenges.acme.cert-manager.io", kind: "Challenge", versions: ["v1"] },
      { name: "clusterissuers.cert-manager.io", kind: "ClusterIssuer", versions: ["v1"] },
      { name: "issuers.cert-manager.io", kind: "Issuer", versions: ["v1"] },
      { name: "orders.acme.cert-manager.io", kind: "Order", versions: ["v1"] },
    ],
  },
  comparedWith: ["deploy/charts/cert-manager/templates@v1.18.2", "cmd/controller/app/options, cmd/cainjector/app/options, pkg/webhook/options@v1.18.2"],
  identity: (v: Values) => (v.acme ? { serviceAccount: NAME, roleFact: "cert-manager", purpose: "Route53 DNS-01 challenges: change TXT records in the cluster's hosted zone" } : undefined),
  facts: (v: Values) => (v.acme ? [{ fact: "values.hostedZoneId", purpose: "the Route53 hosted zone of the cluster's ingress domains", example: "Z0123456789ABCDEFGHIJ" }] : []),
  metrics: () => [{ selector: { "app.kubernetes.io/name": NAME, "app.kubernetes.io/component": "controller" }, port: "http-metrics" }],
  awsResources: (ctx) => (ctx.values.acme ? [{ type: "route53-hosted-zone", addon: NAME, id: ctx.cluster.facts.values.hostedZoneId!, purpose: `DNS-01 challenges for ${ctx.cluster.ingressDomains.join(", ")}` }] : []),
  generate(scope, ctx) {
    const v = ctx.values;
    const tag = ctx.version;
    // Upstream's documented opt-out: the webhook validates cert-manager resources everywhere but
    // in its own namespace, so it can always start after an outage.
    addNamespace(scope, ctx, "restricted", undefined, { "cert-manager.io/disable-validation": "true" });
    const aws = v.acme ? { mode: v.identity, roleArn: roleArn(ctx, "cert-manager") } : undefined;
    addServiceAccount(scope, ctx, NAME, aws);
    addServiceAccount(scope, ctx, WEBHOOK);
    addServiceAccount(scope, ctx, CAINJECTOR);

    // The controller's ClusterRoles of the chart, one rule list: issuers, clusterissuers,
    // certificates, orders, challenges, ingress-shim, the approver and the CSR signer. Without
    // the Gateway API and OpenShift route rules (neither is enabled).
    const events = rule([""], ["events"], ["create", "patch"]);
    addClusterRole(scope, ctx, `${NAME}-controller`, [
      rule(["cert-manager.io"], ["issuers", "issuers/status", "clusterissuers", "clusterissuers/status"], ["update", "patch"]),
      rule(["cert-manager.io"], ["issuers", "clusterissuers"], READ),
      rule(["cert-manager.io"], ["certificates", "certificates/status", "certificaterequests", "certificaterequests/status"], ["update", "patch"]),
      rule(["cert-manager.io"], ["certificates", "certificaterequests"], [...READ, "create", "update", "delete"]),
      rule(["cert-manager.io"], ["certificates/finalizers", "certificaterequests/finalizers"], ["update"]),
      rule(["cert-manager.io"], ["signers"], ["approve"], ["issuers.cert-manager.io/*", "clusterissuers.cert-manager.io/*"]),
      rule(["acme.cert-manager.io"], ["orders"], ["create", "delete", ...READ]),
      rule(["acme.cert-manager.io"], ["orders", "orders/status", "challenges", "challenges/status"], ["update", "patch"]),
      rule(["acme.cert-manager.io"], ["challenges"], [...READ, "create", "delete"]),
      rule(["acme.cert-manager.io"], ["orders/finalizers", "challenges/finalizers"], ["update"]),
      rule([""], ["secrets"], [...READ, "create", "update", "delete", "patch"]),
      events,
      // HTTP-01 solvers: pods, services and ingresses the controller creates and removes.
      rule([""], ["pods", "services"], [...READ, "create", "delete"]),
      rule(["networking.k8s.io"], ["ingresses"], [...READ, "create", "delete", "update"]),
      rule(["networking.k8s.io"], ["ingresses/finalizers"], ["update"]),
      rule(["certificates.k8s.io"], ["certificatesigningrequests"], [...READ, "update"]),
      rule(["certificates.k8s.io"], ["certificatesigningrequests/status"], ["update", "patch"]),
      rule(["certificates.k8s.io"], ["signers"], ["sign"], ["issuers.cert-manager.io/*", "clusterissuers.cert-manager.io/*"]),
      rule(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
    ], NAME);
    addRole(scope, ctx, `${NAME}-leader-election`, leaseLock(["cert-manager-controller"]), NAME);
    // Issuers may authenticate as the controller's own ServiceAccount (serviceAccountRef).
    addRole(scope, ctx, `${NAME}-tokenrequest`, [rule([""], ["serviceaccounts/token"], ["create"], [NAME])], NAME);

    addClusterRole(scope, ctx, `${WEBHOOK}-subjectaccessreviews`, [rule(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"])], WEBHOOK);
    addRole(scope, ctx, `${WEBHOOK}-dynamic-serving`, [
      rule([""], ["secrets"], [...READ, "update"], [WEBHOOK_CA]),
      rule([""], ["secrets"], ["create"]),
    ], WEBHOOK);

    addClusterRole(scope, ctx, CAINJECTOR, [
      rule(["cert-manager.io"], ["certificates"], READ),
      rule([""], ["secrets"], READ),
      rule([""], ["events"], ["get", "create", "update", "patch"]),
      rule(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"], [...READ, "update", "patch"]),
      rule(["apiregistration.k8s.io"], ["apiservices"], [...READ, "update", "patch"]),
      rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], [...READ, "update", "patch"]),
    ], CAINJECTOR);
    addRole(scope, ctx, `${CAINJECTOR}-leader-election`, leaseLock(["cert-manager-cainjector-leader-election", "cert-manager-cainjector-leader-election-core"]), CAINJECTOR);

    const verbosity = `--v=${v.logLevel === "debug" ? 4 : 2}`;
    const common = { priorityClassName: v.priorityClassName, replicas: v.replicas } as const;
    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "controller", serviceAccount: NAME, ...common,
      containers: [{
        name: "controller", image: `${IMAGE}/cert-manager-controller:${tag}`, resources: v.resources,
        args: [
          verbosity,
          "--cluster-resource-namespace=$(POD_NAMESPACE)",
          // Leases beside the controller rather than upstream's default kube-system.
          "--leader-election-namespace=$(POD_NAMESPACE)",
          `--acme-http01-solver-image=${IMAGE}/cert-manager-acmesolver:${tag}`,
          "--max-concurrent-challenges=60",
        ],
        env: [fieldEnv("POD_NAMESPACE", "metadata.namespace")],
        ports: [{ name: "http-metrics", containerPort: 9402 }, { name: "http-healthz", containerPort: 9403 }],
        // The controller's only health endpoint: /livez on :9403 (leader-election watchdog and
        // clock checks; standby replicas pass). Upstream sets no readiness probe; it takes no
        // traffic, so here readiness only gates rollouts on that same signal.
        liveness: { ...httpProbe("/livez", "http-healthz"), timeoutSeconds: 15, failureThreshold: 8 },
        readiness: httpProbe("/livez", "http-healthz", "HTTP", 5),
      }],
    });
    addWorkload(scope, ctx, {
      kind: "Deployment", name: WEBHOOK, component: "webhook", serviceAccount: WEBHOOK, ...common,
      containers: [{
        name: "webhook", image: `${IMAGE}/cert-manager-webhook:${tag}`, resources: v.resources,
        args: [
          verbosity,
          "--secure-port=10250",
          "--dynamic-serving-ca-secret-namespace=$(POD_NAMESPACE)",
          `--dynamic-serving-ca-secret-name=${WEBHOOK_CA}`,
          `--dynamic-serving-dns-names=${WEBHOOK}`,
          `--dynamic-serving-dns-names=${WEBHOOK}.$(POD_NAMESPACE)`,
          `--dynamic-serving-dns-names=${WEBHOOK}.$(POD_NAMESPACE).svc`,
        ],
        env: [fieldEnv("POD_NAMESPACE", "metadata.namespace")],
        ports: [{ name: "https", containerPort: 10250 }, { name: "healthcheck", containerPort: 6080 }, { name: "http-metrics", containerPort: 9402 }],
        liveness: { ...httpProbe("/livez", "healthcheck", "HTTP", 60), timeoutSeconds: 1 },
        readiness: { ...httpProbe("/healthz", "healthcheck", "HTTP", 5), periodSeconds: 5, timeoutSeconds: 1 },
      }],
    });
    addWorkload(scope, ctx, {
      kind: "Deployment", name: CAINJECTOR, component: "cainjector", serviceAccount: CAINJECTOR, ...common,
      annotations: exemption(
        "SW-GR-PROBES",
        `cert-manager's cainjector ${tag} serves no health endpoint: upstream runs it without a health server or probes (cert-manager/cert-manager#3103); it is a leader-elected controller that takes no traffic and exits when it loses its lease`,
      ),
      containers: [{
        name: "cainjector", image: `${IMAGE}/cert-manager-cainjector:${tag}`, resources: v.resources,
        args: [verbosity, "--leader-election-namespace=$(POD_NAMESPACE)"],
        env: [fieldEnv("POD_NAMESPACE", "metadata.namespace")],
        ports: [{ name: "http-metrics", containerPort: 9402 }],
      }],
    });
    addService(scope, ctx, NAME, "controller", [{ name: "http-metrics", port: 9402, targetPort: "http-metrics" }]);
    addService(scope, ctx, WEBHOOK, "webhook", [{ name: "https", port: 443, targetPort: "https" }]);

    const inject = { "cert-manager.io/inject-ca-from-secret": `${NAMESPACE}/${WEBHOOK_CA}` };
    const clientConfig = (path: string) => ({ service: { name: WEBHOOK, namespace: NAMESPACE, path } });
    new k8s.KubeValidatingWebhookConfiguration(scope, "validating-webhook", {
      metadata: meta(ctx, WEBHOOK, { namespace: null, wave: "admission", annotations: inject }),
      webhooks: [{
        name: "webhook.cert-manager.io", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", timeoutSeconds: 30,
        matchPolicy: "Equivalent", clientConfig: clientConfig("/validate"),
        namespaceSelector: { matchExpressions: [{ key: "cert-manager.io/disable-validation", operator: "NotIn", values: ["true"] }] },
        rules: [{ apiGroups: ["cert-manager.io", "acme.cert-manager.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["*/*"] }],
      }],
    });
    new k8s.KubeMutatingWebhookConfiguration(scope, "mutating-webhook", {
      metadata: meta(ctx, WEBHOOK, { namespace: null, wave: "admission", annotations: inject }),
      webhooks: [{
        name: "webhook.cert-manager.io", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", timeoutSeconds: 30,
        matchPolicy: "Equivalent", clientConfig: clientConfig("/mutate"),
        rules: [{ apiGroups: ["cert-manager.io"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["certificaterequests"] }],
      }],
    });

    if (v.acme) {
      new ApiObject(scope, "cluster-issuer", {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: meta(ctx, v.issuerName, { namespace: null, wave: "configuration", annotations: SKIP_DRY_RUN }),
        spec: {
          acme: {
            server: ACME_SERVERS[v.acme.server],
            email: v.acme.email,
            privateKeySecretRef: { name: `${v.issuerName}-account-key` },
            solvers: [{
              selector: { dnsZones: [...ctx.cluster.ingressDomains] },
              dns01: { route53: { region: ctx.cluster.aws.region, hostedZoneID: ctx.cluster.facts.values.hostedZoneId } },
            }],
          },
        },
      });
    }
  },
});
