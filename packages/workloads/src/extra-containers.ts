/**
 * Init containers and native sidecars (init containers with `restartPolicy: Always`, which start
 * before the app's container and run for the pod's life). Both get the restricted security
 * context and required resources of the main container.
 *
 * Native sidecars are the `SidecarContainers` feature (KEP-753): alpha and off in 1.28, beta and
 * on by default from 1.29, GA in 1.33. A cluster older than 1.29 would drop `restartPolicy` from
 * the init container (an unknown field to an API server with the gate off) and run the sidecar
 * to completion before the app starts, which never happens: it is refused with an error instead.
 */
import { cpuMillis, DefinitionError } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import type { AppInstanceContext } from "./context";
import { minorOf } from "./shutdown";

/** First Kubernetes minor where `SidecarContainers` is on by default. */
export const SIDECAR_MINOR = 29;

/** The securityContext of every golden-path container. */
export const RESTRICTED_CONTAINER: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  privileged: false,
  capabilities: { drop: ["ALL"] },
};

export interface ContainerResources {
  readonly cpu: string;
  readonly memory: string;
  readonly cpuLimit?: string | undefined;
  readonly memoryLimit?: string | undefined;
}

/** Requests as given; CPU limit twice the request unless set, memory limit = request unless set. */
export function containerResources(r: ContainerResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.cpu), memory: k8s.Quantity.fromString(r.memory) },
    limits: {
      cpu: k8s.Quantity.fromString(r.cpuLimit ?? `${cpuMillis(r.cpu) * 2}m`),
      memory: k8s.Quantity.fromString(r.memoryLimit ?? r.memory),
    },
  };
}

type Extra = AppInstanceContext["app"]["initContainers"][number];
type Sidecar = AppInstanceContext["app"]["sidecars"][number];

function extraContainer(c: Extra, scratchMounts: k8s.VolumeMount[]): k8s.Container {
  const env = Object.entries(c.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => ({ name, value }));
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: "IfNotPresent",
    command: c.command,
    args: c.args,
    env: env.length ? env : undefined,
    resources: containerResources(c.resources),
    securityContext: RESTRICTED_CONTAINER,
    volumeMounts: c.mountScratch && scratchMounts.length ? scratchMounts : undefined,
  };
}

function sidecarProbe(s: Sidecar): k8s.Probe {
  const timing = { periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 };
  switch (s.probe.type) {
    case "exec":
      return { exec: { command: s.probe.command }, ...timing };
    case "tcp":
      return { tcpSocket: { port: k8s.IntOrString.fromString(s.probe.port) }, ...timing };
    case "http":
      return { httpGet: { path: s.probe.path, port: k8s.IntOrString.fromString(s.probe.port) }, ...timing };
  }
}

/** The pod's init containers: the app's one-shot ones first, then its sidecars (in that order they start). */
export function initContainers(ctx: AppInstanceContext, scratchMounts: k8s.VolumeMount[]): k8s.Container[] | undefined {
  const { app } = ctx;
  if (app.sidecars.length > 0 && minorOf(ctx.cluster.kubernetesVersion) < SIDECAR_MINOR) {
    throw new DefinitionError(`app ${app.name} has sidecars, which run as native sidecar containers (init containers with restartPolicy Always); Kubernetes ${ctx.cluster.kubernetesVersion} (cluster ${ctx.cluster.name}) does not enable them`, {
      file: ctx.sourceFile, field: "sidecars", cluster: ctx.cluster.name, environment: ctx.environment.name,
      expected: `a cluster on Kubernetes 1.${SIDECAR_MINOR} or newer (the SidecarContainers feature is on by default from 1.${SIDECAR_MINOR}, GA in 1.33)`,
      received: ctx.cluster.kubernetesVersion,
      hint: "upgrade the cluster (its `kubernetesVersion` in cluster.ts), or remove `sidecars` for the environments it hosts",
    });
  }
  const containers = [
    ...app.initContainers.map((c) => extraContainer(c, scratchMounts)),
    ...app.sidecars.map((s): k8s.Container => ({
      ...extraContainer(s, scratchMounts),
      restartPolicy: "Always",
      ports: s.ports.length ? s.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: "TCP" })) : undefined,
      readinessProbe: sidecarProbe(s),
      livenessProbe: sidecarProbe(s),
    })),
  ];
  return containers.length ? containers : undefined;
}
