/**
 * The controller pod every add-on shares: restricted security context, resources, probes,
 * priority class, zone spread, and a PodDisruptionBudget for Deployments.
 */
import { Annotations } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import type { AddonContext } from "../types";
import { meta, selectorLabels, addonLabels } from "./meta";
import type { ResourcesValues } from "./values";

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly args?: string[];
  readonly command?: string[];
  readonly env?: k8s.EnvVar[];
  readonly ports?: { name: string; containerPort: number; protocol?: "TCP" | "UDP" }[];
  readonly liveness?: k8s.Probe;
  readonly readiness?: k8s.Probe;
  readonly startup?: k8s.Probe;
  readonly lifecycle?: k8s.Lifecycle;
  readonly resources: ResourcesValues;
  readonly mounts?: k8s.VolumeMount[];
  /** Node agents reading host files run as root; everything else as non-root. */
  readonly runAsRoot?: boolean;
  /**
   * A node plugin that mounts volumes on the host (bidirectional mount propagation needs a
   * privileged container). Implies root; the workload must carry the guardrail exemptions.
   */
  readonly privileged?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
}

export interface WorkloadSpec {
  readonly kind: "Deployment" | "DaemonSet";
  /** Component name: the object names are `<name>`, the selector is add-on + component. */
  readonly name: string;
  readonly component?: string;
  readonly serviceAccount: string;
  readonly replicas?: number;
  readonly containers: ContainerSpec[];
  readonly initContainers?: ContainerSpec[];
  readonly volumes?: k8s.Volume[];
  readonly priorityClassName?: string;
  readonly hostNetwork?: boolean;
  readonly tolerations?: k8s.Toleration[];
  readonly nodeAffinity?: k8s.NodeAffinity;
  readonly podAnnotations?: Record<string, string>;
  readonly terminationGracePeriodSeconds?: number;
  readonly namespace?: string;
  readonly fsGroup?: number;
  /** Annotations of the workload object itself, e.g. guardrail exemptions ({@link exemption}). */
  readonly annotations?: Record<string, string>;
}

const NON_ROOT_ID = 65532;

/** Taint of the `system` NodePool (karpenter values `system.enabled`), reserved for platform add-ons. */
export const CRITICAL_ADDONS_TAINT = "CriticalAddonsOnly";
/** Label of the nodes of that pool. */
export const SYSTEM_NODE_LABEL = "slipway.dev/system";

/**
 * Add-on controllers may run on the tainted `system` pool and prefer it when it exists; without
 * such nodes the preference is void and they schedule anywhere.
 */
const SYSTEM_TOLERATION: k8s.Toleration = { key: CRITICAL_ADDONS_TAINT, operator: "Exists" };
const PREFER_SYSTEM_NODES: k8s.NodeAffinity = {
  preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: SYSTEM_NODE_LABEL, operator: "In", values: ["true"] }] } }],
};

/**
 * A guardrail exemption (`exempt.slipway.dev/<RULE-ID>: <reason>`) for a workload that cannot meet
 * the rule. The reason says precisely why; reviewers and `slipway validate --summary` read it.
 */
export function exemption(rule: string, reason: string): Record<string, string> {
  return { [`${Annotations.exemptionPrefix}${rule}`]: reason };
}

export function httpProbe(path: string, port: string, scheme: "HTTP" | "HTTPS" = "HTTP", initialDelaySeconds = 10): k8s.Probe {
  return { httpGet: { path, port: k8s.IntOrString.fromString(port), scheme }, initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };
}

/** A TCP connect check, for a port whose server has no HTTP health path. */
export function tcpProbe(port: string, initialDelaySeconds = 10): k8s.Probe {
  return { tcpSocket: { port: k8s.IntOrString.fromString(port) }, initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };
}

