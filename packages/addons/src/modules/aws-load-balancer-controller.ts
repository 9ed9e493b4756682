/**
 * AWS Load Balancer Controller: ALBs for Ingresses (IngressClass `alb`, IngressClassParams) and
 * NLBs for Services, targets by pod IP. Its webhook certificate comes from cert-manager.
 */
import { ApiObject } from "cdk8s";
import { k8s } from "cdk8s-plus-28";
import * as z from "zod";
import { addServiceAccount, roleArn } from "../kit/identity";
import { meta, selectorLabels, SKIP_DRY_RUN } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { addClusterRole, addRole, leaseLock, READ, rule } from "../kit/rbac";
import { controllerValues, identityValue } from "../kit/values";
import { addService, addWorkload, httpProbe } from "../kit/workload";
import { addWebhookCertificate } from "../kit/webhook-certificate";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "aws-load-balancer-controller";
const NAMESPACE = "aws-load-balancer-controller";
const WEBHOOK_SERVICE = "aws-load-balancer-webhook-service";
const TLS_SECRET = "aws-load-balancer-tls";
const CERT_DIR = "/tmp/k8s-webhook-server/serving-certs";
/** The controller's leader-election lock (`--leader-election-id` default). */
const LEADER_LOCK = "aws-load-balancer-controller-leader";
/** The IngressClass every app ingress names (packages/workloads ALB_INGRESS_CLASS). */
export const ALB_CLASS = "alb";

export const AwsLoadBalancerControllerValues = z.strictObject({
  ...controllerValues({ replicas: 2, cpu: "100m", memory: "256Mi" }),
  identity: identityValue,
  /** Protect load balancers from accidental deletion (turn on in prod). */
  deletionProtection: z.boolean().default(false),
  idleTimeoutSeconds: z.number().int().min(1).max(4000).default(60),
  /** TLS policy of HTTPS listeners the controller creates. */
  sslPolicy: z.string().default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
});
type Values = z.output<typeof AwsLoadBalancerControllerValues>;

