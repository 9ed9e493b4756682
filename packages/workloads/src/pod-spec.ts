/**
 * The pod every workload kind shares: restricted security context, resources, probes,
 * env from literals / ConfigMap / ExternalSecret-backed Secrets, scratch volumes.
 */
import { createHash } from "node:crypto";
import { DEFAULT_SCRATCH_SIZE, Labels, type Probe } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import { imageReference, selectorLabels, type AppInstanceContext } from "./context";
import { containerResources, initContainers, RESTRICTED_CONTAINER } from "./extra-containers";

export { RESTRICTED_CONTAINER };
import { podPlacement } from "./placement";
import { shutdownOf } from "./shutdown";

/** Non-root UID/GID every golden-path container runs as. */
export const RUN_AS_ID = 10001;

/** The restricted Pod Security profile, pod side. */
export const RESTRICTED_POD: k8s.PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: RUN_AS_ID,
  runAsGroup: RUN_AS_ID,
  fsGroup: RUN_AS_ID,
  seccompProfile: { type: "RuntimeDefault" },
};

export function configMapName(ctx: AppInstanceContext): string {
  return `${ctx.app.name}-config`;
}

export function secretName(ctx: AppInstanceContext, secret: string): string {
  return `${ctx.app.name}-${secret}`;
}

function probe(spec: Probe | undefined, defaultPort: string | undefined): k8s.Probe | undefined {
  if (!spec) return undefined;
  const timing = {
    initialDelaySeconds: spec.initialDelaySeconds,
    periodSeconds: spec.periodSeconds,
    timeoutSeconds: spec.timeoutSeconds,
    failureThreshold: spec.failureThreshold,
  };
  switch (spec.type) {
    case "http":
      return { httpGet: { path: spec.path, port: k8s.IntOrString.fromString(spec.port ?? defaultPort ?? "http") }, ...timing };
    case "tcp":
      return { tcpSocket: { port: k8s.IntOrString.fromString(spec.port ?? defaultPort ?? "http") }, ...timing };
    case "exec":
      return { exec: { command: spec.command }, ...timing };
  }
}

export function envVars(ctx: AppInstanceContext): k8s.EnvVar[] {
  const literal = Object.entries(ctx.app.env).map(([name, value]): k8s.EnvVar => ({ name, value }));
  const fromSecrets = ctx.app.secrets.flatMap((s) =>
    Object.keys(s.env ?? {}).map(
      (name): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secretName(ctx, s.name), key: name } } }),
    ),
  );
  return [...literal, ...fromSecrets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function volumes(ctx: AppInstanceContext): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[]; scratchMounts: k8s.VolumeMount[] } {
  const volumes: k8s.Volume[] = [];
  const mounts: k8s.VolumeMount[] = [];
  ctx.app.scratchPaths.forEach((scratch, i) => {
    const name = `scratch-${i}`;
    const { path, sizeLimit } = typeof scratch === "string" ? { path: scratch, sizeLimit: DEFAULT_SCRATCH_SIZE } : scratch;
    volumes.push({ name, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } });
    mounts.push({ name, mountPath: path });
  });
  const scratchMounts = [...mounts];
  // A stateful service's claims (volumeClaimTemplates of its StatefulSet) are mounted by name.
  for (const v of ctx.app.volumes) mounts.push({ name: v.name, mountPath: v.mountPath });
  for (const s of ctx.app.secrets) {
    if (!s.mountPath) continue;
    const name = `secret-${s.name}`;
    volumes.push({ name, secret: { secretName: secretName(ctx, s.name), defaultMode: 0o440 } });
    mounts.push({ name, mountPath: s.mountPath, readOnly: true });
  }
  return { volumes, mounts, scratchMounts };
}

/** Changes whenever the config does, so editing config rolls the pods. A content hash: deterministic. */
function configHash(ctx: AppInstanceContext): string | undefined {
  const entries = Object.entries(ctx.app.config);
  if (entries.length === 0) return undefined;
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex").slice(0, 16);
}

export interface PodOptions {
  /** Jobs restart on failure; long-running pods always. */
  readonly restartPolicy?: "Always" | "Never" | "OnFailure";
  /** Readiness and startup probes make no sense for run-to-completion pods. */
  readonly withProbes: boolean;
  /** Spread across zones and nodes (long-running workloads). */
  readonly spread: boolean;
}

export function podTemplate(ctx: AppInstanceContext, labels: Record<string, string>, options: PodOptions): k8s.PodTemplateSpec {
  const { app } = ctx;
  const defaultPort = app.ports[0]?.name;
  const { volumes: podVolumes, mounts, scratchMounts } = volumes(ctx);
  const placement = podPlacement(ctx);
  const hash = configHash(ctx);
  const container: k8s.Container = {
    name: app.name,
    image: imageReference(ctx.release),
    imagePullPolicy: "IfNotPresent",
    command: app.command,
    args: app.args,
    ports: app.ports.length
      ? app.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol }))
      : undefined,
    env: envVars(ctx).length ? envVars(ctx) : undefined,
    envFrom: Object.keys(app.config).length ? [{ configMapRef: { name: configMapName(ctx) } }] : undefined,
    resources: containerResources(app.resources),
    readinessProbe: options.withProbes ? probe(app.probes.readiness, defaultPort) : undefined,
    livenessProbe: probe(app.probes.liveness, defaultPort),
    startupProbe: options.withProbes ? probe(app.probes.startup, defaultPort) : undefined,
    securityContext: { ...RESTRICTED_CONTAINER, capabilities: { drop: ["ALL"] } },
    volumeMounts: mounts,
  };
  const selector = selectorLabels(ctx);
  const spread = (topologyKey: string, whenUnsatisfiable: string): k8s.TopologySpreadConstraint => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: selector },
    matchLabelKeys: ["pod-template-hash"],
  });
  // Zone spread is a hard rule where the environment demands disruption budgets (prod): losing a zone
  // must not take the app down. Elsewhere it is best effort so small dev clusters still schedule.
  const zoneRule = ctx.environment.policy.requirePdb ? "DoNotSchedule" : "ScheduleAnyway";
  return {
    metadata: {
      labels: { ...labels, ...(app.ingress ? { [Labels.loadBalanced]: "true" } : {}) },
      annotations: hash ? { "slipway.dev/config-hash": hash } : undefined,
    },
    spec: {
      serviceAccountName: app.name,
      automountServiceAccountToken: app.automountServiceAccountToken,
      restartPolicy: options.restartPolicy,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: shutdownOf(ctx).terminationGracePeriodSeconds,
      priorityClassName: placement.priorityClassName,
      nodeSelector: placement.nodeSelector,
      tolerations: placement.tolerations,
      securityContext: { ...RESTRICTED_POD, seccompProfile: { type: "RuntimeDefault" } },
      topologySpreadConstraints: options.spread
        ? [spread("topology.kubernetes.io/zone", zoneRule), spread("kubernetes.io/hostname", "ScheduleAnyway")]
        : undefined,
      initContainers: initContainers(ctx, scratchMounts),
      containers: [container],
      volumes: podVolumes,
    },
  };
}