function container(spec: ContainerSpec): k8s.Container {
  const { resources } = spec;
  return {
    name: spec.name,
    image: spec.image,
    imagePullPolicy: "IfNotPresent",
    command: spec.command,
    args: spec.args,
    env: spec.env,
    ports: spec.ports?.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? "TCP" })),
    livenessProbe: spec.liveness,
    readinessProbe: spec.readiness,
    startupProbe: spec.startup,
    lifecycle: spec.lifecycle,
    resources: {
      requests: { cpu: k8s.Quantity.fromString(resources.cpu), memory: k8s.Quantity.fromString(resources.memory) },
      limits: { memory: k8s.Quantity.fromString(resources.memoryLimit ?? resources.memory) },
    },
    securityContext: spec.privileged
      ? { privileged: true, readOnlyRootFilesystem: spec.readOnlyRootFilesystem ?? true, runAsNonRoot: false, runAsUser: 0 }
      : spec.runAsRoot
      ? { allowPrivilegeEscalation: false, readOnlyRootFilesystem: spec.readOnlyRootFilesystem ?? true, runAsNonRoot: false, runAsUser: 0, privileged: false, capabilities: { drop: ["ALL"] } }
      : { allowPrivilegeEscalation: false, readOnlyRootFilesystem: spec.readOnlyRootFilesystem ?? true, runAsNonRoot: true, privileged: false, capabilities: { drop: ["ALL"] } },
    volumeMounts: spec.mounts,
  };
}

export function addWorkload(scope: Construct, ctx: AddonContext, spec: WorkloadSpec): void {
  const component = spec.component ?? spec.name;
  const namespace = spec.namespace ?? ctx.namespace;
  const selector = selectorLabels(ctx, component);
  const runsAsRoot = spec.containers.some((c) => c.runAsRoot || c.privileged);
  const deployment = spec.kind === "Deployment";
  const tolerations = spec.tolerations ?? (deployment ? [SYSTEM_TOLERATION] : undefined);
  const nodeAffinity = spec.nodeAffinity ?? (deployment ? PREFER_SYSTEM_NODES : undefined);
  const template: k8s.PodTemplateSpec = {
    metadata: { labels: addonLabels(ctx, component), annotations: spec.podAnnotations },
    spec: {
      serviceAccountName: spec.serviceAccount,
      priorityClassName: spec.priorityClassName ?? "system-cluster-critical",
      enableServiceLinks: false,
      hostNetwork: spec.hostNetwork,
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
      securityContext: runsAsRoot
        ? { seccompProfile: { type: "RuntimeDefault" } }
        : { runAsNonRoot: true, runAsUser: NON_ROOT_ID, runAsGroup: NON_ROOT_ID, fsGroup: spec.fsGroup ?? NON_ROOT_ID, seccompProfile: { type: "RuntimeDefault" } },
      nodeSelector: { "kubernetes.io/os": "linux" },
      affinity: nodeAffinity ? { nodeAffinity } : undefined,
      tolerations,
      topologySpreadConstraints:
        spec.kind === "Deployment"
          ? [
              { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
              { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
            ]
          : undefined,
      initContainers: spec.initContainers?.map(container),
      containers: spec.containers.map(container),
      volumes: spec.volumes,
    },
  };
  const metadata = meta(ctx, spec.name, { namespace, component });
  const workloadMetadata = spec.annotations ? meta(ctx, spec.name, { namespace, component, annotations: spec.annotations }) : metadata;
  if (spec.kind === "Deployment") {
    new k8s.KubeDeployment(scope, `deployment-${spec.name}`, {
      metadata: workloadMetadata,
      spec: {
        replicas: spec.replicas ?? 1,
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template,
      },
    });
    // One pod at a time: node drains make progress, and a single-replica controller may be moved.
    new k8s.KubePodDisruptionBudget(scope, `pdb-${spec.name}`, {
      metadata,
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" },
    });
  } else {
    new k8s.KubeDaemonSet(scope, `daemonset-${spec.name}`, {
      metadata: workloadMetadata,
      spec: {
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString("10%") } },
        template,
      },
    });
  }
}

export interface ServicePort {
  readonly name: string;
  readonly port: number;
  readonly targetPort: string;
}

export function addService(scope: Construct, ctx: AddonContext, name: string, component: string, ports: ServicePort[], options: { namespace?: string; labels?: Record<string, string> } = {}): void {
  new k8s.KubeService(scope, `service-${name}`, {
    metadata: meta(ctx, name, { namespace: options.namespace ?? ctx.namespace, component, labels: options.labels }),
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(ctx, component),
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.targetPort), protocol: "TCP" })),
    },
  });
}

/** Environment variables from the pod's own metadata. */
export function fieldEnv(name: string, fieldPath: string): k8s.EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}
