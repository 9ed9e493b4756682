/**
 * Observability and scaling intent: what an app exposes to Prometheus (`metrics`), the metric
 * names its SLO alerts are built from, what its HPA scales on, and where a tenant's alerts go
 * (`alerting` in tenant.ts). Kept beside the app schema so each field has one schema.
 */
import * as z from "zod";
import { dnsLabel, portName } from "./primitives";

/** A Prometheus metric name (the data model's grammar, without the colon reserved for recording rules). */
export const metricName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a Prometheus metric name: letters, digits and '_', not starting with a digit, such as `http_requests_total`");
/** A Prometheus label name. */
export const metricLabel = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a Prometheus label name: letters, digits and '_', not starting with a digit, such as `code`");
const promDuration = z.string().regex(/^\d+(s|m)$/, "must be a duration in seconds or minutes such as `30s` or `1m`");

/** Defaults of `metrics`, named so docs, schema and tests read the same values. */
export const METRICS_DEFAULTS = {
  path: "/metrics",
  interval: "30s",
  requestsTotal: "http_requests_total",
  statusLabel: "code",
} as const;

export const MetricsSchema = z.strictObject({
  /** Name of the app's port serving metrics; must be one of `ports`. */
  port: portName,
  /** HTTP path of the metrics endpoint. @default `/metrics` */
  path: z.string().startsWith("/").default(METRICS_DEFAULTS.path),
  /** How often Prometheus scrapes it. @default `30s` */
  interval: promDuration.default(METRICS_DEFAULTS.interval),
  /**
   * Counter of handled requests the SLO alerts divide (`alerts.availability`, `alerts.errorRateAbove`).
   * @default `http_requests_total` (the Prometheus client libraries' HTTP instrumentation)
   */
  requestsTotal: metricName.default(METRICS_DEFAULTS.requestsTotal),
  /** Label of `requestsTotal` holding the HTTP status code; `5..` in it is an error. @default `code` */
  statusLabel: metricLabel.default(METRICS_DEFAULTS.statusLabel),
});
export type AppMetrics = z.output<typeof MetricsSchema>;

/**
 * What Prometheus scrapes of an app: its `metrics`, or, for an app with SLO alerts
 * (`alerts.availability`, `alerts.errorRateAbove`) that names none, its first port with every
 * default. The alerts read the app's request counter, so an app that declares an SLO serves it;
 * `/metrics` on the first port is the client libraries' convention, and definitions written before
 * `metrics` existed (still rendered in later environments) keep working alerts.
 */
export function appMetrics(app: {
  readonly kind: string;
  readonly metrics?: AppMetrics | undefined;
  readonly ports: readonly { readonly name: string }[];
  readonly alerts?: { readonly availability?: number | undefined; readonly errorRateAbove?: number | undefined } | undefined;
}): AppMetrics | undefined {
  if (app.metrics || app.kind === "cron-job") return app.metrics;
  const slo = app.alerts?.availability !== undefined || app.alerts?.errorRateAbove !== undefined;
  const port = app.ports[0]?.name;
  return slo && port ? MetricsSchema.parse({ port }) : undefined;
}

/** Defaults of the HPA's behaviour (autoscaling/v2 `spec.behavior.scaleDown`). */
export const SCALE_DOWN_DEFAULTS = { stabilizationSeconds: 300 } as const;

const quantity = z.string().regex(/^\d+(\.\d+)?(m|k|M|G)?$/, "must be a quantity such as `100`, `0.5` or `500m`");

/** A metric the HPA scales on besides CPU and memory, served by the prometheus-adapter add-on. */
export const ScalingMetricSchema = z.discriminatedUnion("type", [
  /**
   * A per-pod metric (custom.metrics.k8s.io): the average over the app's pods is held at `averageValue`.
   * Counters ending in `_total` are served as `<name>_per_second` (a rate).
   */
  z.strictObject({ type: z.literal("pods"), name: metricName, averageValue: quantity }),
  /**
   * A series not tied to the app's pods (external.metrics.k8s.io), e.g. a queue's depth, read in the
   * app's namespace: `value` for the series' value, or `averageValue` per replica.
   */
  z
    .strictObject({
      type: z.literal("external"),
      name: metricName,
      /** Label matchers on the series. */
      matchLabels: z.record(metricLabel, z.string()).default({}),
      value: quantity.optional(),
      averageValue: quantity.optional(),
    })
    .refine((m) => (m.value === undefined) !== (m.averageValue === undefined), {
      message: "an external metric needs exactly one of `value` (the series' value) and `averageValue` (per replica)",
    }),
]);

