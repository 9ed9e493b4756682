/**
 * The production golden-path fields of the app intent: graceful shutdown behind the ALB,
 * placement (capacity type, architecture, priority tier), persistent volumes of a
 * stateful service, scratch sizes, sidecars and init containers, and the typed escape hatch
 * (`patches`). `app-schema.ts` adds them to the intent; each field's default and why is in
 * packages/core/README.md.
 */
import * as z from "zod";
import { containerCpu, containerMemory, dnsLabel, envVarName, memoryQuantity, portName, portNumber } from "./primitives";

/**
 * One number decides how a pod leaves the load balancer: the preStop sleep, the ALB target
 * group's deregistration delay, and the grace period above both (see `shutdownTimings`).
 */
export const ShutdownSchema = z.strictObject({
  /**
   * Seconds the load balancer keeps in-flight requests to a leaving pod (deregistration delay),
   * and the pod keeps serving after it is marked terminating (preStop sleep).
   * @default 15
   */
  drainSeconds: z.number().int().min(1).max(300, "must be at most 300: longer drains hold every rollout and node drain for minutes; finish long requests elsewhere (a queue)").default(15),
});

/** SIGTERM handling headroom after the preStop sleep and the deregistration delay. */
export const SHUTDOWN_HEADROOM_SECONDS = 10;

/** What one `shutdown` setting derives for a load-balanced app (others get only a grace period of drainSeconds + headroom). */
export function shutdownTimings(drainSeconds: number): { preStopSleepSeconds: number; deregistrationDelaySeconds: number; terminationGracePeriodSeconds: number } {
  return {
    preStopSleepSeconds: drainSeconds,
    deregistrationDelaySeconds: drainSeconds,
    terminationGracePeriodSeconds: 2 * drainSeconds + SHUTDOWN_HEADROOM_SECONDS,
  };
}

export const PriorityTier = z.enum(["critical", "standard", "batch"]);

/**
 * The PriorityClasses apps use, by tier. Add-ons run at the built-in `system-cluster-critical`
 * (node agents at `system-node-critical`): those exist before anything is synced, so no add-on
 * (Karpenter itself, admission webhooks) ever waits for one of these, and every app tier stays
 * far below them (built-ins start at 2,000,000,000).
 */
export const PRIORITY_CLASSES = {
  critical: { name: "slipway-critical", value: 100_000, preemptionPolicy: "PreemptLowerPriority", description: "Customer-facing apps that must keep running when the cluster is full: may preempt standard and batch pods." },
  standard: { name: "slipway-standard", value: 10_000, preemptionPolicy: "PreemptLowerPriority", description: "Long-running apps (the default): may preempt batch pods." },
  batch: { name: "slipway-batch", value: 1_000, preemptionPolicy: "Never", description: "Cron jobs and interruptible work: waits for capacity, never preempts." },
} as const;

export const PlacementSchema = z.strictObject({
  /**
   * `on-demand`: only on-demand nodes; `spot`: only the tainted spot pool (the app promises it
   * tolerates a two-minute interruption); `any`: either, whichever Karpenter finds first.
   * @default on-demand
   */
  capacity: z.enum(["on-demand", "spot", "any"]).default("on-demand"),
  /**
   * CPU architecture of the nodes: `multi` pins none and is the app's promise that its image is
   * multi-arch (an index with both amd64 and arm64 manifests).
   * @default amd64
   */
  architecture: z.enum(["amd64", "arm64", "multi"]).default("amd64"),
  /** PriorityClass tier (`slipway-<tier>`). @default `batch` for cron jobs, else `standard` */
  priority: PriorityTier.optional(),
});

/** A Kubernetes volume name or container name. */
const volumeName = dnsLabel;

export const VolumeClaimSchema = z.strictObject({
  /** Claim template name: the PVC of pod `<app>-N` is `<name>-<app>-N`. */
  name: volumeName,
  mountPath: z.string().startsWith("/"),
  size: memoryQuantity,
  /** @default `gp3`, the encrypted gp3 StorageClass of the aws-ebs-csi-driver add-on */
  storageClass: dnsLabel.default("gp3"),
});

/**
 * The app's own Velero Schedule (the velero add-on renders it in its namespace): the app's objects
 * and its volumes' EBS snapshots, selected by the app's label in its namespace.
 */
