/** Service and Ingress (AWS Load Balancer Controller) of a web service. */
import { Annotations, ingressEdge, sharedHost } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, selectorLabels, type AppInstanceContext } from "./context";
import { deregistrationAnnotation } from "./shutdown";

export const ALB_INGRESS_CLASS = "alb";

export function addService(scope: Construct, ctx: AppInstanceContext): void {
  new k8s.KubeService(scope, "service", {
    metadata: metadata(ctx, ctx.app.name),
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(ctx),
      ports: ctx.app.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol })),
    },
  });
}

export function addIngress(scope: Construct, ctx: AppInstanceContext): void {
  const ingress = ctx.app.ingress;
  if (!ingress) return;
  const port = ctx.app.ports.find((p) => p.name === ingress.port) ?? ctx.app.ports[0]!;
  const readiness = ctx.app.probes.readiness;
  const healthCheckPath = ingress.healthCheckPath ?? (readiness?.type === "http" ? readiness.path : "/");
  const alb = "alb.ingress.kubernetes.io";
  const annotations: Record<string, string> = {
    [`${alb}/scheme`]: ingress.exposure === "public" ? "internet-facing" : "internal",
    [`${alb}/target-type`]: "ip",
    [`${alb}/healthcheck-path`]: healthCheckPath,
    [`${alb}/group.name`]: ingress.groupName ?? `${ctx.tenant.name}-${ingress.exposure}`,
    [`${alb}/backend-protocol`]: "HTTP",
    ...deregistrationAnnotation(ctx),
  };
  const edge = ingressEdge(ingress, ctx.cluster);
  if (edge.certificateArn) {
    annotations[`${alb}/certificate-arn`] = edge.certificateArn;
    // HTTPS only, or HTTP too with every HTTP request redirected (the listener answers nothing else).
    annotations[`${alb}/listen-ports`] = ingress.redirectHttp ? '[{"HTTP":80},{"HTTPS":443}]' : '[{"HTTPS":443}]';
    if (ingress.redirectHttp) annotations[`${alb}/ssl-redirect`] = "443";
    annotations[`${alb}/ssl-policy`] = "ELBSecurityPolicy-TLS13-1-2-2021-06";
  } else {
    // Internal only (render refuses a public ingress without a certificate): plain HTTP inside the VPC.
    annotations[`${alb}/listen-ports`] = '[{"HTTP":80}]';
  }
  if (edge.wafAclArn) annotations[`${alb}/wafv2-acl-arn`] = edge.wafAclArn;
  if (sharedHost(ctx.cluster, ingress.host)) {
    // Several clusters publish this host: each its own record (set identifier), answered by latency.
    annotations["external-dns.alpha.kubernetes.io/set-identifier"] = ctx.cluster.name;
    annotations["external-dns.alpha.kubernetes.io/aws-region"] = ctx.cluster.aws.region;
  }
  if (ingress.exposure === "public" && ingress.approval) {
    annotations[Annotations.publicIngressApproval] = ingress.approval;
  }
  new k8s.KubeIngress(scope, "ingress", {
    metadata: metadata(ctx, ctx.app.name, { annotations }),
    spec: {
      ingressClassName: ALB_INGRESS_CLASS,
      rules: [
        {
          host: ingress.host,
          http: {
            paths: [
              {
                path: ingress.path,
                pathType: "Prefix",
                backend: { service: { name: ctx.app.name, port: { name: port.name } } },
              },
            ],
          },
        },
      ],
    },
  });
}

