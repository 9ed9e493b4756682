/**
 * The fixture fleet of @slipway/testing, rendered, passes `slipway validate` in fleet mode with
 * zero errors: a guardrail broken by a change to the add-ons, the workloads or the tenant library
 * fails here, with the findings in the message. Exemptions are allowed, but each names its reason.
 * (The repository's example fleet, the user's, is checked by `npm run check` and the pull request
 * workflow, not by these tests.)
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderFleet } from "@slipway/render";
import { editFile, enableObservability, fixtureFleetCopies } from "@slipway/testing";
import { validateFleet } from "./fleet";

/** Copies of the fixture fleet holding its rendered tree (rendered once, before these tests). */
const fleet = fixtureFleetCopies("validate-", { prepare: (root) => renderFleet({ root, mode: "write" }) });

describe("the fixture fleet", () => {
  it("GIVEN the fixture fleet rendered WHEN validated in fleet mode THEN there are no errors, and every rendered object is validated", () => {
    const root = fleet("clean");
    const report = validateFleet(root);
    const errors = report.findings
      .filter((f) => f.severity === "error")
      .map((f) => `${f.file}:${f.line} ${f.rule} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ""}${f.object.name} ${f.path}: ${f.message}`);
    expect(errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
    // Every object the four clusters' indexes list, each checked against its cluster's Kubernetes version.
    const clusters = readdirSync(join(root, "clusters")).sort();
    expect(clusters).toEqual(["dev-use1", "prod-euw1", "prod-use1", "staging-use1"]);
    const indexed = clusters.map((c) => Object.keys((JSON.parse(readFileSync(join(root, "clusters", c, "rendered.json"), "utf8")) as { files: object }).files).length);
    expect(report.summary.objects).toBe(indexed.reduce((a, b) => a + b, 0));
    expect(report.summary).toMatchObject({ valid: report.summary.objects, skipped: 0 });
    expect(String(report.summary.kubernetesVersion).split(", ").sort()).toEqual(["1.32", "1.33", "1.34"]);
    for (const e of report.exemptions) expect(e.reason.length, `${e.rule} on ${e.object.kind} ${e.object.name}`).toBeGreaterThan(20);
  });
});

describe("fleet mode runs the Argo CD preview checks", () => {
  it("GIVEN an ApplicationSet listing a directory that does not exist WHEN validated THEN SW-ARGO-APPLICATION names it", () => {
    const root = fleet("argocd");
    const set = join(root, "clusters/dev-use1/argocd/applicationset-dev-use1-dev-payments.yaml");
    editFile(set, (t) => t.replace("          - path: clusters/dev-use1/dev/settlement\n", "          - path: clusters/dev-use1/dev/settlement\n          - path: clusters/dev-use1/dev/settlment\n"));
    const report = validateFleet(root);
    const argo = report.findings.filter((f) => f.rule === "SW-ARGO-APPLICATION");
    expect(argo).toHaveLength(1);
    expect(argo[0]).toMatchObject({ severity: "error", file: "clusters/dev-use1/argocd/applicationset-dev-use1-dev-payments.yaml" });
    expect(argo[0]!.message).toMatch(/^generator: .*`clusters\/dev-use1\/dev\/settlment` matches no directory/);
    expect(report.summary.errors).toBe(1);
  });
});

describe("fleet mode validates exactly what Argo CD would sync", () => {
  it("GIVEN a stray file, a symbolic link and a cluster directory without cluster.ts under clusters/ WHEN validated THEN SW-FLEET-UNOWNED names each", () => {
    const root = fleet("unowned");
    writeFileSync(join(root, "clusters/dev-use1/dev/extra.json"), "{}\n");
    mkdirSync(join(root, "clusters/dev-use1/notes/deep"), { recursive: true });
    writeFileSync(join(root, "clusters/dev-use1/notes/deep/todo.txt"), "x\n");
    symlinkSync("../README.md", join(root, "clusters/prod-use1/readme-link.md"));
    mkdirSync(join(root, "clusters/scratch"));
    const report = validateFleet(root);
    expect(report.findings.filter((f) => f.rule === "SW-FLEET-UNOWNED").map((f) => f.file)).toEqual([
      "clusters/dev-use1/dev/extra.json",
      "clusters/dev-use1/notes/deep/todo.txt",
      "clusters/prod-use1/readme-link.md",
      "clusters/scratch/",
    ]);
    expect(report.summary.errors).toBe(4);
  });
  it("GIVEN a rendered.json with a kubernetesVersion validate does not know THEN the error names that file and field, not a flag", () => {
    const root = fleet("version");
    editFile(join(root, "clusters/dev-use1/rendered.json"), (t) => t.replace(/"kubernetesVersion": "[^"]+"/, '"kubernetesVersion": "1.99"'));
    expect(() => validateFleet(root)).toThrow(/kubernetesVersion "1\.99"/);
    try {
      validateFleet(root);
    } catch (e) {
      const text = (e as { format(): string }).format();
      expect(text).toMatch(/clusters\/dev-use1\/rendered\.json/);
      expect(text).toMatch(/kubernetesVersion/);
      expect(text).not.toMatch(/--kubernetes-version/);
    }
  });
});

describe("the fixture fleet with monitoring: every alert's series are scraped", () => {
  const observed = fixtureFleetCopies("validate-observed-", {
    prepare: async (root) => {
      enableObservability(root);
      await renderFleet({ root, mode: "write" });
    },
  });
  const files = (root: string, pattern: RegExp) =>
    Object.keys((JSON.parse(readFileSync(join(root, "clusters/dev-use1/rendered.json"), "utf8")) as { files: object }).files).filter((f) => pattern.test(f));

  it("GIVEN monitoring, an app with metrics and SLO alerts and a tenant receiver WHEN validated THEN there are no errors, over every PrometheusRule's series", () => {
    const root = observed("clean");
    const report = validateFleet(root);
    expect(report.findings.filter((f) => f.severity === "error").map((f) => `${f.file} ${f.rule}: ${f.message}`)).toEqual([]);
    // Not vacuous: the app's SLO rules and the platform's rules are there, each reading series.
    const rules = files(root, /prometheusrule-/);
    expect(rules).toEqual(expect.arrayContaining(["dev/storefront/prometheusrule-storefront.yaml", "addons/monitoring/prometheusrule-slipway-platform.yaml"]));
    const exprs = rules.flatMap((f) => [...readFileSync(join(root, "clusters/dev-use1", f), "utf8").matchAll(/expr: (.*)/g)].map((m) => m[1]!));
    expect(exprs.filter((e) => e.includes("http_requests_total")).length).toBeGreaterThanOrEqual(2);
    expect(files(root, /servicemonitor-storefront|podmonitor-settlement|alertmanagerconfig-tenant-alerts|externalsecret-tenant-alerts|alertmanager-platform/)).toHaveLength(5);
  });

  it("GIVEN the app's ServiceMonitor pointed at a port its Service lacks WHEN validated THEN SW-X-ALERT-SERIES names each rule reading its series", () => {
    const root = observed("unscraped");
    editFile(join(root, "clusters/dev-use1/dev/storefront/servicemonitor-storefront.yaml"), (t) => t.replace("port: metrics", "port: prom"));
    const findings = validateFleet(root).findings.filter((f) => f.rule === "SW-X-ALERT-SERIES");
    expect(findings.map((f) => [f.file, f.path])).toEqual([
      ["clusters/dev-use1/dev/storefront/prometheusrule-storefront.yaml", "spec.groups[0].rules[0].expr"],
      ["clusters/dev-use1/dev/storefront/prometheusrule-storefront.yaml", "spec.groups[0].rules[1].expr"],
    ]);
    expect(findings[0]!.message).toMatch(/^SlipwayAvailabilityBudgetBurn: series `http_requests_total\{namespace="shop-dev", job="storefront", code=~"5.."\}` reads job "storefront", which no ServiceMonitor or PodMonitor selected by a Prometheus scrapes/);
  });
});
