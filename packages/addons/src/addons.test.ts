import { describe, expect, it } from "vitest";
import { AddonChoiceSchema, SlipwayError } from "@slipway/core";
import { addonNames, checkAddonChoices, clusterAwsResources, describeAddon, planClusterAddons, renderAwsResources, synthesizeAddon } from "./index";
import { choices, dev, prod, testCluster, toYaml, VERSIONS } from "./testing";

const ALL_BUT_CA = addonNames().filter((a) => a !== "cluster-autoscaler");
const on = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, true as const]));

function plan(addons: readonly string[], options: { environment?: typeof prod; cluster?: Parameters<typeof testCluster>[0]; choices?: ReturnType<typeof choices> } = {}) {
  return planClusterAddons({
    cluster: testCluster({ addons: on(addons), ...options.cluster }),
    clusterFile: "clusters/test-use1/cluster.ts",
    environment: options.environment ?? prod,
    choices: options.choices ?? choices(),
  });
}

function messages(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SlipwayError) return error.format();
    throw error;
  }
  throw new Error("expected an error");
}

describe("golden files", () => {
  const prodPlan = plan(ALL_BUT_CA);
  for (const planned of prodPlan) {
    it(`renders ${planned.module.name} for a prod cluster`, async () => {
      await expect(toYaml(synthesizeAddon(planned))).toMatchFileSnapshot(`__golden__/${planned.module.name}.yaml`);
    });
  }
  it("renders cluster-autoscaler for a cluster without karpenter", async () => {
    const planned = plan(["cluster-autoscaler"]).find((p) => p.module.name === "cluster-autoscaler")!;
    await expect(toYaml(synthesizeAddon(planned))).toMatchFileSnapshot("__golden__/cluster-autoscaler.yaml");
  });
  it("renders the AWS resources summary", async () => {
    const cluster = testCluster({ addons: on(ALL_BUT_CA) });
    await expect(toYaml([renderAwsResources(cluster, "clusters/test-use1/cluster.ts", clusterAwsResources(prodPlan))])).toMatchFileSnapshot("__golden__/aws-resources.yaml");
  });
});

describe("environment-dependent output", () => {
  it("kyverno policies audit in relaxed environments and enforce in strict ones", () => {
    const actions = (env: typeof prod) => {
      const kyverno = plan(["kyverno"], { environment: env })[0]!;
      return new Set(synthesizeAddon(kyverno).filter((o) => o.kind === "ClusterPolicy").map((o) => JSON.stringify(o).match(/"failureAction":"(\w+)"/)![1]));
    };
    expect([...actions(dev)]).toEqual(["Audit"]);
    expect([...actions(prod)]).toEqual(["Enforce"]);
  });
  it("values layer: defaults → choice → environment → choice.clusters → cluster.ts", () => {
    const c = choices({ velero: { environments: { prod: { replicas: 2 } }, clusters: { "test-use1": { replicas: 3 } } } });
    const replicas = (cluster?: Parameters<typeof testCluster>[0]) => (plan(["velero"], { choices: c, cluster })[0]!.context.values as { replicas: number }).replicas;
    expect(replicas()).toBe(3);
    expect(replicas({ addons: { velero: { values: { replicas: 4 } } } })).toBe(4);
  });
  it("no rendered add-on object references a Helm chart", () => {
    const text = plan(ALL_BUT_CA).map((p) => toYaml(synthesizeAddon(p))).join("\n");
    expect(text).not.toMatch(/helm|chart:/i);
  });
  it("the ClusterSecretStore apps reference is named aws-secrets-manager", () => {
    const es = plan(["cert-manager", "external-secrets"]).find((p) => p.module.name === "external-secrets")!;
    expect(synthesizeAddon(es).find((o) => o.kind === "ClusterSecretStore")?.metadata.name).toBe("aws-secrets-manager");
  });
});

