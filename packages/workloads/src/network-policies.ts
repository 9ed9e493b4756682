/**
 * The app's half of its access policy, on top of the tenant's default-deny: who may call it
 * (inbound) and whom it may call (outbound). The peer renders the other half; the validator
 * checks that both sides declared it.
 */
import { Labels, tenantNamespace } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, selectorLabels, type AppInstanceContext } from "./context";

const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
/** Services reached through gateway endpoints or public endpoints (no interface endpoint in the VPC). */
const PUBLIC_ENDPOINT_SERVICES = new Set(["s3", "dynamodb"]);

/**
 * The EKS Pod Identity Agent: a DaemonSet on the host network answering credential requests on
 * the link-local 169.254.170.23, port 80 (AWS_CONTAINER_CREDENTIALS_FULL_URI in the pod).
 */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

/** How one AWS service is reached, and why: what a reviewer reads in `slipway.dev/aws-egress`. */
export interface AwsEgress {
  readonly service: string;
  readonly cidrs: readonly string[];
  readonly except?: readonly string[];
  /** `vpc-endpoint` (cluster facts), `vpc-cidr-fallback` or `public-fallback`. */
  readonly via: "vpc-endpoint" | "vpc-cidr-fallback" | "public-fallback";
  readonly prefixList?: string;
}

/**
 * Where HTTPS to an AWS service goes: the service's VPC endpoint CIDRs from cluster.ts
 * (`aws.endpoints`) where declared; otherwise the VPC CIDR for services with interface endpoints
 * (assumed to be in the VPC), or every public address for S3 and DynamoDB (gateway endpoints
 * route public addresses; without their prefix-list CIDRs nothing narrower is known).
 */
export function awsEgress(ctx: AppInstanceContext, service: string): AwsEgress {
  const endpoint = ctx.cluster.aws.endpoints[service as keyof typeof ctx.cluster.aws.endpoints];
  if (endpoint) return { service, cidrs: endpoint.cidrs, via: "vpc-endpoint", ...(endpoint.prefixList ? { prefixList: endpoint.prefixList } : {}) };
  if (PUBLIC_ENDPOINT_SERVICES.has(service)) return { service, cidrs: ["0.0.0.0/0"], except: PRIVATE_RANGES, via: "public-fallback" };
  return { service, cidrs: [ctx.cluster.aws.vpcCidr], via: "vpc-cidr-fallback" };
}

function describeEgress(e: AwsEgress): string {
  const to = e.via === "public-fallback" ? "public addresses" : e.cidrs.join(" ");
  return `${e.service}: ${e.via}${e.prefixList ? ` ${e.prefixList}` : ""} (${to})`;
}

function peer(ctx: AppInstanceContext, app: string, tenant: string | undefined): k8s.NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: tenantNamespace(tenant ?? ctx.tenant.name, ctx.environment.name) } },
    podSelector: { matchLabels: { [Labels.name]: app } },
  };
}

function namedPorts(names: readonly string[]): k8s.NetworkPolicyPort[] {
  return names.map((name) => ({ protocol: "TCP", port: k8s.IntOrString.fromString(name) }));
}

export function addNetworkPolicies(scope: Construct, ctx: AppInstanceContext): void {
  const { inbound, outbound } = ctx.app.access;
  const podSelector = { matchLabels: selectorLabels(ctx) };
  const ownPorts = ctx.app.ports.map((p) => p.name);

  if (inbound.length > 0) {
    new k8s.KubeNetworkPolicy(scope, "inbound", {
      metadata: metadata(ctx, `${ctx.app.name}-inbound`),
      spec: {
        podSelector,
        policyTypes: ["Ingress"],
        ingress: inbound.map((from) => ({
          from: [peer(ctx, from.app, from.tenant)],
          ports: namedPorts(from.port ? [from.port] : ownPorts),
        })),
      },
    });
  }

  // Credentials come first: a Pod Identity app asks the node's agent, an IRSA app exchanges its
  // token with STS. Both are allowed even for an app with no other outbound access.
  const podIdentity = ctx.app.aws?.identity === "pod-identity";
  const irsa = ctx.app.aws?.identity === "irsa";
  if (outbound.length > 0 || podIdentity || irsa) {
    const egress: k8s.NetworkPolicyEgressRule[] = [];
    const awsServices: string[] = [];
    for (const to of outbound) {
      if ("app" in to) {
        egress.push({ to: [peer(ctx, to.app, to.tenant)], ...(to.port ? { ports: namedPorts([to.port]) } : {}) });
      } else if ("cidr" in to) {
        egress.push({ to: [{ ipBlock: { cidr: to.cidr } }], ports: to.ports.map((port) => ({ protocol: "TCP", port: k8s.IntOrString.fromNumber(port) })) });
      } else {
        awsServices.push(to.aws);
      }
    }
    if (irsa) awsServices.push("sts");
    const services = [...new Set(awsServices)].sort();
    const aws = services.map((service) => awsEgress(ctx, service));
    const https = [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(443) }];
    // One rule per destination set, so each opening is visible on its own; services sharing one merge.
    const byDestination = new Map<string, AwsEgress>();
    for (const e of aws) byDestination.set(JSON.stringify([e.cidrs, e.except ?? []]), e);
    for (const e of byDestination.values()) {
      egress.push({ to: e.cidrs.map((cidr) => ({ ipBlock: { cidr, ...(e.except ? { except: [...e.except] } : {}) } })), ports: https });
    }
    if (podIdentity) {
      egress.push({ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(POD_IDENTITY_AGENT.port) }] });
    }
    const annotations: Record<string, string> = {};
    if (services.length) annotations["slipway.dev/aws-services"] = services.join(",");
    if (aws.length) annotations["slipway.dev/aws-egress"] = aws.map(describeEgress).join("; ");
    if (podIdentity) annotations["slipway.dev/pod-identity-agent"] = `${POD_IDENTITY_AGENT.cidr}:${POD_IDENTITY_AGENT.port}`;
    new k8s.KubeNetworkPolicy(scope, "outbound", {
      metadata: metadata(ctx, `${ctx.app.name}-outbound`, { annotations }),
      spec: { podSelector, policyTypes: ["Egress"], egress },
    });
  }
}
