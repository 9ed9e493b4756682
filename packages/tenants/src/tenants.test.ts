import { describe, expect, it } from "vitest";
import { ClusterSchema, EnvironmentSchema, SlipwayError, TenantSchema, type TenantInput, type KubeObject } from "@slipway/core";
import { stringify } from "yaml";
import { checkIngressHost, checkTenantNamespaces, priorityClassObjects, synthesizeTenant } from "./index";

const env = (name: string, allowExec: boolean) =>
  EnvironmentSchema.parse({ name, policy: { allowExec, trustedRegistries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/"] } });
const prod = env("prod", false);
const dev = env("dev", true);
const cluster = ClusterSchema.parse({
  name: "test-use1", environments: ["dev", "prod"], kubernetesVersion: "1.33",
  aws: { accountId: "111122223333", region: "us-east-1", vpcId: "vpc-0123456789abcdef0", vpcCidr: "10.0.0.0/16", oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF" },
  ingressDomains: ["example.com"],
});
const tenant = (input: Partial<TenantInput> = {}) =>
  TenantSchema.parse({
    name: "payments", team: "@acme/payments", registries: ["111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/"],
    groups: { viewers: ["payments-viewers"], developers: ["payments-developers"], operators: ["payments-oncall"] },
    ingressHostSuffixes: ["pay.example.com"], environments: { prod: { quota: { pods: 200 } } },
    ...input,
  });
const render = (t = tenant(), e = prod) => synthesizeTenant({ tenant: t, environment: e, cluster, sourceFile: "apps/payments/tenant.ts" });
const yaml = (objects: KubeObject[]) => objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
const ofKind = (objects: KubeObject[], ...kinds: string[]) => objects.filter((o) => kinds.includes(o.kind));

function formatted(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SlipwayError) return error.format();
    throw error;
  }
  throw new Error("expected an error");
}

describe("golden files per kind of tenant output", () => {
  const objects = render();
  it.each([
    ["namespace", ["Namespace"]],
    ["rbac", ["Role", "RoleBinding"]],
    ["resource-quota", ["ResourceQuota"]],
    ["limit-range", ["LimitRange"]],
    ["network-policies", ["NetworkPolicy"]],
  ] as const)("%s", async (name, kinds) => {
    await expect(yaml(ofKind(objects, ...kinds))).toMatchFileSnapshot(`__golden__/${name}.yaml`);
  });
  it("a baseline exception carries its reason", async () => {
    const t = tenant({ podSecurity: { level: "baseline", reason: "legacy agent needs NET_RAW (SEC-88)" } });
    await expect(yaml(ofKind(render(t), "Namespace"))).toMatchFileSnapshot("__golden__/namespace-baseline.yaml");
  });
});

describe("rules", () => {
  const rules = (objects: KubeObject[], name: string) => JSON.stringify(objects.find((o) => o.kind === "Role" && o.metadata.name === name)!.rules);
  it("nobody reads Secrets", () => {
    for (const role of ["viewer", "developer", "operator"]) {
      const resources = (JSON.parse(rules(render(tenant(), dev), `payments-${role}`)) as { resources: string[] }[]).flatMap((r) => r.resources);
      expect(resources).not.toContain("secrets");
      expect(resources.filter((r) => r.includes("*"))).toEqual([]);
    }
  });
  it("operators exec only where the environment allows it", () => {
    expect(rules(render(tenant(), dev), "payments-operator")).toMatch(/pods\/exec/);
    expect(rules(render(tenant(), prod), "payments-operator")).not.toMatch(/pods\/exec/);
  });
  it("the quota forbids load balancers and node ports and applies per-environment overrides", () => {
    const hard = (objects: KubeObject[]) => (objects.find((o) => o.kind === "ResourceQuota")!.spec as { hard: Record<string, string> }).hard;
    expect(hard(render())).toMatchObject({ "services.loadbalancers": "0", "services.nodeports": "0", pods: "200" });
    expect(hard(render(tenant(), dev)).pods).toBe("100");
  });
  it("the load balancer may reach load-balanced pods from the VPC CIDR", () => {
    const policy = render().find((o) => o.metadata.name === "allow-from-load-balancer")!;
    expect(policy.spec).toMatchObject({ podSelector: { matchLabels: { "slipway.dev/load-balanced": "true" } }, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/16" } }] }] });
  });
});

describe("errors", () => {
  it("a namespace claimed by two tenants", () => {
    const a = { def: tenant({ name: "a" }), file: "apps/a/tenant.ts" };
    const ab = { def: tenant({ name: "a-b" }), file: "apps/a-b/tenant.ts" };
    expect(formatted(() => checkTenantNamespaces([a, ab], ["b-prod", "prod"], {}))).toMatch(
      /apps\/a-b\/tenant.ts: name: namespace `a-b-prod` \(tenant a-b, environment prod\) is already claimed by tenant a in environment b-prod/,
    );
  });
  it("a tenant namespace that is an add-on's", () => {
    const cert = { def: tenant({ name: "cert" }), file: "apps/cert/tenant.ts" };
    expect(formatted(() => checkTenantNamespaces([cert], ["manager"], { "cert-manager": "cert-manager" }))).toMatch(/namespace `cert-manager` .* is already claimed by add-on cert-manager/);
  });
  it("an ingress host outside the tenant's suffixes or the cluster's domains", () => {
    const t = { def: tenant(), file: "apps/payments/tenant.ts" };
    const where = { file: "apps/payments/ledger/app.ts", app: "ledger", environment: "prod" };
    expect(checkIngressHost("ledger.pay.example.com", t, cluster, where)).toEqual([]);
    const [tenantError] = checkIngressHost("ledger.shop.example.com", t, cluster, where);
    expect(tenantError!.format()).toMatch(/apps\/payments\/ledger\/app.ts: ingress.host: ingress host `ledger.shop.example.com` is outside the domains tenant payments may use/);
    const errors = checkIngressHost("ledger.pay.example.org", tenant({ ingressHostSuffixes: ["example.org"] }) && { def: tenant({ ingressHostSuffixes: ["pay.example.org"] }), file: t.file }, cluster, where);
    expect(errors.map((e) => e.message)).toEqual(["ingress host `ledger.pay.example.org` is not served by cluster test-use1"]);
  });
});

describe("load-balanced namespaces and priority classes", () => {
  it("GIVEN an app of the tenant behind an ALB in the environment THEN its namespace opts in to the load balancer controller's readiness gate; otherwise it does not", () => {
    const ns = (objects: KubeObject[]) => objects.find((o) => o.kind === "Namespace")!.metadata.labels!;
    const gated = synthesizeTenant({ tenant: tenant(), environment: prod, cluster, sourceFile: "apps/payments/tenant.ts", loadBalanced: true });
    expect(ns(gated)["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe("enabled");
    expect(ns(render())).not.toHaveProperty("elbv2.k8s.aws/pod-readiness-gate-inject");
  });

  it("GIVEN the cluster's tiers THEN one PriorityClass each, below the built-in system classes, and batch never preempts", () => {
    const classes = priorityClassObjects("clusters/test-use1/cluster.ts") as (KubeObject & { value: number; preemptionPolicy: string; globalDefault: boolean })[];
    expect(classes.map((c) => c.metadata.name)).toEqual(["slipway-critical", "slipway-standard", "slipway-batch"]);
    for (const c of classes) {
      expect(c.value).toBeLessThan(1_000_000_000);
      expect(c.globalDefault).toBe(false);
    }
    expect(classes.find((c) => c.metadata.name === "slipway-batch")!.preemptionPolicy).toBe("Never");
  });
});
