import { describe, expect, it } from "vitest";
import { ResolvedAppSchema } from "./app-schema";
import { DefinitionError } from "./errors";
import { TenantSchema } from "./fleet-schema";
import { appMetrics, METRICS_DEFAULTS, receiverFor } from "./observability-schema";
import { tenantAlerting } from "./tenancy";
import { parseDefinition } from "./zod-errors";

const app = {
  name: "catalog",
  tenant: "storefront",
  kind: "web-service",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/storefront/catalog",
  ports: [{ name: "http", port: 8080 }, { name: "metrics", port: 9090 }],
};
const tenant = {
  name: "storefront",
  team: "@acme/storefront",
  groups: {},
  registries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/storefront/"],
};

function errorOf(schema: typeof ResolvedAppSchema | typeof TenantSchema, input: unknown, file: string): string {
  try {
    parseDefinition(schema, input, { file });
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as DefinitionError).format();
  }
  throw new Error("expected the definition to be rejected");
}

describe("metrics", () => {
  it("GIVEN metrics naming a declared port WHEN resolved THEN path, interval and the SLO metric names take their documented defaults", () => {
    const resolved = ResolvedAppSchema.parse({ ...app, metrics: { port: "metrics" } });
    expect(resolved.metrics).toEqual({ port: "metrics", ...METRICS_DEFAULTS });
    expect(METRICS_DEFAULTS).toEqual({ path: "/metrics", interval: "30s", requestsTotal: "http_requests_total", statusLabel: "code" });
  });
  it("GIVEN metrics naming a port the app does not declare THEN the error names metrics.port and the ports there are", () => {
    const message = errorOf(ResolvedAppSchema, { ...app, metrics: { port: "prom" } }, "apps/storefront/catalog/app.ts");
    expect(message).toMatch(/apps\/storefront\/catalog\/app\.ts/);
    expect(message).toMatch(/metrics\.port/);
    expect(message).toMatch(/`prom` is not one of the app's ports \(http, metrics\)/);
  });
  it("GIVEN a bad metric name, path or interval THEN each error names its field", () => {
    const message = errorOf(ResolvedAppSchema, { ...app, metrics: { port: "metrics", path: "metrics", interval: "1h", requestsTotal: "http-requests" } }, "app.ts");
    expect(message).toMatch(/metrics\.path/);
    expect(message).toMatch(/metrics\.interval[^\n]*\n?[^\n]*seconds or minutes/);
    expect(message).toMatch(/metrics\.requestsTotal[^\n]*\n?[^\n]*Prometheus metric name/);
  });
  it("GIVEN a cron-job with metrics THEN it is refused: nothing scrapes a pod that lives for seconds", () => {
    const message = errorOf(ResolvedAppSchema, { ...app, kind: "cron-job", schedule: { cron: "0 3 * * *" }, metrics: { port: "metrics" } }, "app.ts");
    expect(message).toMatch(/metrics[^\n]*\n?[^\n]*cron-job runs too briefly/);
  });
  it("GIVEN an SLO without metrics THEN the first port is scraped with every default; without ports the error says what to add", () => {
    expect(appMetrics(ResolvedAppSchema.parse({ ...app, alerts: { availability: 99.9 } }))).toEqual({ port: "http", ...METRICS_DEFAULTS });
    expect(appMetrics(ResolvedAppSchema.parse(app))).toBeUndefined();
    const worker = { ...app, kind: "worker", ports: [], alerts: { availability: 99.9 } };
    const message = errorOf(ResolvedAppSchema, worker, "app.ts");
    expect(message).toMatch(/alerts\.availability/);
    expect(message).toMatch(/add a port and `metrics: \{ port: "<port name>" \}`/);
  });
});

describe("scaling on memory and metrics", () => {
  it("GIVEN scaling with only min and max THEN no extra metric and the 300 s scale-down window are the defaults", () => {
    const resolved = ResolvedAppSchema.parse({ ...app, scaling: { min: 2, max: 4 } });
    expect(resolved.scaling).toEqual({ min: 2, max: 4, cpuTargetPercent: 70, metrics: [], scaleDownStabilizationSeconds: 300 });
  });
  it("GIVEN a memory target without max THEN the error names scaling.max", () => {
    expect(errorOf(ResolvedAppSchema, { ...app, scaling: { memoryTargetPercent: 80 } }, "app.ts")).toMatch(/scaling\.max[^\n]*\n?[^\n]*needs `scaling\.max` above `scaling\.min`/);
  });
  it("GIVEN bad values THEN the errors name scaling.memoryTargetPercent, the metric and the window", () => {
    const message = errorOf(
      ResolvedAppSchema,
      { ...app, scaling: { min: 1, max: 3, memoryTargetPercent: 5, scaleDownStabilizationSeconds: 7200, metrics: [{ type: "external", name: "queue_depth" }, { type: "pods", name: "rps", averageValue: "lots" }] } },
      "app.ts",
    );
    expect(message).toMatch(/scaling\.memoryTargetPercent/);
    expect(message).toMatch(/scaling\.scaleDownStabilizationSeconds[^\n]*\n?[^\n]*3600/);
    expect(message).toMatch(/scaling\.metrics\[0\][^\n]*\n?[^\n]*exactly one of `value`/);
    expect(message).toMatch(/scaling\.metrics\[1\]\.averageValue/);
  });
});

describe("tenant alerting", () => {
  const receivers = [
    { name: "oncall", type: "pagerduty", routingKey: { from: "storefront/alerting/pagerduty", property: "routingKey" } },
    { name: "chat", type: "slack", channel: "#storefront-alerts", webhookUrl: { from: "storefront/alerting/slack", property: "url" } },
  ];
  it("GIVEN receivers and a page route THEN pages reach the routed receiver and tickets the first one; an environment's block replaces the tenant's", () => {
    const t = TenantSchema.parse({ ...tenant, alerting: { receivers, routes: { page: "oncall" } }, environments: { dev: { alerting: { receivers: [receivers[1]] } } } });
    expect(receiverFor(t.alerting!, "page")).toBe("oncall");
    expect(receiverFor(t.alerting!, "ticket")).toBe("oncall");
    expect(t.alerting).toMatchObject({ groupWait: "30s", repeatInterval: "4h" });
    expect(receiverFor(tenantAlerting(t, "dev")!, "page")).toBe("chat");
    expect(tenantAlerting(t, "prod")).toBe(t.alerting);
  });
  it("GIVEN a receiver secret outside the tenant's Secrets Manager prefixes THEN the error names the receiver's field", () => {
    const message = errorOf(TenantSchema, { ...tenant, alerting: { receivers: [{ ...receivers[0], routingKey: { from: "payments/pagerduty", property: "key" } }] } }, "apps/storefront/tenant.ts");
    expect(message).toMatch(/alerting\.receivers\[0\]\.routingKey\.from/);
    expect(message).toMatch(/outside the tenant's Secrets Manager prefixes \(storefront\/\)/);
  });
  it("GIVEN a route to an unknown receiver, a duplicate name and a bad SNS topic THEN each is named", () => {
    const message = errorOf(
      TenantSchema,
      { ...tenant, alerting: { receivers: [...receivers, { ...receivers[1] }, { name: "sns", type: "sns", topicArn: "arn:aws:sqs:us-east-1:111122223333:q" }], routes: { ticket: "mail" } } },
      "apps/storefront/tenant.ts",
    );
    expect(message).toMatch(/alerting\.receivers\[3\]\.topicArn/);
    expect(message).toMatch(/alerting\.receivers\[2\]\.name[^\n]*\n?[^\n]*`chat` is used twice/);
    expect(message).toMatch(/alerting\.routes\.ticket[^\n]*\n?[^\n]*`mail` is not one of `receivers`/);
  });
});
