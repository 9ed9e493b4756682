/** Recorded upstream facts of every add-on, by add-on name (see facts.ts). */
import { awsEbsCsiDriverFacts } from "./aws-ebs-csi-driver";
import { awsLoadBalancerControllerFacts } from "./aws-load-balancer-controller";
import { certManagerFacts } from "./cert-manager";
import { clusterAutoscalerFacts } from "./cluster-autoscaler";
import { externalDnsFacts } from "./external-dns";
import { externalSecretsFacts } from "./external-secrets";
import type { UpstreamFacts } from "./facts";
import { fluentBitFacts } from "./fluent-bit";
import { karpenterFacts } from "./karpenter";
import { kyvernoFacts } from "./kyverno";
import { metricsServerFacts } from "./metrics-server";
import { monitoringFacts } from "./monitoring";
import { prometheusAdapterFacts } from "./prometheus-adapter";
import { sparkOperatorFacts } from "./spark-operator";
import { veleroFacts } from "./velero";

export const UPSTREAM_FACTS: Readonly<Record<string, UpstreamFacts>> = Object.fromEntries(
  [
    awsEbsCsiDriverFacts, awsLoadBalancerControllerFacts, certManagerFacts, clusterAutoscalerFacts, externalDnsFacts, externalSecretsFacts,
    fluentBitFacts, karpenterFacts, kyvernoFacts, metricsServerFacts, monitoringFacts, prometheusAdapterFacts, sparkOperatorFacts, veleroFacts,
  ].map((f) => [f.addon, f]),
);

export type { UpstreamFacts } from "./facts";
export { fluentBitConfigKeys } from "./fluent-bit";
