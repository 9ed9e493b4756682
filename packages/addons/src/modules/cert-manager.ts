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
import { addClusterRole, addLeaderElection, addRole, ALL, READ, rule } from "../kit/rbac";
import { controllerValues, identityValue } from "../kit/values";
import { addService, addWorkload, exemption, fieldEnv, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "cert-manager";
const NAMESPACE = "cert-manager";
const IMAGE = "quay.io/jetstack";

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
  crds: { from: "upstream", repoURL: "https://github.com/cert-manager/cert-manager", path: "deploy/crds", include: "{cert-manager.io,acme.cert-manager.io}_*.yaml" },
  identity: (v: Values) => (v.acme ? { serviceAccount: NAME, roleFact: "cert-manager", purpose: "Route53 DNS-01 challenges: change TXT records in the cluster's hosted zone" } : undefined),
  facts: (v: Values) => (v.acme ? [{ fact: "values.hostedZoneId", purpose: "the Route53 hosted zone of the cluster's ingress domains", example: "Z0123456789ABCDEFGHIJ" }] : []),
  metrics: () => [{ selector: { "app.kubernetes.io/name": NAME, "app.kubernetes.io/component": "controller" }, port: "metrics" }],
  awsResources: (ctx) => (ctx.values.acme ? [{ type: "route53-hosted-zone", addon: NAME, id: ctx.cluster.facts.values.hostedZoneId!, purpose: `DNS-01 challenges for ${ctx.cluster.ingressDomains.join(", ")}` }] : []),
  generate(scope, ctx) {
    const v = ctx.values;
    const tag = ctx.version;
    addNamespace(scope, ctx);
    const aws = v.acme ? { mode: v.identity, roleArn: roleArn(ctx, "cert-manager") } : undefined;
    addServiceAccount(scope, ctx, NAME, aws);
    addServiceAccount(scope, ctx, `${NAME}-webhook`);
    addServiceAccount(scope, ctx, `${NAME}-cainjector`);

    const issuerKinds = ["issuers", "clusterissuers", "certificates", "certificaterequests"];
    addClusterRole(scope, ctx, `${NAME}-controller`, [
      rule(["cert-manager.io"], [...issuerKinds, ...issuerKinds.map((k) => `${k}/status`), "certificates/finalizers", "certificaterequests/finalizers"], ALL),
      rule(["acme.cert-manager.io"], ["orders", "challenges", "orders/status", "challenges/status", "orders/finalizers", "challenges/finalizers"], ALL),
      rule(["cert-manager.io"], ["signers"], ["approve"], ["issuers.cert-manager.io/*", "clusterissuers.cert-manager.io/*"]),
      rule(["certificates.k8s.io"], ["certificatesigningrequests", "certificatesigningrequests/status"], ["get", "list", "watch", "update"]),
      rule(["certificates.k8s.io"], ["signers"], ["sign"], ["issuers.cert-manager.io/*", "clusterissuers.cert-manager.io/*"]),
      rule([""], ["secrets"], ALL),
      rule([""], ["pods", "services"], [...READ, "create", "delete"]),
      rule(["networking.k8s.io"], ["ingresses"], [...READ, "create", "delete", "update"]),
      rule([""], ["events"], ["create", "patch"]),
      rule(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
    ], NAME);
    addClusterRole(scope, ctx, `${NAME}-webhook`, [rule(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"])], `${NAME}-webhook`);
    addClusterRole(scope, ctx, `${NAME}-cainjector`, [
      rule(["cert-manager.io"], ["certificates"], READ),
      rule([""], ["secrets"], READ),
      rule([""], ["events"], ["create", "patch"]),
      rule(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"], [...READ, "update", "patch"]),
      rule(["apiregistration.k8s.io"], ["apiservices"], [...READ, "update", "patch"]),
      rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], [...READ, "update", "patch"]),
    ], `${NAME}-cainjector`);
    addRole(scope, ctx, `${NAME}-webhook-dynamic-serving`, [rule([""], ["secrets"], ["get", "list", "watch", "update", "create"], undefined)], `${NAME}-webhook`);
    addLeaderElection(scope, ctx, NAME, NAME);
    addLeaderElection(scope, ctx, `${NAME}-cainjector`, `${NAME}-cainjector`);

    const common = { priorityClassName: v.priorityClassName, replicas: v.replicas } as const;
    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "controller", serviceAccount: NAME, ...common,
      containers: [{
        name: "controller", image: `${IMAGE}/cert-manager-controller:${tag}`, resources: v.resources,
        args: [
          `--v=${v.logLevel === "debug" ? 4 : 2}`,
          "--cluster-resource-namespace=$(POD_NAMESPACE)",
          "--leader-election-namespace=$(POD_NAMESPACE)",
          `--acme-http01-solver-image=${IMAGE}/cert-manager-acmesolver:${tag}`,
          "--max-concurrent-challenges=60",
          // Ask the zone's authoritative servers: private resolvers may not see the public zone.
          "--dns01-recursive-nameservers-only=false",
        ],
        env: [fieldEnv("POD_NAMESPACE", "metadata.namespace")],
        ports: [{ name: "metrics", containerPort: 9402 }, { name: "healthz", containerPort: 9403 }],
        // The controller's only health endpoint: /livez on :9403 (leader-election watchdog and
        // clock checks; standby replicas pass). It takes no traffic, so readiness here only gates
        // rollouts and the metrics endpoint on that server answering healthy.
        liveness: httpProbe("/livez", "healthz"),
        readiness: httpProbe("/livez", "healthz", "HTTP", 5),
      }],
    });
    addWorkload(scope, ctx, {
      kind: "Deployment", name: `${NAME}-webhook`, component: "webhook", serviceAccount: `${NAME}-webhook`, ...common,
      containers: [{
        name: "webhook", image: `${IMAGE}/cert-manager-webhook:${tag}`, resources: v.resources,
        args: [
          `--v=2`,
          "--secure-port=10250",
          "--dynamic-serving-ca-secret-namespace=$(POD_NAMESPACE)",
          `--dynamic-serving-ca-secret-name=${NAME}-webhook-ca`,
          `--dynamic-serving-dns-names=${NAME}-webhook,${NAME}-webhook.${NAMESPACE},${NAME}-webhook.${NAMESPACE}.svc`,
        ],
        env: [fieldEnv("POD_NAMESPACE", "metadata.namespace")],
        ports: [{ name: "https", containerPort: 10250 }, { name: "healthcheck", containerPort: 6080 }],
        liveness: httpProbe("/livez", "healthcheck"),
        readiness: httpProbe("/healthz", "healthcheck", "HTTP", 5),
      }],
    });
    addWorkload(scope, ctx, {
      kind: "Deployment", name: `${NAME}-cainjector`, component: "cainjector", serviceAccount: `${NAME}-cainjector`, ...common,
      annotations: exemption(
        "SW-GR-PROBES",
        `cert-manager's cainjector ${tag} serves no health endpoint: upstream runs it without a health server or probes (cert-manager/cert-manager#3103); it is a leader-elected controller that takes no traffic and exits when it loses its lease`,
      ),
      containers: [{
        name: "cainjector", image: `${IMAGE}/cert-manager-cainjector:${tag}`, resources: v.resources,
        args: ["--v=2", "--leader-election-namespace=$(POD_NAMESPACE)"],
        env: [fieldEnv("POD_NAMESPACE", "metadata.namespace")],
      }],
    });
    addService(scope, ctx, NAME, "controller", [{ name: "metrics", port: 9402, targetPort: "metrics" }]);
    addService(scope, ctx, `${NAME}-webhook`, "webhook", [{ name: "https", port: 443, targetPort: "https" }]);

    const inject = { "cert-manager.io/inject-ca-from-secret": `${NAMESPACE}/${NAME}-webhook-ca` };
    const clientConfig = (path: string) => ({ service: { name: `${NAME}-webhook`, namespace: NAMESPACE, path } });
    // The webhook must not gate its own namespace, or it could never start after an outage.
    const namespaceSelector = { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: [NAMESPACE] }] };
    const rules = [{ apiGroups: ["cert-manager.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["*/*"] }];
    new k8s.KubeValidatingWebhookConfiguration(scope, "validating-webhook", {
      metadata: meta(ctx, `${NAME}-webhook`, { namespace: null, wave: "admission", annotations: inject }),
      webhooks: [{
        name: "webhook.cert-manager.io", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", timeoutSeconds: 30,
        matchPolicy: "Equivalent", namespaceSelector, clientConfig: clientConfig("/validate"),
        rules: [...rules, { apiGroups: ["acme.cert-manager.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["*/*"] }],
      }],
    });
    new k8s.KubeMutatingWebhookConfiguration(scope, "mutating-webhook", {
      metadata: meta(ctx, `${NAME}-webhook`, { namespace: null, wave: "admission", annotations: inject }),
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