describe("EKS Pod Identity is bound on the AWS side", () => {
  it("an add-on or app using Pod Identity gets an association in the AWS-resources summary and nothing in the cluster", () => {
    const planned = plan(["external-dns"], { choices: choices({ "external-dns": { values: { identity: "pod-identity" } } }) });
    const objects = synthesizeAddon(planned[0]!);
    expect(objects.some((o) => o.kind === "PodIdentityAssociation")).toBe(false);
    expect(objects.find((o) => o.kind === "ServiceAccount")?.metadata.annotations).not.toHaveProperty("eks.amazonaws.com/role-arn");
    const summary = renderAwsResources(testCluster(), "clusters/test-use1/cluster.ts", clusterAwsResources(planned, [{ app: "mailer", namespace: "shop-prod", serviceAccount: "mailer", roleArn: "arn:aws:iam::111122223333:role/mailer" }]));
    expect((summary.spec as { podIdentityAssociations: unknown[] }).podIdentityAssociations).toEqual([
      { namespace: "external-dns", serviceAccount: "external-dns", roleArn: "arn:aws:iam::111122223333:role/test-external-dns", usedBy: "add-on external-dns" },
      { namespace: "shop-prod", serviceAccount: "mailer", roleArn: "arn:aws:iam::111122223333:role/mailer", usedBy: "app mailer" },
    ]);
  });
});

describe("describeAddon", () => {
  it("points a release-asset CRD source at this repository's kustomization for the pinned tag", () => {
    const choice = AddonChoiceSchema.parse({ addon: "cert-manager", version: "v1.18.2" });
    expect(describeAddon("cert-manager", choice).crds).toEqual({ repoURL: "self", path: "addons/crds/cert-manager/v1.18.2", targetRevision: "HEAD", kustomize: true });
  });
  it("gives Argo CD the namespace, wave and CRD source at the pinned tag", () => {
    const choice = AddonChoiceSchema.parse({ addon: "karpenter", version: "1.6.3" });
    expect(describeAddon("karpenter", choice)).toEqual({
      name: "karpenter", namespace: "karpenter", syncWave: 10, serverSideApply: true,
      crds: { repoURL: "https://github.com/aws/karpenter-provider-aws", path: "pkg/apis/crds", targetRevision: "v1.6.3" },
    });
  });
  it("orders every add-on after the add-ons it requires", () => {
    for (const name of addonNames()) {
      const choice = AddonChoiceSchema.parse({ addon: name, version: VERSIONS[name] });
      expect(describeAddon(name, choice).name).toBe(name);
    }
    const wave = (n: string) => describeAddon(n, AddonChoiceSchema.parse({ addon: n, version: VERSIONS[n] })).syncWave;
    expect(wave("aws-load-balancer-controller")).toBeGreaterThan(wave("cert-manager"));
    expect(wave("monitoring")).toBeGreaterThan(wave("kyverno"));
    expect(wave("monitoring")).toBeGreaterThan(wave("aws-ebs-csi-driver"));
  });
});

