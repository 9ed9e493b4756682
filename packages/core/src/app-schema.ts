/**
 * The app intent: what an app engineer writes in `apps/<tenant>/<app>/app.ts`.
 * The schema is the single source of the props type; defaults are applied here, once.
 */
import * as z from "zod";
import {
  acmCertificateArn,
  cidr,
  containerCpu,
  containerMemory,
  dnsLabel,
  envVarName,
  hostname,
  iamRoleArn,
  imageRepository,
  portName,
  portNumber,
  wafv2WebAclArn,
} from "./primitives";
import { BatchJobSchema, checkBatchApp, SparkApplicationSchema } from "./batch-schema";
import { checkGoldenPath, goldenPathFields, goldenPathResolved, ScratchPathSchema } from "./golden-path-schema";
import { MetricsSchema, scalingExtensionFields } from "./observability-schema";

export const AppKind = z.enum(["web-service", "worker", "cron-job", "stateful-service", "batch-job", "spark-application"]);

const probeTiming = {
  initialDelaySeconds: z.number().int().min(0).optional(),
  periodSeconds: z.number().int().min(1).default(10),
  timeoutSeconds: z.number().int().min(1).default(2),
  failureThreshold: z.number().int().min(1).default(3),
};

export const ProbeSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("http"), path: z.string().startsWith("/"), port: portName.optional(), ...probeTiming }),
  z.strictObject({ type: z.literal("tcp"), port: portName.optional(), ...probeTiming }),
  z.strictObject({ type: z.literal("exec"), command: z.array(z.string()).min(1), ...probeTiming }),
]);

export const PortSchema = z.strictObject({
  name: portName,
  port: portNumber,
  protocol: z.enum(["TCP", "UDP"]).default("TCP"),
});

/** Replicas one app may ask for: beyond this, a tenant's quota and the cluster's nodes are the limit long before the app is. */
export const MAX_REPLICAS = 1000;
const replicas = z.number().int().min(1).max(MAX_REPLICAS, `must be at most ${MAX_REPLICAS}: more replicas than any tenant quota allows; split the app or raise the bound with the platform team`);

export const ScalingSchema = z.strictObject({
  /** Replicas at rest; with `max` above it an HPA owns the replica count. */
  min: replicas.default(1),
  max: replicas.optional(),
  cpuTargetPercent: z.number().int().min(10).max(100).default(70),
  ...scalingExtensionFields,
});

export const ResourcesSchema = z.strictObject({
  cpu: containerCpu.default("100m"),
  memory: containerMemory.default("128Mi"),
  /** @default twice the CPU request */
  cpuLimit: containerCpu.optional(),
  /** @default the memory request (memory is not compressible: request = limit avoids OOM surprises) */
  memoryLimit: containerMemory.optional(),
});

/**
 * Literal values end up inside one object each (env in the Deployment, config in the ConfigMap),
 * and the API server takes at most about 1 MiB per object: one value, and all of them, are bounded.
 */
export const MAX_ENV_VALUE_BYTES = 32 * 1024;
export const MAX_ENV_TOTAL_BYTES = 256 * 1024;
export const MAX_CONFIG_TOTAL_BYTES = 1000 * 1024;
const bytes = (text: string) => Buffer.byteLength(text, "utf8");
const envValues = z
  .record(envVarName, z.string().refine((v) => bytes(v) <= MAX_ENV_VALUE_BYTES, `must be at most ${MAX_ENV_VALUE_BYTES / 1024} KiB: a larger value belongs in \`config\` (a file in a ConfigMap) or in \`secrets:\``))
  .refine((env) => Object.entries(env).reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0) <= MAX_ENV_TOTAL_BYTES, `all env values together must be at most ${MAX_ENV_TOTAL_BYTES / 1024} KiB (they are copied into every pod template); move large ones to \`config\``);
const configValues = z
  .record(envVarName, z.string())
  .refine((config) => Object.entries(config).reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0) <= MAX_CONFIG_TOTAL_BYTES, `all config values together must be at most ${MAX_CONFIG_TOTAL_BYTES / 1024} KiB: a ConfigMap holds at most 1 MiB; put large data in S3 or an image`);

export const ProbesSchema = z.strictObject({
  readiness: ProbeSchema.optional(),
  liveness: ProbeSchema.optional(),
  startup: ProbeSchema.optional(),
});

