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

  if (outbound.length > 0) {
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
    if (awsServices.length > 0) {
      const https = [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(443) }];
      // Interface endpoints live in the VPC; gateway-endpoint services resolve to public AWS ranges.
      egress.push({ to: [{ ipBlock: { cidr: ctx.cluster.aws.vpcCidr } }], ports: https });
      if (awsServices.some((s) => PUBLIC_ENDPOINT_SERVICES.has(s))) {
        egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: PRIVATE_RANGES } }], ports: https });
      }
    }
    new k8s.KubeNetworkPolicy(scope, "outbound", {
      metadata: metadata(ctx, `${ctx.app.name}-outbound`, {
        annotations: awsServices.length ? { "slipway.dev/aws-services": [...new Set(awsServices)].sort().join(",") } : {},
      }),
      spec: { podSelector, policyTypes: ["Egress"], egress },
    });
  }
}
