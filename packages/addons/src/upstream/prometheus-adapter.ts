/** prometheus-adapter v0.12.0: its deploy/manifests, the flags of cmd/adapter and of the custom-metrics-apiserver library it serves with. */
import { builtin, cluster, r, type UpstreamFacts } from "./facts";

const READ = ["get", "list", "watch"];

export const prometheusAdapterFacts: UpstreamFacts = {
  addon: "prometheus-adapter",
  version: "v0.12.0",
  compared: [
    "deploy/manifests/{deployment,service,service-account,cluster-role,cluster-role-binding,cluster-role-binding-delegator,role-binding-auth-reader,cluster-role-binding-hpa-custom-metrics}.yaml@v0.12.0",
    "cmd/adapter/adapter.go@v0.12.0 (its flags; the custom and external providers start when the config has rules / externalRules)",
    "kubernetes-sigs/custom-metrics-apiserver:pkg/cmd@v1.30.0 (k8s.io/apiserver secure serving, authentication and authorization flags; klog)",
    "deploy/manifests/custom-metrics-apiservice.yaml@v0.8.4 (v1beta1 and v1beta2 custom.metrics.k8s.io, v1beta1 external.metrics.k8s.io)",
  ],
  images: { "prometheus-adapter": "registry.k8s.io/prometheus-adapter/prometheus-adapter" },
  flags: {
    "prometheus-adapter": [
      "prometheus-url", "prometheus-auth-incluster", "prometheus-auth-config", "prometheus-ca-file", "prometheus-client-tls-cert-file",
      "prometheus-client-tls-key-file", "prometheus-token-file", "prometheus-header", "prometheus-verb", "config", "metrics-relist-interval",
      "metrics-max-age", "disable-http2",
      // sigs.k8s.io/custom-metrics-apiserver (k8s.io/apiserver SecureServingOptions, delegated authn/authz) and klog
      "bind-address", "cert-dir", "secure-port", "tls-cert-file", "tls-private-key-file", "tls-cipher-suites", "tls-min-version", "lister-kubeconfig",
      "authentication-kubeconfig", "authorization-kubeconfig", "authentication-skip-lookup", "v", "vmodule", "logtostderr",
    ],
  },
  rbac: {
    "prometheus-adapter": [
      cluster(r([""], ["nodes", "namespaces", "pods", "services"], READ)),
      builtin("system:auth-delegator"),
      { scope: "ns:kube-system", builtinRole: "extension-apiserver-authentication-reader" },
    ],
    // deploy/manifests/cluster-role-binding-hpa-custom-metrics.yaml: the HPA controller's access to the APIs.
    "horizontal-pod-autoscaler": [cluster(r(["custom.metrics.k8s.io", "external.metrics.k8s.io"], ["*"], READ))],
  },
};