export const IngressSchema = z.strictObject({
  /** `internal`: reachable inside the VPC; `public`: internet-facing, needs `approval`. */
  exposure: z.enum(["internal", "public"]),
  host: hostname,
  path: z.string().startsWith("/").default("/"),
  /** Port name of the app to route to. @default the first port */
  port: portName.optional(),
  /**
   * ACM certificate for the host; it must be in the cluster's region and account.
   * @default the cluster's `edge.certificates` entry for the host's domain (a public ingress needs one or the other)
   */
  certificateArn: acmCertificateArn.optional(),
  /**
   * Also listen on HTTP (80) and redirect it to HTTPS (`alb.ingress.kubernetes.io/ssl-redirect: '443'`);
   * otherwise an ingress with a certificate listens on HTTPS (443) only. Applies to the whole IngressGroup.
   * @default false
   */
  redirectHttp: z.boolean().default(false),
  /**
   * Regional WAFv2 web ACL of the load balancer (`alb.ingress.kubernetes.io/wafv2-acl-arn`), in the
   * cluster's region and account; one per IngressGroup.
   * @default the cluster's `edge.wafAclArn` for a public ingress, none for an internal one
   */
  wafAclArn: wafv2WebAclArn.optional(),
  /** ALB IngressGroup: ingresses in one group share a load balancer. @default `<tenant>-<exposure>` */
  groupName: dnsLabel.optional(),
  /** @default the readiness probe's HTTP path, else `/` */
  healthCheckPath: z.string().startsWith("/").optional(),
  /** Ticket or person that approved internet exposure; required when exposure is `public`. */
  approval: z.string().min(3).optional(),
});

export const AwsAccessSchema = z.discriminatedUnion("identity", [
  /** IAM Roles for Service Accounts: the role's trust policy names this ServiceAccount. */
  z.strictObject({ identity: z.literal("irsa"), roleArn: iamRoleArn }),
  /** EKS Pod Identity: the association of role and ServiceAccount is created on the AWS side (the cluster's AWS-resources summary lists it). */
  z.strictObject({ identity: z.literal("pod-identity"), roleArn: iamRoleArn }),
]);

export const SecretSchema = z
  .strictObject({
    /** Kubernetes Secret name suffix: the Secret is `<app>-<name>`. */
    name: dnsLabel,
    /** AWS Secrets Manager secret name or ARN. */
    from: z.string().min(1),
    /** Environment variables filled from JSON properties of the secret: `{ DB_PASSWORD: "password" }`. */
    env: z.record(envVarName, z.string().min(1)).optional(),
    /** Mount every property of the secret as a file under this directory. */
    mountPath: z.string().startsWith("/").optional(),
    refreshInterval: z.string().regex(/^\d+(s|m|h)$/).default("1h"),
  })
  .refine((s) => s.env !== undefined || s.mountPath !== undefined, {
    message: "a secret needs `env` (variables from properties) or `mountPath` (files), or both",
  });

const AppPeer = z.strictObject({
  app: dnsLabel,
  /** @default the app's own tenant */
  tenant: dnsLabel.optional(),
  /** @default every port of the peer */
  port: portName.optional(),
});

export const AwsServiceName = z.enum(["s3", "dynamodb", "sqs", "sns", "secretsmanager", "kms", "sts", "ecr", "cloudwatch"]);

export const AccessSchema = z.strictObject({
  inbound: z.array(AppPeer).default([]),
  outbound: z
    .array(
      z.union([
        AppPeer,
        z.strictObject({ cidr, ports: z.array(portNumber).min(1) }),
        z.strictObject({ aws: AwsServiceName }),
      ]),
    )
    .default([]),
});

export const AlertsSchema = z.strictObject({
  /** Availability SLO in percent, e.g. 99.9; alerts when the 5xx-free ratio burns the budget fast. */
  availability: z.number().gt(90).lt(100).optional(),
  /** Alert when the share of 5xx responses exceeds this ratio over 10 minutes. */
  errorRateAbove: z.number().gt(0).lt(1).optional(),
  /** Where the on-call finds what to do. */
  runbook: z.url().optional(),
  severity: z.enum(["page", "ticket"]).default("page"),
});

