/**
 * The pod every workload kind shares: restricted security context, resources, probes,
 * env from literals / ConfigMap / ExternalSecret-backed Secrets, scratch volumes.
 */
import { createHash } from "node:crypto";
import { cpuMillis, Labels, type Probe } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import { imageReference, selectorLabels, type AppInstanceContext } from "./context";

/** Non-root UID/GID every golden-path container runs as. */
export const RUN_AS_ID = 10001;

/** The restricted Pod Security profile, container side: what every golden-path container runs with. */
export const RESTRICTED_CONTAINER: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  privileged: false,
  capabilities: { drop: ["ALL"] },
};

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

export function volumes(ctx: AppInstanceContext): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
  const volumes: k8s.Volume[] = [];
  const mounts: k8s.VolumeMount[] = [];
  ctx.app.scratchPaths.forEach((path, i) => {
    const name = `scratch-${i}`;
    volumes.push({ name, emptyDir: { sizeLimit: k8s.Quantity.fromString("256Mi") } });
    mounts.push({ name, mountPath: path });
  });
  for (const s of ctx.app.secrets) {
    if (!s.mountPath) continue;
    const name = `secret-${s.name}`;
    volumes.push({ name, secret: { secretName: secretName(ctx, s.name), defaultMode: 0o440 } });
    mounts.push({ name, mountPath: s.mountPath, readOnly: true });
  }
  return { volumes, mounts };
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
  const { volumes: podVolumes, mounts } = volumes(ctx);
  const cpuLimit = app.resources.cpuLimit ?? `${cpuMillis(app.resources.cpu) * 2}m`;
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
    resources: {
      requests: { cpu: k8s.Quantity.fromString(app.resources.cpu), memory: k8s.Quantity.fromString(app.resources.memory) },
      limits: {
        cpu: k8s.Quantity.fromString(cpuLimit),
        memory: k8s.Quantity.fromString(app.resources.memoryLimit ?? app.resources.memory),
      },
    },
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
      terminationGracePeriodSeconds: 30,
      securityContext: { ...RESTRICTED_POD, seccompProfile: { type: "RuntimeDefault" } },
      topologySpreadConstraints: options.spread
        ? [spread("topology.kubernetes.io/zone", zoneRule), spread("kubernetes.io/hostname", "ScheduleAnyway")]
        : undefined,
      containers: [container],
      volumes: podVolumes,
    },
  };
}
