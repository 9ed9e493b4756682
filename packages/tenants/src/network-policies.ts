/**
 * The tenant's baseline network policies: deny everything, then allow DNS, traffic within the
 * namespace, the load balancer (target-type ip: traffic arrives from the VPC) to pods labelled
 * as load-balanced, and the monitoring add-on. Each app's access policy opens the rest.
 */
import { Labels } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, type TenantInstanceContext } from "./context";

const NAMESPACE_NAME = "kubernetes.io/metadata.name";
export const DEFAULT_MONITORING_NAMESPACE = "monitoring";

export function addNetworkPolicies(scope: Construct, ctx: TenantInstanceContext): void {
  const all = {};
  new k8s.KubeNetworkPolicy(scope, "default-deny", {
    metadata: metadata(ctx, "default-deny"),
    spec: { podSelector: all, policyTypes: ["Ingress", "Egress"] },
  });
  new k8s.KubeNetworkPolicy(scope, "allow-dns", {
    metadata: metadata(ctx, "allow-dns"),
    spec: {
      podSelector: all,
      policyTypes: ["Egress"],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [{ protocol: "UDP", port: k8s.IntOrString.fromNumber(53) }, { protocol: "TCP", port: k8s.IntOrString.fromNumber(53) }],
      }],
    },
  });
  new k8s.KubeNetworkPolicy(scope, "allow-same-namespace", {
    metadata: metadata(ctx, "allow-same-namespace"),
    spec: { podSelector: all, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ podSelector: all }] }], egress: [{ to: [{ podSelector: all }] }] },
  });
  new k8s.KubeNetworkPolicy(scope, "allow-from-load-balancer", {
    metadata: metadata(ctx, "allow-from-load-balancer"),
    spec: {
      podSelector: { matchLabels: { [Labels.loadBalanced]: "true" } },
      policyTypes: ["Ingress"],
      // ALB nodes live in the VPC's subnets; with target-type ip they connect to the pod directly.
      ingress: [{ from: [{ ipBlock: { cidr: ctx.cluster.aws.vpcCidr } }] }],
    },
  });
  new k8s.KubeNetworkPolicy(scope, "allow-from-monitoring", {
    metadata: metadata(ctx, "allow-from-monitoring"),
    spec: {
      podSelector: all,
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: ctx.monitoringNamespace ?? DEFAULT_MONITORING_NAMESPACE } } }] }],
    },
  });
}
