/** external-secrets v0.18.2, from the Helm chart templates (read, not rendered) and the cobra flag definitions of cmd/controller. */
import { cluster, own, r, type UpstreamFacts } from "./facts";

const READ = ["get", "list", "watch"];
const KINDS = ["secretstores", "clustersecretstores", "externalsecrets", "clusterexternalsecrets", "pushsecrets", "clusterpushsecrets"];
// cobra flags of the root command (the controller) and of its `webhook` subcommand; neither
// inherits the other's (they are Flags(), not PersistentFlags()).
const CONTROLLER_FLAGS = [
  "client-burst", "client-qps", "concurrent", "controller-class", "enable-cluster-external-secret-reconciler", "enable-cluster-push-secret-reconciler",
  "enable-cluster-store-reconciler", "enable-configmaps-caching", "enable-extended-metric-labels", "enable-flood-gate", "enable-generator-state",
  "enable-leader-election", "enable-managed-secrets-caching", "enable-push-secret-reconciler", "enable-secrets-caching", "loglevel", "metrics-addr",
  "namespace", "store-requeue-interval", "zap-time-encoding",
];
const WEBHOOK_FLAGS = ["cert-dir", "check-interval", "dns-name", "healthz-addr", "loglevel", "lookahead-interval", "metrics-addr", "port", "tls-ciphers", "tls-min-version", "zap-time-encoding"];

export const externalSecretsFacts: UpstreamFacts = {
  addon: "external-secrets",
  version: "v0.18.2",
  compared: [
    "deploy/charts/external-secrets/templates/deployment.yaml, webhook-deployment.yaml@v0.18.2",
    "deploy/charts/external-secrets/templates/rbac.yaml, cert-controller-rbac.yaml@v0.18.2",
    "deploy/charts/external-secrets/templates/validatingwebhook.yaml, webhook-certificate.yaml@v0.18.2",
    "deploy/charts/external-secrets/values.yaml@v0.18.2",
    "cmd/controller/root.go, webhook.go, certcontroller.go@v0.18.2 (flags, health server)",
    "config/crds/bases@v0.18.2",
  ],
  images: { controller: "ghcr.io/external-secrets/external-secrets", webhook: "ghcr.io/external-secrets/external-secrets" },
  flags: { controller: CONTROLLER_FLAGS, webhook: WEBHOOK_FLAGS },
  rbac: {
    "external-secrets": [
      cluster(
        r(["external-secrets.io"], KINDS, READ),
        r(["external-secrets.io"], KINDS.flatMap((k) => [k, `${k}/status`]), ["get", "update", "patch"]),
        r(["generators.external-secrets.io"], ["generatorstates"], [...READ, "create", "update", "patch", "delete", "deletecollection"]),
        r(["generators.external-secrets.io"], [
          "acraccesstokens", "clustergenerators", "ecrauthorizationtokens", "fakes", "gcraccesstokens", "githubaccesstokens", "quayaccesstokens",
          "passwords", "stssessiontokens", "uuids", "vaultdynamicsecrets", "webhooks", "grafanas", "mfas",
        ], READ),
        r([""], ["serviceaccounts", "namespaces"], READ),
        r([""], ["configmaps"], READ),
        r([""], ["secrets"], [...READ, "create", "update", "delete", "patch"]),
        r([""], ["serviceaccounts/token"], ["create"]),
        r([""], ["events"], ["create", "patch"]),
        r(["external-secrets.io"], ["externalsecrets"], ["create", "update", "delete"]),
        r(["external-secrets.io"], ["pushsecrets"], ["create", "update", "delete"]),
      ),
      own(
        r([""], ["configmaps"], ["get", "update", "patch"], ["external-secrets-controller"]),
        r([""], ["configmaps"], ["create"]),
        r(["coordination.k8s.io"], ["leases"], ["get", "create", "update", "patch"]),
      ),
    ],
    // The webhook's ServiceAccount has no role bound; the cert-controller's RBAC (CRDs, webhook
    // configurations, its Secret) is not created in cert-manager mode, and that controller is not run.
  },
  webhooks: [
    { type: "validating", name: "validate.secretstore.external-secrets.io", path: "/validate-external-secrets-io-v1-secretstore", failurePolicy: "Fail" },
    { type: "validating", name: "validate.clustersecretstore.external-secrets.io", path: "/validate-external-secrets-io-v1-clustersecretstore", failurePolicy: "Fail" },
    { type: "validating", name: "validate.externalsecret.external-secrets.io", path: "/validate-external-secrets-io-v1-externalsecret", failurePolicy: "Fail" },
  ],
};