export const BackupSchema = z.strictObject({
  /** Five-field cron expression, in the Velero server's time zone (UTC). @default `0 1 * * *` */
  schedule: z.string().regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron expression such as `0 1 * * *`").default("0 1 * * *"),
  /** How long each backup is kept, in hours. @default `720h` (30 days) */
  ttl: z.string().regex(/^\d+h$/, "must be a number of hours such as `720h`").default("720h"),
});
export type AppBackupIntent = z.output<typeof BackupSchema>;

/** A scratch directory: a path, or a path with its own size limit. */
export const ScratchPathSchema = z.union([
  z.string().startsWith("/"),
  z.strictObject({
    path: z.string().startsWith("/"),
    /** @default 256Mi */
    sizeLimit: memoryQuantity.default("256Mi"),
  }),
]);
export const DEFAULT_SCRATCH_SIZE = "256Mi";

/** An image reference with a tag or a digest: extra containers are not in the release lock file. */
export const containerImage = z
  .string()
  .regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/, "must be an image reference with a tag or a digest, e.g. `111122223333.dkr.ecr.us-east-1.amazonaws.com/team/proxy:1.4.2@sha256:…`")
  .refine((image) => {
    const tag = image.split("@")[0]!.replace(/^[^/]*\//, "").split(":")[1];
    return image.includes("@sha256:") || (tag !== undefined && tag.toLowerCase() !== "latest");
  }, "must name a version tag or a digest: without one, or tagged latest, it is whatever was pushed last; write `<repository>:1.4.2` or `<repository>@sha256:<digest>`");

const ContainerResources = z.strictObject({
  cpu: containerCpu,
  memory: containerMemory,
  /** @default twice the CPU request */
  cpuLimit: containerCpu.optional(),
  /** @default the memory request */
  memoryLimit: containerMemory.optional(),
});

const extraContainer = {
  name: volumeName,
  image: containerImage,
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(envVarName, z.string()).default({}),
  /** Required, as for the main container: a pod's requests are the sum of its containers'. */
  resources: ContainerResources,
  /** Also mount the app's scratch directories (same paths). @default false */
  mountScratch: z.boolean().default(false),
};

export const InitContainerSchema = z.strictObject(extraContainer);

export const SidecarSchema = z.strictObject({
  ...extraContainer,
  ports: z.array(z.strictObject({ name: portName, port: portNumber })).default([]),
  /** A sidecar runs for the pod's life and counts toward the pod's readiness: this check is its readiness and liveness probe. */
  probe: z.union([
    z.strictObject({ type: z.literal("exec"), command: z.array(z.string()).min(1) }),
    z.strictObject({ type: z.literal("tcp"), port: portName }),
    z.strictObject({ type: z.literal("http"), path: z.string().startsWith("/"), port: portName }),
  ]),
});

const JsonPointer = z.string().regex(/^(\/([^~/]|~[01])*)*$/, "must be a JSON pointer such as `/spec/template/spec/dnsPolicy` (`~1` for `/`, `~0` for `~` inside a key)");

export const JsonPatchOperation = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("add"), path: JsonPointer, value: z.unknown() }),
  z.strictObject({ op: z.literal("replace"), path: JsonPointer, value: z.unknown() }),
  z.strictObject({ op: z.literal("test"), path: JsonPointer, value: z.unknown() }),
  z.strictObject({ op: z.literal("remove"), path: JsonPointer }),
  z.strictObject({ op: z.literal("move"), from: JsonPointer, path: JsonPointer }),
  z.strictObject({ op: z.literal("copy"), from: JsonPointer, path: JsonPointer }),
]);
export type JsonPatchOp = z.output<typeof JsonPatchOperation>;

const PatchTarget = z.strictObject({ kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "must be a Kubernetes kind such as `Deployment`"), name: z.string().min(1) });

/** A change to one rendered object, for a field the intent does not model. */
export const PatchSchema = z.discriminatedUnion("type", [
  /** RFC 7386 JSON merge patch: objects merge, `null` deletes a key, arrays replace. */
  z.strictObject({ target: PatchTarget, type: z.literal("merge"), patch: z.record(z.string(), z.unknown()), reason: z.string().min(3) }),
  /** RFC 6902 JSON patch: a list of operations. */
  z.strictObject({ target: PatchTarget, type: z.literal("json"), patch: z.array(JsonPatchOperation).min(1), reason: z.string().min(3) }),
]);
export type AppPatch = z.output<typeof PatchSchema>;

