/** cert-manager v1.18.2, from the Helm chart templates (read, not rendered) and the option definitions of the three binaries. */
import { cluster, own, r, type UpstreamFacts } from "./facts";

const READ = ["get", "list", "watch"];
const LOGGING = ["v", "vmodule", "logging-format", "log-flush-frequency", "add_dir_header", "alsologtostderr", "log_backtrace_at", "log_dir", "log_file", "log_file_max_size", "logtostderr", "one_output", "skip_headers", "skip_log_headers", "stderrthreshold"];
const METRICS_TLS = ["metrics-dynamic-serving-ca-secret-name", "metrics-dynamic-serving-ca-secret-namespace", "metrics-dynamic-serving-dns-names", "metrics-dynamic-serving-leaf-duration", "metrics-listen-address", "metrics-tls-cert-file", "metrics-tls-cipher-suites", "metrics-tls-min-version", "metrics-tls-private-key-file"];
const GATEWAY_AND_OPENSHIFT = [
  r(["gateway.networking.k8s.io"], ["httproutes"], [...READ, "create", "delete", "update"]),
  r(["gateway.networking.k8s.io"], ["gateways"], READ),
  r(["gateway.networking.k8s.io"], ["gateways/finalizers", "httproutes/finalizers"], ["update"]),
  r(["route.openshift.io"], ["routes/custom-host"], ["create"]),
];

