/** ExternalDNS v0.18.0, from the Helm chart templates (read, not rendered) for the service and ingress sources, and its kingpin flag definitions. */
import { cluster, r, type UpstreamFacts } from "./facts";

export const externalDnsFacts: UpstreamFacts = {
  addon: "external-dns",
  version: "v0.18.0",
  compared: [
    "charts/external-dns/templates/deployment.yaml, clusterrole.yaml@v0.18.0 (sources: service, ingress)",
    "charts/external-dns/values.yaml@v0.18.0 (probes on :7979 /healthz, security context)",
    "pkg/apis/externaldns/types.go@v0.18.0 (flags)",
  ],
  images: { "external-dns": "registry.k8s.io/external-dns/external-dns" },
  flags: {
    "external-dns": [
      "annotation-filter", "aws-api-retries", "aws-assume-role", "aws-assume-role-external-id", "aws-batch-change-interval", "aws-batch-change-size",
      "aws-batch-change-size-bytes", "aws-batch-change-size-values", "aws-evaluate-target-health", "aws-prefer-cname", "aws-profile", "aws-zone-match-parent",
      "aws-zone-tags", "aws-zone-type", "aws-zones-cache-duration", "domain-filter", "dry-run", "events", "exclude-domains", "exclude-record-types",
      "ingress-class", "interval", "kubeconfig", "label-filter", "log-format", "log-level", "managed-record-types", "metrics-address", "min-event-sync-interval",
      "namespace", "once", "policy", "provider", "regex-domain-exclusion", "regex-domain-filter", "registry", "request-timeout", "source",
      "txt-cache-interval", "txt-encrypt-aes-key", "txt-encrypt-enabled", "txt-owner-id", "txt-prefix", "txt-suffix", "txt-wildcard-replacement",
      "zone-id-filter", "zone-name-filter",
    ],
  },
  rbac: {
    "external-dns": [cluster(
      r([""], ["nodes"], ["list", "watch"]),
      r([""], ["pods"], ["get", "watch", "list"]),
      r([""], ["services"], ["get", "watch", "list"]),
      r(["discovery.k8s.io"], ["endpointslices"], ["get", "watch", "list"]),
      r(["extensions", "networking.k8s.io"], ["ingresses"], ["get", "watch", "list"]),
    )],
  },
};
