/** metrics-server v0.8.0, from the kustomize base the release's components.yaml is built from, and its option definitions. */
import { builtin, cluster, r, type UpstreamFacts } from "./facts";

export const metricsServerFacts: UpstreamFacts = {
  addon: "metrics-server",
  version: "v0.8.0",
  compared: [
    "manifests/base/deployment.yaml, rbac.yaml, service.yaml, apiservice.yaml@v0.8.0",
    "cmd/metrics-server/app/options/*.go@v0.8.0 (its own flags; k8s.io/apiserver's secure-serving flags such as --cert-dir and --secure-port; component-base logging)",
  ],
  images: { "metrics-server": "registry.k8s.io/metrics-server/metrics-server" },
  flags: {
    "metrics-server": [
      "deprecated-kubelet-completely-insecure", "kubeconfig", "kubelet-certificate-authority", "kubelet-client-certificate", "kubelet-client-key",
      "kubelet-insecure-tls", "kubelet-port", "kubelet-preferred-address-types", "kubelet-request-timeout", "kubelet-use-node-status-port",
      "metric-resolution", "node-selector", "version",
      // k8s.io/apiserver SecureServingOptions and component-base logging
      "bind-address", "cert-dir", "secure-port", "tls-cert-file", "tls-private-key-file", "tls-cipher-suites", "tls-min-version", "v", "vmodule", "logging-format",
    ],
  },
  rbac: {
    "metrics-server": [
      cluster(r([""], ["nodes/metrics"], ["get"]), r([""], ["pods", "nodes"], ["get", "list", "watch"])),
      builtin("system:auth-delegator"),
      { scope: "ns:kube-system", builtinRole: "extension-apiserver-authentication-reader" },
    ],
  },
};
