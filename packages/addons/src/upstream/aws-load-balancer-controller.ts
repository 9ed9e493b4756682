/** aws-load-balancer-controller v2.13.4, from the Helm chart templates (read, not rendered) and the controller's flag definitions. */
import { cluster, own, r, type UpstreamFacts } from "./facts";

const READ = ["get", "list", "watch"];
/** Gateway API permissions of the chart (controllers behind the NLBGatewayAPI / ALBGatewayAPI gates). */
const GATEWAY_RULES = [
  r(["gateway.k8s.aws"], ["loadbalancerconfigurations", "targetgroupconfigurations", "listenerruleconfigurations"], ["get", "list", "watch", "patch"]),
  r(["gateway.k8s.aws"], ["loadbalancerconfigurations/finalizers", "targetgroupconfigurations/finalizers", "listenerruleconfigurations/finalizers"], ["update", "patch"]),
  r(["gateway.k8s.aws"], ["loadbalancerconfigurations/status", "targetgroupconfigurations/status", "listenerruleconfigurations/status"], ["get", "patch", "watch"]),
  r(["gateway.networking.k8s.io"], ["gatewayclasses", "gateways"], ["get", "list", "watch", "patch"]),
  r(["gateway.networking.k8s.io"], ["referencegrants"], READ),
  r(["gateway.networking.k8s.io"], ["gatewayclasses/finalizers", "gateways/finalizers"], ["update", "patch"]),
  r(["gateway.networking.k8s.io"], ["gatewayclasses/status", "gateways/status"], ["get", "patch", "update"]),
  r(["gateway.networking.k8s.io"], ["grpcroutes", "httproutes", "tcproutes", "tlsroutes", "udproutes"], READ),
  r(["gateway.networking.k8s.io"], ["grpcroutes/finalizers", "httproutes/finalizers", "tcproutes/finalizers", "tlsroutes/finalizers", "udproutes/finalizers"], ["update"]),
  r(["gateway.networking.k8s.io"], ["grpcroutes/status", "httproutes/status", "tcproutes/status", "tlsroutes/status", "udproutes/status"], ["get", "patch", "update"]),
];

export const awsLoadBalancerControllerFacts: UpstreamFacts = {
  addon: "aws-load-balancer-controller",
  version: "v2.13.4",
  compared: [
    "helm/aws-load-balancer-controller/templates/deployment.yaml@v2.13.4",
    "helm/aws-load-balancer-controller/templates/rbac.yaml@v2.13.4",
    "helm/aws-load-balancer-controller/templates/webhook.yaml@v2.13.4",
    "helm/aws-load-balancer-controller/values.yaml@v2.13.4",
    "config/rbac/role.yaml@v2.13.4",
    "pkg/config/*.go, pkg/aws/cloud_config.go, pkg/inject/config.go@v2.13.4 (flags)",
    "main.go@v2.13.4 (webhooks registered, gateway controllers behind feature gates)",
  ],
  images: { controller: "public.ecr.aws/eks/aws-load-balancer-controller" },
  flags: {
    controller: [
      "alb-gateway-max-concurrent-reconciles", "allowed-certificate-authority-arns", "aws-api-endpoints", "aws-api-throttle", "aws-max-retries", "aws-region",
      "aws-vpc-cache-ttl", "aws-vpc-id", "aws-vpc-tag-key", "aws-vpc-tags", "backend-security-group", "cluster-name", "default-load-balancer-scheme",
      "default-ssl-policy", "default-tags", "default-target-type", "disable-ingress-class-annotation", "disable-ingress-group-name-annotation",
      "disable-restricted-sg-rules", "enable-backend-security-group", "enable-endpoint-slices", "enable-leader-election",
      "enable-manage-backend-security-group-rules", "enable-pod-readiness-gate-inject", "enable-shield", "enable-waf", "enable-wafv2",
      "external-managed-tags", "feature-gates", "gateway-class-max-concurrent-reconciles", "health-probe-bind-addr", "ingress-class",
      "ingress-max-concurrent-reconciles", "kubeconfig", "lb-stabilization-monitor-interval", "leader-election-id", "leader-election-namespace",
      "load-balancer-class", "log-level", "metrics-bind-addr", "nlb-gateway-max-concurrent-reconciles", "service-max-concurrent-reconciles",
      "service-target-eni-security-group-tags", "sync-period", "targetgroupbinding-max-concurrent-reconciles",
      "targetgroupbinding-max-exponential-backoff-delay", "tolerate-non-existent-backend-action", "tolerate-non-existent-backend-service",
      "watch-namespace", "webhook-bind-port", "webhook-cert-dir", "webhook-cert-file", "webhook-key-file",
    ],
  },
  rbac: {
    "aws-load-balancer-controller": [
      cluster(
        r(["elbv2.k8s.aws"], ["targetgroupbindings"], ["create", "delete", "get", "list", "patch", "update", "watch"]),
        r(["elbv2.k8s.aws"], ["ingressclassparams"], READ),
        r([""], ["events"], ["create", "patch"]),
        r([""], ["pods"], READ),
        r(["networking.k8s.io"], ["ingressclasses"], READ),
        r(["", "extensions", "networking.k8s.io"], ["services", "ingresses"], ["get", "list", "patch", "update", "watch"]),
        r([""], ["nodes", "namespaces", "endpoints"], READ),
        r([""], ["configmaps"], ["get", "delete", "create", "update"]),
        r(["elbv2.k8s.aws", "", "extensions", "networking.k8s.io"], ["targetgroupbindings/status", "pods/status", "services/status", "ingresses/status"], ["update", "patch"]),
        r(["discovery.k8s.io"], ["endpointslices"], READ),
        ...GATEWAY_RULES,
      ),
      own(
        r([""], ["configmaps"], ["create"]),
        r([""], ["configmaps"], ["get", "patch", "update"], ["aws-load-balancer-controller-leader"]),
        r(["coordination.k8s.io"], ["leases"], ["create"]),
        r(["coordination.k8s.io"], ["leases"], ["get", "update", "patch"], ["aws-load-balancer-controller-leader"]),
      ),
    ],
  },
  omitted: {
    "aws-load-balancer-controller": [{
      why: "Gateway API support (LoadBalancerConfiguration, Gateway, *Route) runs only behind the NLBGatewayAPI / ALBGatewayAPI feature gates, which are off by default at v2.13.4 and not set here; without the gates main.go starts no controller that uses these permissions",
      grants: [cluster(...GATEWAY_RULES)],
    }],
  },
  webhooks: [
    { type: "mutating", name: "mpod.elbv2.k8s.aws", path: "/mutate-v1-pod", failurePolicy: "Ignore" },
    { type: "mutating", name: "mservice.elbv2.k8s.aws", path: "/mutate-v1-service", failurePolicy: "Fail" },
    { type: "mutating", name: "mtargetgroupbinding.elbv2.k8s.aws", path: "/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding", failurePolicy: "Fail" },
    { type: "validating", name: "vingressclassparams.elbv2.k8s.aws", path: "/validate-elbv2-k8s-aws-v1beta1-ingressclassparams", failurePolicy: "Fail" },
    { type: "validating", name: "vtargetgroupbinding.elbv2.k8s.aws", path: "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding", failurePolicy: "Fail" },
    { type: "validating", name: "vingress.elbv2.k8s.aws", path: "/validate-networking-v1-ingress", failurePolicy: "Fail" },
  ],
};