describe("errors", () => {
  it("both autoscalers on", () => {
    expect(messages(() => plan(["karpenter", "cluster-autoscaler"]))).toMatch(/clusters\/test-use1\/cluster.ts: addons.cluster-autoscaler: add-ons `cluster-autoscaler` and `karpenter` cannot both be on/);
  });
  it("a missing role ARN", () => {
    const cluster = testCluster();
    const roles = { ...cluster.facts.roles };
    delete roles.karpenter;
    expect(messages(() => plan(["karpenter"], { cluster: { facts: { roles, values: cluster.facts.values } } }))).toMatch(
      /clusters\/test-use1\/cluster.ts: facts.roles.karpenter: add-on `karpenter` needs cluster fact `roles.karpenter`[\s\S]*fix: add `facts: \{ roles: \{ "karpenter": "arn:aws:iam::111122223333:role\/test-use1-karpenter" \} \}`/,
    );
  });
  it("karpenter's interruption queue and node role are required facts", () => {
    const cluster = testCluster();
    expect(messages(() => plan(["karpenter"], { cluster: { facts: { roles: cluster.facts.roles, values: {} } } }))).toMatch(/facts.values.karpenterInterruptionQueue[\s\S]*facts.values.karpenterNodeRole/);
  });
  it("an unknown add-on, switched on in cluster.ts or chosen in addons/", () => {
    expect(messages(() => plan(["karpentr"]))).toMatch(/cluster.ts: addons.karpentr: unknown add-on `karpentr`[\s\S]*did you mean `karpenter`/);
    const c = new Map([["grafana", { file: "addons/grafana.ts", def: AddonChoiceSchema.parse({ addon: "grafana", version: "v1.0.0" }) }]]);
    expect(messages(() => checkAddonChoices(c, ["prod"], ["test-use1"]))).toMatch(/addons\/grafana.ts: addon: unknown add-on `grafana`/);
  });
  it("an unpinned version", () => {
    expect(AddonChoiceSchema.safeParse({ addon: "karpenter", version: "latest" }).success).toBe(false);
    expect(AddonChoiceSchema.safeParse({ addon: "karpenter", version: "^1.6.0" }).success).toBe(false);
    const c = new Map([["karpenter", { file: "addons/karpenter.ts", def: AddonChoiceSchema.parse({ addon: "karpenter", version: "2.0.0" }) }]]);
    expect(messages(() => checkAddonChoices(c, ["prod"], ["test-use1"]))).toMatch(/addons\/karpenter.ts: version: version 2.0.0 is outside the 1.x line/);
  });
  it("a dependency missing", () => {
    expect(messages(() => plan(["aws-load-balancer-controller"]))).toMatch(/addons.aws-load-balancer-controller: add-on `aws-load-balancer-controller` requires `cert-manager`/);
  });
  it("an app with secrets on a cluster without external-secrets", () => {
    expect(messages(() => planClusterAddons({
      cluster: testCluster({ addons: {} }), clusterFile: "clusters/test-use1/cluster.ts", environment: prod, choices: choices(),
      requirements: [{ addon: "external-secrets", file: "apps/t/a/app.ts", field: "secrets", reason: "app a reads secrets" }],
    }))).toMatch(/apps\/t\/a\/app.ts: secrets: app a reads secrets, but add-on `external-secrets` is not on/);
  });
  it("unknown environment and cluster layers", () => {
    const c = new Map([["velero", { file: "addons/velero.ts", def: AddonChoiceSchema.parse({ addon: "velero", version: "v1.16.2", environments: { prd: {} }, clusters: { nope: {} } }) }]]);
    const text = messages(() => checkAddonChoices(c, ["prod"], ["test-use1"]));
    expect(text).toMatch(/addons\/velero.ts: environments.prd: unknown environment `prd`[\s\S]*did you mean `prod`/);
    expect(text).toMatch(/addons\/velero.ts: clusters.nope: unknown cluster `nope`/);
  });
  it("bad values name the layer's file and field", () => {
    const c = choices({ velero: { environments: { prod: { replicas: 0 } } } });
    expect(messages(() => plan(["velero"], { choices: c }))).toMatch(/addons\/velero.ts: environments.prod.replicas: value is too small/);
    expect(messages(() => plan(["velero"], { cluster: { addons: { velero: { values: { replicaz: 2 } } } } }))).toMatch(/clusters\/test-use1\/cluster.ts: addons.velero.values: unknown field `replicaz`[\s\S]*did you mean `replicas`/);
  });
  it("a cluster-autoscaler built for another Kubernetes minor", () => {
    expect(messages(() => plan(["cluster-autoscaler"], { cluster: { kubernetesVersion: "1.32" } }))).toMatch(/addons\/cluster-autoscaler.ts: version: cluster-autoscaler v1.33.0 is built for Kubernetes 1.33/);
  });
});

describe("velero: per-app schedules", () => {
  it("GIVEN an app that asks for its own backup THEN velero renders a Schedule of its namespace, selecting the app's label, with volume snapshots, named after the app", () => {
    const planned = planClusterAddons({
      cluster: testCluster({ addons: on(["velero"]) }),
      clusterFile: "clusters/test-use1/cluster.ts",
      environment: prod,
      choices: choices(),
      appBackups: [{ app: "orders-db", tenant: "shop", environment: "prod", namespace: "shop-prod", schedule: "30 */6 * * *", ttl: "336h", sourceFile: "apps/shop/orders-db/app.ts" }],
    });
    const schedule = synthesizeAddon(planned[0]!).find((o) => o.kind === "Schedule" && o.metadata.name === "app-shop-prod-orders-db") as { metadata: { annotations: Record<string, string> }; spec: Record<string, unknown> } | undefined;
    expect(schedule?.metadata.annotations["slipway.dev/source"]).toBe("apps/shop/orders-db/app.ts");
    expect(schedule?.spec).toEqual({
      schedule: "30 */6 * * *",
      useOwnerReferencesInBackup: false,
      template: {
        ttl: "336h", includedNamespaces: ["shop-prod"], labelSelector: { matchLabels: { "slipway.dev/app": "orders-db" } },
        snapshotVolumes: true, storageLocation: "default", volumeSnapshotLocations: ["default"],
      },
    });
  });
});
