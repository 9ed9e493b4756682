/** The typed registry of every add-on the library knows. A new add-on adds its module here. */
import { awsEbsCsiDriver } from "./modules/aws-ebs-csi-driver";
import { awsLoadBalancerController } from "./modules/aws-load-balancer-controller";
import { certManager } from "./modules/cert-manager";
import { clusterAutoscaler } from "./modules/cluster-autoscaler";
import { externalDns } from "./modules/external-dns";
import { externalSecrets } from "./modules/external-secrets";
import { fluentBit } from "./modules/fluent-bit";
import { karpenter } from "./modules/karpenter";
import { kyverno } from "./modules/kyverno";
import { metricsServer } from "./modules/metrics-server";
import { monitoring } from "./modules/monitoring";
import { sparkOperator } from "./modules/spark-operator";
import { prometheusAdapter } from "./modules/prometheus-adapter";
import { velero } from "./modules/velero";
import type { AnyAddonModule } from "./types";

const modules: readonly AnyAddonModule[] = [
  awsEbsCsiDriver,
  awsLoadBalancerController,
  certManager,
  clusterAutoscaler,
  externalDns,
  externalSecrets,
  fluentBit,
  karpenter,
  kyverno,
  metricsServer,
  monitoring,
  sparkOperator,
  prometheusAdapter,
  velero,
] as unknown as readonly AnyAddonModule[];

const byName = new Map<string, AnyAddonModule>(modules.map((m) => [m.name, m]));

/** Names of every add-on the library can generate, sorted. */
export function addonNames(): string[] {
  return [...byName.keys()].sort();
}

export function findAddon(name: string): AnyAddonModule | undefined {
  return byName.get(name);
}

/** Namespace of every known add-on (monitoring and policies reach into them). */
export function addonNamespaces(): Record<string, string> {
  return Object.fromEntries(modules.map((m) => [m.name, m.namespace]));
}