export const ScheduleSchema = z.strictObject({
  /** Five-field cron expression. */
  cron: z.string().regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron expression such as `0 3 * * *`"),
  timeZone: z.string().default("Etc/UTC"),
  concurrencyPolicy: z.enum(["Forbid", "Replace", "Allow"]).default("Forbid"),
  successfulJobsHistoryLimit: z.number().int().min(0).max(10).default(3),
  failedJobsHistoryLimit: z.number().int().min(0).max(10).default(3),
  startingDeadlineSeconds: z.number().int().min(10).default(300),
  activeDeadlineSeconds: z.number().int().min(1).optional(),
  backoffLimit: z.number().int().min(0).default(2),
});

/** Every field an environment, a cluster or an app's per-environment block may override. */
const overridableFields = {
  ports: z.array(PortSchema).optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: envValues.optional(),
  scaling: ScalingSchema.optional(),
  resources: ResourcesSchema.optional(),
  probes: ProbesSchema.optional(),
  ingress: IngressSchema.optional(),
  aws: AwsAccessSchema.optional(),
  secrets: z.array(SecretSchema).optional(),
  config: configValues.optional(),
  access: AccessSchema.optional(),
  alerts: AlertsSchema.optional(),
  /** Prometheus scrapes the app: a ServiceMonitor (web-service) or PodMonitor (worker). */
  metrics: MetricsSchema.optional(),
  schedule: ScheduleSchema.optional(),
  /** A batch-job's Job: completions, parallelism, retries, deadline, spot, schedule (see batch-schema.ts). */
  job: BatchJobSchema.optional(),
  /** A spark-application's SparkApplication: code, driver and executors, S3, event log (see batch-schema.ts). */
  spark: SparkApplicationSchema.optional(),
  /** Mount the Kubernetes API token; off unless the app talks to the API server. */
  automountServiceAccountToken: z.boolean().optional(),
  /** Writable scratch directories (the root filesystem is read-only): a path, or `{ path, sizeLimit }`. */
  scratchPaths: z.array(ScratchPathSchema).optional(),
  ...goldenPathFields,
};

/**
 * Overrides are deep-partial intent: objects merge field by field, arrays replace.
 * Shallow-checked here (unknown keys fail early); the merged result is checked in full.
 */
export const AppOverridesSchema = z.strictObject(
  Object.fromEntries(
    Object.keys(overridableFields).map((key) => [key, z.unknown().optional()]),
  ) as { [K in keyof typeof overridableFields]: z.ZodOptional<z.ZodUnknown> },
);
export type AppOverrides = { [K in keyof typeof overridableFields]?: DeepPartial<z.input<(typeof overridableFields)[K]>> };

export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

const appFields = {
  name: dnsLabel,
  tenant: dnsLabel,
  kind: AppKind,
  description: z.string().optional(),
  image: imageRepository,
  ...overridableFields,
};

/** The app as written: base intent plus per-environment overrides. */
export const AppDefinitionSchema = z.strictObject({
  ...appFields,
  environments: z.record(z.string(), AppOverridesSchema).default({}),
});
export type AppInput = Omit<z.input<typeof AppDefinitionSchema>, "environments"> & {
  /** Per-environment overrides, keyed by environment name: `{ prod: { scaling: { min: 3 } } }`. */
  environments?: Record<string, AppOverrides>;
};

/** One app in one environment on one cluster, every layer applied and checked. */
const ResolvedAppBase = z.strictObject({
    ...appFields,
    ports: z.array(PortSchema).default([]),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    env: envValues.default({}),
    scaling: ScalingSchema.prefault({}),
    resources: ResourcesSchema.default({ cpu: "100m", memory: "128Mi" }),
    probes: ProbesSchema.default({}),
    secrets: z.array(SecretSchema).default([]),
    config: configValues.default({}),
    access: AccessSchema.default({ inbound: [], outbound: [] }),
    automountServiceAccountToken: z.boolean().default(false),
    scratchPaths: z.array(ScratchPathSchema).default(["/tmp"]),
    ...goldenPathResolved,
  });