/** Fields `scaling` gains for memory, custom metrics and behaviour (spread into ScalingSchema). */
export const scalingExtensionFields = {
  /** Hold average memory use at this percent of the request. @default none (CPU only) */
  memoryTargetPercent: z.number().int().min(10).max(100).optional(),
  /** Custom and external metrics, through the prometheus-adapter add-on. @default none */
  metrics: z.array(ScalingMetricSchema).max(5, "at most 5 extra metrics: an HPA acts on the largest proposal, more only hide which one drives it").default([]),
  /**
   * How long the HPA looks back before scaling down (`behavior.scaleDown.stabilizationWindowSeconds`):
   * the highest recommendation in the window wins, so a dip does not remove pods a spike needs again.
   * @default 300 (upstream's default too)
   */
  scaleDownStabilizationSeconds: z.number().int().min(0).max(3600, "must be at most 3600 (the API server's bound)").default(SCALE_DOWN_DEFAULTS.stabilizationSeconds),
};

const secretFromPrefix = z.strictObject({
  /** AWS Secrets Manager secret name, under one of the tenant's `aws.secretPrefixes`. */
  from: z.string().min(1),
  /** JSON property of the secret holding the credential. */
  property: z.string().min(1),
});

export const ReceiverSchema = z.discriminatedUnion("type", [
  z.strictObject({
    name: dnsLabel,
    type: z.literal("slack"),
    /** Channel to post to, e.g. `#payments-alerts`. */
    channel: z.string().regex(/^#[\w-]+$/, "must be a Slack channel such as `#payments-alerts`"),
    /** The incoming-webhook URL, from Secrets Manager. */
    webhookUrl: secretFromPrefix,
  }),
  z.strictObject({
    name: dnsLabel,
    type: z.literal("pagerduty"),
    /** The Events API v2 integration (routing) key, from Secrets Manager. */
    routingKey: secretFromPrefix,
  }),
  z.strictObject({
    name: dnsLabel,
    type: z.literal("sns"),
    /** Topic to publish to; Alertmanager publishes with its own IAM role (no keys). */
    topicArn: z.string().regex(/^arn:aws(-[a-z]+)?:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, "must be an SNS topic ARN: arn:aws:sns:<region>:<account>:<topic>"),
  }),
]);
export type Receiver = z.output<typeof ReceiverSchema>;

/** Where a tenant's alerts go: receivers, and which receiver each severity reaches. */
export const AlertingSchema = z
  .strictObject({
    receivers: z.array(ReceiverSchema).min(1, "declare at least one receiver, or remove `alerting`"),
    /**
     * Receiver per alert severity (the apps' `alerts.severity`).
     * @default every severity to the first receiver
     */
    routes: z.strictObject({ page: dnsLabel.optional(), ticket: dnsLabel.optional() }).default({}),
    /** How long to wait for more alerts of a group before notifying. @default `30s` */
    groupWait: promDuration.default("30s"),
    /** How often a still-firing alert is sent again. @default `4h` */
    repeatInterval: z.string().regex(/^\d+(m|h)$/, "must be a duration such as `4h`").default("4h"),
  })
  .superRefine((a, ctx) => {
    const names = new Set<string>();
    a.receivers.forEach((r, i) => {
      if (names.has(r.name)) ctx.addIssue({ code: "custom", path: ["receivers", i, "name"], message: `receiver name \`${r.name}\` is used twice` });
      names.add(r.name);
    });
    for (const severity of ["page", "ticket"] as const) {
      const to = a.routes[severity];
      if (to !== undefined && !names.has(to)) {
        ctx.addIssue({ code: "custom", path: ["routes", severity], message: `receiver \`${to}\` is not one of \`receivers\` (${[...names].join(", ")})` });
      }
    }
  });
export type Alerting = z.output<typeof AlertingSchema>;

/** The Secrets Manager references of a tenant's receivers, with their path in tenant.ts. */
export function receiverSecrets(alerting: Alerting): { receiver: string; from: string; property: string; path: (string | number)[] }[] {
  return alerting.receivers.flatMap((r, i) => {
    if (r.type === "slack") return [{ receiver: r.name, ...r.webhookUrl, path: ["alerting", "receivers", i, "webhookUrl", "from"] }];
    if (r.type === "pagerduty") return [{ receiver: r.name, ...r.routingKey, path: ["alerting", "receivers", i, "routingKey", "from"] }];
    return [];
  });
}

/** The receiver alerts of a severity reach. */
export function receiverFor(alerting: Alerting, severity: "page" | "ticket"): string {
  return alerting.routes[severity] ?? alerting.receivers[0]!.name;
}