/** The golden-path fields an environment, a cluster or an app's per-environment block may override. */
export const goldenPathFields = {
  shutdown: ShutdownSchema.optional(),
  placement: PlacementSchema.optional(),
  volumes: z.array(VolumeClaimSchema).optional(),
  sidecars: z.array(SidecarSchema).optional(),
  initContainers: z.array(InitContainerSchema).optional(),
  patches: z.array(PatchSchema).optional(),
  backup: BackupSchema.optional(),
};

/** Defaults of the resolved app. */
export const goldenPathResolved = {
  placement: PlacementSchema.prefault({}),
  volumes: z.array(VolumeClaimSchema).default([]),
  sidecars: z.array(SidecarSchema).default([]),
  initContainers: z.array(InitContainerSchema).default([]),
  patches: z.array(PatchSchema).default([]),
};

type Issue = (path: (string | number)[], message: string) => void;

/** Cross-field rules of the golden-path fields on a resolved app. */
export function checkGoldenPath(app: {
  kind: string;
  ports: readonly { name: string }[];
  scaling: { max?: number | undefined };
  volumes: readonly { name: string; mountPath: string }[];
  backup?: unknown;
  sidecars: readonly { name: string; ports: readonly { name: string; port: number }[]; probe: { type: string; port?: string } }[];
  initContainers: readonly { name: string }[];
  name: string;
}, issue: Issue): void {
  if (app.kind === "stateful-service") {
    if (app.volumes.length === 0) issue(["volumes"], "a stateful-service needs at least one volume: `volumes: [{ name: \"data\", mountPath: \"/data\", size: \"10Gi\" }]`");
    if (app.ports.length === 0) issue(["ports"], "a stateful-service needs at least one port (its headless Service names each pod): `ports: [{ name: \"tcp\", port: 5432 }]`");
    if (app.scaling.max !== undefined) issue(["scaling", "max"], "a stateful-service does not autoscale (each replica owns a volume); set `scaling.min` and remove `scaling.max`");
  } else {
    if (app.volumes.length > 0) issue(["volumes"], `only a stateful-service has persistent volumes; this app is a ${app.kind} (make it \`kind: "stateful-service"\`, or use \`scratchPaths\` for scratch space)`);
    if (app.backup !== undefined) issue(["backup"], `only a stateful-service has data to back up; this app is a ${app.kind} (its objects are in git)`);
  }
  const names = new Map<string, (string | number)[]>([[app.name, ["name"]]]);
  const claim = (name: string, path: (string | number)[]) => {
    if (names.has(name)) issue(path, `container name \`${name}\` is used twice in the pod (the app's container is named after the app)`);
    names.set(name, path);
  };
  app.sidecars.forEach((s, i) => claim(s.name, ["sidecars", i, "name"]));
  app.initContainers.forEach((c, i) => claim(c.name, ["initContainers", i, "name"]));
  const portNames = new Set(app.ports.map((p) => p.name));
  app.sidecars.forEach((s, i) => {
    s.ports.forEach((p, j) => {
      if (portNames.has(p.name)) issue(["sidecars", i, "ports", j, "name"], `port name \`${p.name}\` is used twice in the pod`);
      portNames.add(p.name);
    });
    if (s.probe.type !== "exec" && !s.ports.some((p) => p.name === s.probe.port)) {
      issue(["sidecars", i, "probe", "port"], `port \`${s.probe.port}\` is not one of the sidecar's ports (${s.ports.map((p) => p.name).join(", ") || "none"})`);
    }
  });
  const volumeNames = new Set<string>();
  app.volumes.forEach((v, i) => {
    if (volumeNames.has(v.name)) issue(["volumes", i, "name"], `volume name \`${v.name}\` is used twice`);
    if (/^(scratch|secret)-/.test(v.name)) issue(["volumes", i, "name"], `volume name \`${v.name}\` is reserved: the pod's scratch and secret volumes are named \`scratch-<n>\` and \`secret-<name>\``);
    volumeNames.add(v.name);
  });
}