export const ResolvedAppSchema = ResolvedAppBase
  .superRefine((app, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (app.kind === "web-service" && app.ports.length === 0) {
      issue(["ports"], "a web-service needs at least one port: `ports: [{ name: \"http\", port: 8080 }]`");
    }
    checkGoldenPath(app, issue);
    if (app.kind !== "web-service" && app.ingress) {
      issue(["ingress"], `a ${app.kind} cannot have an ingress; make it a web-service or remove \`ingress\``);
    }
    if (app.kind === "cron-job") {
      if (!app.schedule) issue(["schedule"], "a cron-job needs `schedule: { cron: \"0 3 * * *\" }`");
      if (app.scaling.max !== undefined) issue(["scaling", "max"], "a cron-job does not autoscale; remove `scaling.max`");
    } else if (app.schedule) {
      issue(["schedule"], `only a cron-job has a schedule; this app is a ${app.kind}`);
    }
    if (app.scaling.max !== undefined && app.scaling.max < app.scaling.min) {
      issue(["scaling", "max"], `scaling.max (${app.scaling.max}) must be at least scaling.min (${app.scaling.min})`);
    }
    if (app.ingress?.exposure === "public" && !app.ingress.approval) {
      issue(["ingress", "approval"], "a public ingress needs `approval` naming the ticket or person that approved internet exposure");
    }
    checkBatchApp(app, issue);
    const portNames = new Set(app.ports.map((p) => p.name));
    if (portNames.size !== app.ports.length) issue(["ports"], "port names must be unique");
    const refs: [string | undefined, (string | number)[]][] = [
      [app.ingress?.port, ["ingress", "port"]],
      ...(["readiness", "liveness", "startup"] as const).map(
        (p): [string | undefined, (string | number)[]] => {
          const probe = app.probes[p];
          return [probe && probe.type !== "exec" ? probe.port : undefined, ["probes", p, "port"]];
        },
      ),
    ];
    for (const [ref, path] of refs) {
      if (ref !== undefined && !portNames.has(ref)) {
        issue(path, `port \`${ref}\` is not one of the app's ports (${[...portNames].join(", ") || "none"})`);
      }
    }
    const probesNeedPort = (["readiness", "liveness", "startup"] as const).some((p) => {
      const probe = app.probes[p];
      return probe !== undefined && probe.type !== "exec" && app.ports.length === 0;
    });
    if (probesNeedPort) issue(["probes"], "HTTP and TCP probes need a port; add `ports` or use an `exec` probe");
    checkObservability(app, portNames, issue);
    const secretNames = new Set<string>();
    app.secrets.forEach((s, i) => {
      if (secretNames.has(s.name)) issue(["secrets", i, "name"], `secret name \`${s.name}\` is used twice`);
      secretNames.add(s.name);
    });
  });
/** What `metrics`, SLO alerts and metric-based scaling need of the rest of the intent. */
function checkObservability(
  app: z.output<typeof ResolvedAppBase>,
  portNames: ReadonlySet<string>,
  issue: (path: (string | number)[], message: string) => void,
): void {
  if (app.metrics) {
    if (app.kind === "cron-job") issue(["metrics"], "a cron-job runs too briefly to be scraped; remove `metrics` (push its results, or alert on the job's status, which `alerts` does)");
    else if (!portNames.has(app.metrics.port)) issue(["metrics", "port"], `port \`${app.metrics.port}\` is not one of the app's ports (${[...portNames].join(", ") || "none"}); add it to \`ports\` or name one that is`);
  }
  if (app.alerts && !app.metrics && app.ports.length === 0) {
    for (const field of ["availability", "errorRateAbove"] as const) {
      if (app.alerts[field] !== undefined) issue(["alerts", field], `\`alerts.${field}\` is computed from the app's request metrics, and an app without ports cannot be scraped: add a port and \`metrics: { port: "<port name>" }\``);
    }
  }
  const scalesOnMore = app.scaling.memoryTargetPercent !== undefined || app.scaling.metrics.length > 0;
  if (scalesOnMore && (app.scaling.max === undefined || app.scaling.max <= app.scaling.min)) {
    issue(["scaling", "max"], "memory and metric targets drive an HPA, which needs `scaling.max` above `scaling.min`");
  }
}

export type ResolvedApp = Readonly<z.output<typeof ResolvedAppSchema>>;
export type Probe = z.output<typeof ProbeSchema>;
export type AppPort = z.output<typeof PortSchema>;