export const awsLoadBalancerController = defineAddonModule({
  name: NAME,
  description: "ALBs for Ingresses and NLBs for Services, with pod-IP targets.",
  namespace: NAMESPACE,
  defaultVersion: "v2.13.4",
  upstream: "https://github.com/kubernetes-sigs/aws-load-balancer-controller",
  values: AwsLoadBalancerControllerValues,
  requires: ["cert-manager"],
  syncWave: AddonWave.dependent,
  serverSideApply: true,
  crds: {
    source: { from: "upstream", repoURL: "https://github.com/kubernetes-sigs/aws-load-balancer-controller", path: "config/crd/bases" },
    required: [
      { name: "ingressclassparams.elbv2.k8s.aws", kind: "IngressClassParams", versions: ["v1beta1"] },
      { name: "targetgroupbindings.elbv2.k8s.aws", kind: "TargetGroupBinding", versions: ["v1beta1"] },
    ],
  },
  comparedWith: ["helm/aws-load-balancer-controller/templates@v2.13.4", "config/rbac/role.yaml@v2.13.4", "pkg/config@v2.13.4", "main.go@v2.13.4"],
  identity: (_v: Values) => ({ serviceAccount: NAME, roleFact: NAME, purpose: "manage ELBv2 load balancers, target groups and security group rules" }),
  metrics: () => [{ selector: selectorLabelsFor("controller"), port: "metrics-server" }],
  generate(scope, ctx) {
    const v = ctx.values;
    addNamespace(scope, ctx);
    addServiceAccount(scope, ctx, NAME, { mode: v.identity, roleArn: roleArn(ctx, NAME) });
    // As the chart grants at v2.13.4, without the Gateway API rules: the gateway controllers run
    // only behind the NLBGatewayAPI/ALBGatewayAPI feature gates, which stay off.
    addClusterRole(scope, ctx, NAME, [
      rule(["elbv2.k8s.aws"], ["targetgroupbindings"], ["create", "delete", "get", "list", "patch", "update", "watch"]),
      rule(["elbv2.k8s.aws"], ["ingressclassparams"], READ),
      rule([""], ["events"], ["create", "patch"]),
      rule([""], ["pods"], READ),
      rule(["networking.k8s.io"], ["ingressclasses"], READ),
      rule(["", "extensions", "networking.k8s.io"], ["services", "ingresses"], ["get", "list", "patch", "update", "watch"]),
      rule([""], ["nodes", "namespaces", "endpoints"], READ),
      // The TargetGroupBinding controller keeps its per-binding state in ConfigMaps.
      rule([""], ["configmaps"], ["get", "delete", "create", "update"]),
      rule(["elbv2.k8s.aws", "", "extensions", "networking.k8s.io"], ["targetgroupbindings/status", "pods/status", "services/status", "ingresses/status"], ["update", "patch"]),
      rule(["discovery.k8s.io"], ["endpointslices"], READ),
    ], NAME);
    addRole(scope, ctx, `${NAME}-leader-election`, [
      rule([""], ["configmaps"], ["create"]),
      rule([""], ["configmaps"], ["get", "patch", "update"], [LEADER_LOCK]),
      ...leaseLock([LEADER_LOCK]),
    ], NAME);

    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "controller", serviceAccount: NAME, replicas: v.replicas, priorityClassName: v.priorityClassName,
      containers: [{
        name: "controller",
        image: `public.ecr.aws/eks/aws-load-balancer-controller:${ctx.version}`,
        resources: v.resources,
        args: [
          `--cluster-name=${ctx.cluster.name}`,
          `--ingress-class=${ALB_CLASS}`,
          `--aws-region=${ctx.cluster.aws.region}`,
          `--aws-vpc-id=${ctx.cluster.aws.vpcId}`,
          `--log-level=${v.logLevel === "debug" ? "debug" : "info"}`,
          `--webhook-cert-dir=${CERT_DIR}`,
          "--metrics-bind-addr=:8080",
          "--health-probe-bind-addr=:61779",
        ],
        ports: [{ name: "webhook-server", containerPort: 9443 }, { name: "metrics-server", containerPort: 8080 }, { name: "health", containerPort: 61779 }],
        liveness: { ...httpProbe("/healthz", "health", "HTTP", 30), timeoutSeconds: 10, failureThreshold: 2 },
        readiness: { ...httpProbe("/readyz", "health", "HTTP", 10), timeoutSeconds: 10, failureThreshold: 2 },
        mounts: [{ name: "cert", mountPath: CERT_DIR, readOnly: true }],
      }],
      // 0644 for the certificate files: 420 in decimal, as Kubernetes stores modes.
      volumes: [{ name: "cert", secret: { secretName: TLS_SECRET, defaultMode: 420 } }],
      terminationGracePeriodSeconds: 10,
    });
    addService(scope, ctx, WEBHOOK_SERVICE, "controller", [{ name: "webhook-server", port: 443, targetPort: "webhook-server" }]);
    addService(scope, ctx, `${NAME}-metrics`, "controller", [{ name: "metrics-server", port: 8080, targetPort: "metrics-server" }]);

    // The webhook's serving certificate; its CA is injected into the webhook configurations.
    const inject = addWebhookCertificate(scope, ctx, { issuer: `${NAME}-selfsigned`, certificate: `${NAME}-serving-cert`, secretName: TLS_SECRET, service: WEBHOOK_SERVICE, namespace: NAMESPACE });
    const hook = (name: string, path: string, failurePolicy: "Fail" | "Ignore", rules: k8s.RuleWithOperations[], extra: Partial<k8s.MutatingWebhook> = {}) => ({
      name, admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy, matchPolicy: "Equivalent",
      clientConfig: { service: { name: WEBHOOK_SERVICE, namespace: NAMESPACE, path } }, rules, ...extra,
    });
    const notSelf = { objectSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: [NAME] }] } };
    const tgb = [{ apiGroups: ["elbv2.k8s.aws"], apiVersions: ["v1beta1"], operations: ["CREATE", "UPDATE"], resources: ["targetgroupbindings"] }];
    new k8s.KubeMutatingWebhookConfiguration(scope, "mutating-webhook", {
      metadata: meta(ctx, `${NAME}-webhook`, { namespace: null, wave: "admission", annotations: inject }),
      webhooks: [
        // Pod readiness gates, only in namespaces that opt in; a pod admitted while the webhook is
        // down only misses its gate (upstream's default: Ignore).
        hook("mpod.elbv2.k8s.aws", "/mutate-v1-pod", "Ignore", [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }], {
          namespaceSelector: { matchExpressions: [{ key: "elbv2.k8s.aws/pod-readiness-gate-inject", operator: "In", values: ["enabled"] }] },
          ...notSelf,
        }),
        // New Services of type LoadBalancer get this controller's loadBalancerClass (NLB), not the
        // in-tree cloud provider's classic ELB.
        hook("mservice.elbv2.k8s.aws", "/mutate-v1-service", "Fail", [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["services"] }], notSelf),
        hook("mtargetgroupbinding.elbv2.k8s.aws", "/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding", "Fail", tgb),
      ],
    });
    new k8s.KubeValidatingWebhookConfiguration(scope, "validating-webhook", {
      metadata: meta(ctx, `${NAME}-webhook`, { namespace: null, wave: "admission", annotations: inject }),
      webhooks: [
        hook("vingressclassparams.elbv2.k8s.aws", "/validate-elbv2-k8s-aws-v1beta1-ingressclassparams", "Fail", [{ apiGroups: ["elbv2.k8s.aws"], apiVersions: ["v1beta1"], operations: ["CREATE", "UPDATE"], resources: ["ingressclassparams"] }], notSelf),
        hook("vtargetgroupbinding.elbv2.k8s.aws", "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding", "Fail", tgb),
        hook("vingress.elbv2.k8s.aws", "/validate-networking-v1-ingress", "Fail", [{ apiGroups: ["networking.k8s.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["ingresses"] }]),
      ],
    });

    new ApiObject(scope, "ingress-class-params", {
      apiVersion: "elbv2.k8s.aws/v1beta1", kind: "IngressClassParams",
      metadata: meta(ctx, ALB_CLASS, { namespace: null, wave: "configuration", annotations: SKIP_DRY_RUN }),
      spec: {
        // Scheme is left to each Ingress (internal by default; public needs an approval annotation).
        ipAddressType: "ipv4",
        sslPolicy: v.sslPolicy,
        tags: [{ key: "slipway.dev/cluster", value: ctx.cluster.name }],
        loadBalancerAttributes: [
          { key: "deletion_protection.enabled", value: String(v.deletionProtection) },
          { key: "idle_timeout.timeout_seconds", value: String(v.idleTimeoutSeconds) },
          { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
        ],
      },
    });
    new k8s.KubeIngressClass(scope, "ingress-class", {
      metadata: meta(ctx, ALB_CLASS, { namespace: null, wave: "configuration" }),
      spec: { controller: "ingress.k8s.aws/alb", parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: ALB_CLASS } },
    });
  },
});

function selectorLabelsFor(component: string): Record<string, string> {
  return selectorLabels({ addon: NAME } as never, component);
}