export const certManagerFacts: UpstreamFacts = {
  addon: "cert-manager",
  version: "v1.18.2",
  compared: [
    "deploy/charts/cert-manager/templates/deployment.yaml, webhook-deployment.yaml, cainjector-deployment.yaml@v1.18.2",
    "deploy/charts/cert-manager/templates/rbac.yaml, webhook-rbac.yaml, cainjector-rbac.yaml@v1.18.2",
    "deploy/charts/cert-manager/templates/webhook-validating-webhook.yaml, webhook-mutating-webhook.yaml@v1.18.2",
    "deploy/charts/cert-manager/values.yaml@v1.18.2",
    "deploy/crds@v1.18.2 (Helm templates, not CRDs) and the release asset cert-manager.crds.yaml of v1.18.2",
    "cmd/controller/app/options/options.go, cmd/cainjector/app/options/options.go, pkg/webhook/options/options.go, pkg/logs/logs.go@v1.18.2 (flags)",
  ],
  images: {
    controller: "quay.io/jetstack/cert-manager-controller",
    webhook: "quay.io/jetstack/cert-manager-webhook",
    cainjector: "quay.io/jetstack/cert-manager-cainjector",
  },
  flags: {
    controller: [
      ...LOGGING, ...METRICS_TLS,
      "acme-http01-solver-image", "acme-http01-solver-nameservers", "acme-http01-solver-resource-limits-cpu", "acme-http01-solver-resource-limits-memory",
      "acme-http01-solver-resource-request-cpu", "acme-http01-solver-resource-request-memory", "acme-http01-solver-run-as-non-root", "auto-certificate-annotations",
      "cluster-issuer-ambient-credentials", "cluster-resource-namespace", "concurrent-workers", "config", "controllers", "copied-annotation-prefixes",
      "default-issuer-group", "default-issuer-kind", "default-issuer-name", "dns01-check-retry-period", "dns01-recursive-nameservers",
      "dns01-recursive-nameservers-only", "enable-certificate-owner-ref", "enable-gateway-api", "enable-profiling", "extra-certificate-annotations",
      "feature-gates", "internal-healthz-leader-election-timeout", "internal-healthz-listen-address", "issuer-ambient-credentials", "kube-api-burst",
      "kube-api-qps", "kubeconfig", "leader-elect", "leader-election-lease-duration", "leader-election-namespace", "leader-election-renew-deadline",
      "leader-election-retry-period", "master", "max-concurrent-challenges", "namespace", "profiler-address",
    ],
    webhook: [
      ...LOGGING, ...METRICS_TLS,
      "api-server-host", "config", "dynamic-serving-ca-secret-name", "dynamic-serving-ca-secret-namespace", "dynamic-serving-dns-names",
      "dynamic-serving-leaf-duration", "enable-profiling", "feature-gates", "healthz-port", "kubeconfig", "profiler-address", "secure-port",
      "tls-cert-file", "tls-cipher-suites", "tls-min-version", "tls-private-key-file",
    ],
    cainjector: [
      ...LOGGING, ...METRICS_TLS,
      "config", "enable-apiservices-injectable", "enable-certificates-data-source", "enable-customresourcedefinitions-injectable",
      "enable-mutatingwebhookconfigurations-injectable", "enable-profiling", "enable-validatingwebhookconfigurations-injectable", "feature-gates",
      "kubeconfig", "leader-elect", "leader-election-lease-duration", "leader-election-namespace", "leader-election-renew-deadline",
      "leader-election-retry-period", "namespace", "profiler-address",
    ],
  },
  rbac: {
    "cert-manager": [
      cluster(
        // issuers / clusterissuers controllers
        r(["cert-manager.io"], ["issuers", "issuers/status"], ["update", "patch"]),
        r(["cert-manager.io"], ["issuers"], READ),
        r(["cert-manager.io"], ["clusterissuers", "clusterissuers/status"], ["update", "patch"]),
        r(["cert-manager.io"], ["clusterissuers"], READ),
        r([""], ["secrets"], [...READ, "create", "update", "delete"]),
        r([""], ["events"], ["create", "patch"]),
        // certificates
        r(["cert-manager.io"], ["certificates", "certificates/status", "certificaterequests", "certificaterequests/status"], ["update", "patch"]),
        r(["cert-manager.io"], ["certificates", "certificaterequests", "clusterissuers", "issuers"], READ),
        r(["cert-manager.io"], ["certificates/finalizers", "certificaterequests/finalizers"], ["update"]),
        r(["acme.cert-manager.io"], ["orders"], ["create", "delete", ...READ]),
        r([""], ["secrets"], [...READ, "create", "update", "delete", "patch"]),
        // orders
        r(["acme.cert-manager.io"], ["orders", "orders/status"], ["update", "patch"]),
        r(["acme.cert-manager.io"], ["orders", "challenges"], READ),
        r(["acme.cert-manager.io"], ["challenges"], ["create", "delete"]),
        r(["acme.cert-manager.io"], ["orders/finalizers"], ["update"]),
        // challenges
        r(["acme.cert-manager.io"], ["challenges", "challenges/status"], ["update", "patch"]),
        r([""], ["pods", "services"], [...READ, "create", "delete"]),
        r(["networking.k8s.io"], ["ingresses"], [...READ, "create", "delete", "update"]),
        r(["acme.cert-manager.io"], ["challenges/finalizers"], ["update"]),
        ...GATEWAY_AND_OPENSHIFT,
        // ingress-shim
        r(["cert-manager.io"], ["certificates", "certificaterequests"], ["create", "update", "delete"]),
        r(["networking.k8s.io"], ["ingresses/finalizers"], ["update"]),
        // approve, certificatesigningrequests
        r(["cert-manager.io"], ["signers"], ["approve"], ["issuers.cert-manager.io/*", "clusterissuers.cert-manager.io/*"]),
        r(["certificates.k8s.io"], ["certificatesigningrequests"], [...READ, "update"]),
        r(["certificates.k8s.io"], ["certificatesigningrequests/status"], ["update", "patch"]),
        r(["certificates.k8s.io"], ["signers"], ["sign"], ["issuers.cert-manager.io/*", "clusterissuers.cert-manager.io/*"]),
        r(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
      ),
      // global.leaderElection.namespace (kube-system by default): here the add-on's namespace.
      own(r(["coordination.k8s.io"], ["leases"], ["get", "update", "patch"], ["cert-manager-controller"]), r(["coordination.k8s.io"], ["leases"], ["create"])),
      own(r([""], ["serviceaccounts/token"], ["create"], ["cert-manager"])),
    ],
    "cert-manager-webhook": [
      own(r([""], ["secrets"], [...READ, "update"], ["cert-manager-webhook-ca"]), r([""], ["secrets"], ["create"])),
      cluster(r(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"])),
    ],
    "cert-manager-cainjector": [
      cluster(
        r(["cert-manager.io"], ["certificates"], READ),
        r([""], ["secrets"], READ),
        r([""], ["events"], ["get", "create", "update", "patch"]),
        r(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"], [...READ, "update", "patch"]),
        r(["apiregistration.k8s.io"], ["apiservices"], [...READ, "update", "patch"]),
        r(["apiextensions.k8s.io"], ["customresourcedefinitions"], [...READ, "update", "patch"]),
      ),
      own(
        r(["coordination.k8s.io"], ["leases"], ["get", "update", "patch"], ["cert-manager-cainjector-leader-election", "cert-manager-cainjector-leader-election-core"]),
        r(["coordination.k8s.io"], ["leases"], ["create"]),
      ),
    ],
  },
  omitted: {
    "cert-manager": [{
      why: "the Gateway API shim and HTTP-01 solver run only with --enable-gateway-api (off), and routes/custom-host is OpenShift's; neither applies on EKS as configured",
      grants: [cluster(...GATEWAY_AND_OPENSHIFT)],
    }],
  },
  webhooks: [
    { type: "validating", name: "webhook.cert-manager.io", path: "/validate", failurePolicy: "Fail" },
    { type: "mutating", name: "webhook.cert-manager.io", path: "/mutate", failurePolicy: "Fail" },
  ],
};
