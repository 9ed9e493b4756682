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
import { addClusterRole, addLeaderElection, ALL, READ, rule } from "../kit/rbac";
import { controllerValues, identityValue } from "../kit/values";
import { addService, addWorkload, httpProbe } from "../kit/workload";
import { addWebhookCertificate } from "../kit/webhook-certificate";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "aws-load-balancer-controller";
const NAMESPACE = "aws-load-balancer-controller";
const WEBHOOK_SERVICE = "aws-load-balancer-webhook-service";
const TLS_SECRET = "aws-load-balancer-tls";
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
  crds: { from: "upstream", repoURL: "https://github.com/kubernetes-sigs/aws-load-balancer-controller", path: "config/crd/bases" },
  identity: (_v: Values) => ({ serviceAccount: NAME, roleFact: NAME, purpose: "manage ELBv2 load balancers, target groups and security group rules" }),
  metrics: () => [{ selector: selectorLabelsFor("controller"), port: "metrics" }],
  generate(scope, ctx) {
    const v = ctx.values;
    addNamespace(scope, ctx);
    addServiceAccount(scope, ctx, NAME, { mode: v.identity, roleArn: roleArn(ctx, NAME) });
    addClusterRole(scope, ctx, NAME, [
      rule(["elbv2.k8s.aws"], ["targetgroupbindings"], ALL),
      rule(["elbv2.k8s.aws"], ["targetgroupbindings/status"], ["update", "patch"]),
      rule(["elbv2.k8s.aws"], ["ingressclassparams"], READ),
      rule(["networking.k8s.io"], ["ingressclasses"], READ),
      rule(["", "extensions", "networking.k8s.io"], ["services", "ingresses"], [...READ, "update", "patch"]),
      rule(["", "extensions", "networking.k8s.io"], ["services/status", "ingresses/status"], ["update", "patch"]),
      rule([""], ["pods/status"], ["update", "patch"]),
      rule([""], ["nodes", "namespaces", "endpoints", "pods"], READ),
      rule(["discovery.k8s.io"], ["endpointslices"], READ),
      rule([""], ["events"], ["create", "patch"]),
    ], NAME);
    addLeaderElection(scope, ctx, NAME, NAME);

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
          "--webhook-cert-dir=/tmp/k8s-webhook-server/serving-certs",
          "--metrics-bind-addr=:8080",
          "--health-probe-bind-addr=:61779",
        ],
        ports: [{ name: "webhook-server", containerPort: 9443 }, { name: "metrics", containerPort: 8080 }, { name: "health", containerPort: 61779 }],
        liveness: httpProbe("/healthz", "health", "HTTP", 30),
        readiness: httpProbe("/readyz", "health", "HTTP", 10),
        mounts: [{ name: "cert", mountPath: "/tmp/k8s-webhook-server/serving-certs", readOnly: true }],
      }],
      volumes: [{ name: "cert", secret: { secretName: TLS_SECRET, defaultMode: 0o420 } }],
      terminationGracePeriodSeconds: 10,
    });
    addService(scope, ctx, WEBHOOK_SERVICE, "controller", [{ name: "webhook-server", port: 443, targetPort: "webhook-server" }]);
    addService(scope, ctx, `${NAME}-metrics`, "controller", [{ name: "metrics", port: 8080, targetPort: "metrics" }]);

    // The webhook's serving certificate; its CA is injected into the webhook configurations.
    const inject = addWebhookCertificate(scope, ctx, { issuer: `${NAME}-selfsigned`, certificate: `${NAME}-serving-cert`, secretName: TLS_SECRET, service: WEBHOOK_SERVICE, namespace: NAMESPACE });
    const client = (path: string) => ({ service: { name: WEBHOOK_SERVICE, namespace: NAMESPACE, path } });
    const tgb = { apiGroups: ["elbv2.k8s.aws"], apiVersions: ["v1beta1"], operations: ["CREATE", "UPDATE"], resources: ["targetgroupbindings"] };
    new k8s.KubeMutatingWebhookConfiguration(scope, "mutating-webhook", {
      metadata: meta(ctx, `${NAME}-webhook`, { namespace: null, wave: "admission", annotations: inject }),
      webhooks: [
        {
          // Pod readiness gates, only in namespaces that opt in.
          name: "mpod.elbv2.k8s.aws", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", matchPolicy: "Equivalent",
          clientConfig: client("/mutate-v1-pod"),
          namespaceSelector: { matchExpressions: [{ key: "elbv2.k8s.aws/pod-readiness-gate-inject", operator: "In", values: ["enabled"] }] },
          objectSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: [NAME] }] },
          rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
        },
        {
          name: "mtargetgroupbinding.elbv2.k8s.aws", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", matchPolicy: "Equivalent",
          clientConfig: client("/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding"), rules: [tgb],
        },
      ],
    });
    new k8s.KubeValidatingWebhookConfiguration(scope, "validating-webhook", {
      metadata: meta(ctx, `${NAME}-webhook`, { namespace: null, wave: "admission", annotations: inject }),
      webhooks: [
        {
          name: "vtargetgroupbinding.elbv2.k8s.aws", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", matchPolicy: "Equivalent",
          clientConfig: client("/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding"), rules: [tgb],
        },
        {
          name: "vingress.elbv2.k8s.aws", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", matchPolicy: "Equivalent",
          clientConfig: client("/validate-networking-v1-ingress"),
          rules: [{ apiGroups: ["networking.k8s.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["ingresses"] }],
        },
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
