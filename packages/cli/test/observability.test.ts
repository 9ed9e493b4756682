/**
 * Acceptance journeys for observability, through the shipped `slipway` spawned as `npx slipway`
 * in a git repository of the fixture fleet with monitoring switched on (`enableObservability`):
 * an app scraped on its metrics port, its SLO alerts routed to the tenant's receivers, and what
 * `validate` says when an alert reads series nothing scrapes.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { editFile, enableObservability, fingerprint, fixtureFleetRepo, type TempRepo } from "@slipway/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { said, slipway, type Run } from "./slipway";

let repo: TempRepo;
const run = (argv: string[]) => slipway(repo.dir, argv);
const read = (path: string) => parse(readFileSync(join(repo.dir, path), "utf8")) as { spec: Record<string, unknown>; metadata: { labels: Record<string, string> } };
function expectExit(result: Run, code: number): void {
  expect(result.code, said(result)).toBe(code);
}

beforeAll(async () => {
  repo = await fixtureFleetRepo({ prepare: enableObservability });
});
afterAll(() => repo?.cleanup());

describe("observability through the shipped CLI", () => {
  it("renders an app with metrics, SLO alerts and a tenant receiver, and validates clean", async () => {
    expectExit(await run(["render"]), 0);
    const dev = "clusters/dev-use1/dev/storefront";
    expect(read(`${dev}/servicemonitor-storefront.yaml`).spec).toMatchObject({ jobLabel: "app.kubernetes.io/name", endpoints: [{ port: "metrics", path: "/metrics" }] });
    expect(JSON.stringify(read(`${dev}/prometheusrule-storefront.yaml`).spec)).toContain('http_requests_total{namespace=\\"shop-dev\\", job=\\"storefront\\"');
    expect(JSON.stringify(read(`${dev}/horizontalpodautoscaler-storefront.yaml`).spec.metrics)).toContain('"name":"memory"');
    const tenant = "clusters/dev-use1/tenants/shop/shop-dev";
    const config = read(`${tenant}/alertmanagerconfig-tenant-alerts.yaml`);
    expect(config.metadata.labels).toMatchObject({ "slipway.dev/alertmanager": "platform" });
    expect(config.spec.route).toMatchObject({ receiver: "team-chat", routes: [{ receiver: "oncall" }] });
    expect(read(`${tenant}/externalsecret-tenant-alerts.yaml`).spec).toMatchObject({ secretStoreRef: { kind: "SecretStore", name: "tenant-secrets" } });
    expect(read("clusters/dev-use1/addons/monitoring/alertmanager-platform.yaml").spec).toMatchObject({ alertmanagerConfigMatcherStrategy: { type: "OnNamespace" } });
    expect(existsSync(join(repo.dir, "clusters/dev-use1/addons/prometheus-adapter"))).toBe(true);
    repo.commit("render with monitoring");
    const validate = await run(["validate", "--summary"]);
    expectExit(validate, 0);
    expect(validate.stdout).toMatch(/ 0 errors/);
    expectExit(await run(["render", "--check"]), 0);
  });

  it("exits 1 naming SW-X-ALERT-SERIES and the alert when the app's series are not scraped, and changes nothing", async () => {
    editFile(join(repo.dir, "clusters/dev-use1/dev/storefront/servicemonitor-storefront.yaml"), (t) => t.replace("port: metrics", "port: prom"));
    const before = fingerprint(join(repo.dir, "clusters"));
    const result = await run(["validate"]);
    expectExit(result, 1);
    expect(result.stdout).toMatch(/prometheusrule-storefront\.yaml:\d+ error SW-X-ALERT-SERIES PrometheusRule shop-dev\/storefront spec\.groups\[0\]\.rules\[0\]\.expr/);
    expect(result.stdout).toMatch(/SlipwayAvailabilityBudgetBurn: series `http_requests_total\{namespace="shop-dev", job="storefront", code=~"5.."\}` reads job "storefront", which no ServiceMonitor or PodMonitor selected by a Prometheus scrapes/);
    expect(fingerprint(join(repo.dir, "clusters"))).toEqual(before);
    repo.git("checkout", "--", "clusters");
  });

  it("exits 1 naming the rule for a hand-written PrometheusRule whose job nothing scrapes, given as a file", async () => {
    writeFileSync(
      join(repo.dir, "orders-rules.yaml"),
      "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: orders\n  namespace: shop-dev\n  labels:\n    slipway.dev/tenant: shop\nspec:\n  groups:\n    - name: orders\n      rules:\n        - alert: OrdersStuck\n          expr: sum(rate(orders_failed_total{job=\"orders\"}[5m])) > 0\n",
    );
    const result = await run(["validate", "--cross-object", "--kubernetes-version", "1.33", "orders-rules.yaml"]);
    expectExit(result, 1);
    expect(result.stdout).toMatch(/SW-X-ALERT-SERIES[\s\S]*OrdersStuck: series `orders_failed_total\{job="orders"\}` reads job "orders"/);
    repo.remove("orders-rules.yaml");
  });
});
