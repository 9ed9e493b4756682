/**
 * Journeys of the production golden path through the shipped `slipway` (spawned `npx slipway` in a
 * git repository of the fixture fleet): a stateful service with a volume and its own Velero
 * schedule, a spot arm64 worker on a Karpenter cluster, a web service with a sidecar, a patch and
 * a graceful shutdown behind the ALB; render and validate them, then break each cross-object rule
 * they depend on and see validate fail, and refuse a patch of an object that does not exist.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { editFile, fingerprint, fixtureFleetRepo, type TempRepo } from "@slipway/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { said, slipway, type Run } from "./slipway";

const REGISTRY = "210987654321.dkr.ecr.us-east-1.amazonaws.com";
const STAGING_ACCOUNT = "210900002222";

let repo: TempRepo;
const run = (argv: string[]) => slipway(repo.dir, argv);
const file = (path: string) => join(repo.dir, path);
const yamlOf = (path: string) => parse(readFileSync(file(path), "utf8")) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const podSpecOf = (path: string) => yamlOf(path).spec.template.spec;

function expectExit(result: Run, code: number): void {
  expect(result.code, said(result)).toBe(code);
}

/** Runs `edit` on the committed fleet, then puts every file back as committed. */
async function withEdit(edit: () => void, check: () => Promise<void>): Promise<void> {
  edit();
  try {
    await check();
  } finally {
    repo.git("checkout", "--quiet", "--", ".");
    repo.git("clean", "--quiet", "-fd", "--", "apps", "clusters");
  }
}

/** The fixture fleet plus the add-ons and apps of the golden path. */
function prepare(root: string): void {
  writeFileSync(join(root, "addons/karpenter.ts"), `import { defineAddon } from "@slipway/core";\n\nexport default defineAddon({ addon: "karpenter", version: "1.6.3", values: { amiAlias: "al2023@v20250715" } });\n`);
  writeFileSync(join(root, "addons/aws-ebs-csi-driver.ts"), `import { defineAddon } from "@slipway/core";\n\nexport default defineAddon({ addon: "aws-ebs-csi-driver", version: "v1.47.0" });\n`);
  writeFileSync(join(root, "addons/velero.ts"), `import { defineAddon } from "@slipway/core";\n\nexport default defineAddon({ addon: "velero", version: "v1.16.2" });\n`);
  editFile(join(root, "clusters/staging-use1/cluster.ts"), (text) => text
    .replace(`"metrics-server": true,\n  },`, `"metrics-server": true,\n    "karpenter": true,\n    "aws-ebs-csi-driver": true,\n    "velero": true,\n  },`)
    .replace(`roles: {\n`, `roles: {\n      "karpenter": "arn:aws:iam::${STAGING_ACCOUNT}:role/staging-use1-karpenter",\n      "aws-ebs-csi-driver": "arn:aws:iam::${STAGING_ACCOUNT}:role/staging-use1-aws-ebs-csi-driver",\n      "velero": "arn:aws:iam::${STAGING_ACCOUNT}:role/staging-use1-velero",\n`)
    .replace(/\n {4}},\n {2}},\n}\);\n$/, `\n    },\n    values: { karpenterInterruptionQueue: "karpenter-staging-use1", karpenterNodeRole: "KarpenterNodeRole-staging-use1", veleroBucket: "fixture-velero-staging" },\n  },\n});\n`));
  editFile(join(root, "clusters/dev-use1/cluster.ts"), (text) => text
    .replace(`"metrics-server": true,\n  },`, `"metrics-server": true,\n    "aws-ebs-csi-driver": true,\n  },`)
    .replace(`roles: {\n`, `roles: {\n      "aws-ebs-csi-driver": "arn:aws:iam::210900001111:role/dev-use1-aws-ebs-csi-driver",\n`));
  editFile(join(root, "apps/payments/settlement/app.ts"), (text) => text.replace(`  access: {`, `  placement: { capacity: "spot", architecture: "arm64" },\n  access: {`));
  editFile(join(root, "apps/shop/storefront/app.ts"), (text) => text.replace(`  environments: {`, `  shutdown: { drainSeconds: 20 },
  sidecars: [{ name: "proxy", image: "${REGISTRY}/shop/proxy:1.4.2@sha256:${"7a".repeat(32)}", ports: [{ name: "proxy", port: 15001 }], probe: { type: "tcp", port: "proxy" }, resources: { cpu: "50m", memory: "64Mi" } }],
  patches: [{ target: { kind: "Deployment", name: "storefront" }, type: "merge", patch: { spec: { minReadySeconds: 10 } }, reason: "warm caches (SHOP-7)" }],
  environments: {`));
  mkdirSync(join(root, "apps/payments/ledger-store"));
  writeFileSync(join(root, "apps/payments/ledger-store/app.ts"), `import { defineApp } from "@slipway/core";

/** The ledger's own store: each replica owns its volume. */
export default defineApp({
  name: "ledger-store",
  tenant: "payments",
  kind: "stateful-service",
  image: "${REGISTRY}/payments/ledger-store",
  ports: [{ name: "pg", port: 5432 }],
  resources: { cpu: "250m", memory: "512Mi" },
  probes: { readiness: { type: "tcp" }, liveness: { type: "tcp" } },
  volumes: [{ name: "data", mountPath: "/var/lib/ledger", size: "20Gi" }],
  environments: { staging: { backup: { schedule: "0 */4 * * *", ttl: "168h" } } },
});
`);
  const release = (extra: string) => `  ledger-store:\n    image: ${REGISTRY}/payments/ledger-store\n    tag: "1.0.0"\n    digest: sha256:${"4d".repeat(32)}\n    commit: ${"ab12".repeat(10)}\n${extra}`;
  appendFileSync(join(root, "environments/dev/releases.yaml"), release(""));
  appendFileSync(join(root, "environments/staging/releases.yaml"), release("    promotedFrom: dev\n"));
}

beforeAll(async () => {
  repo = await fixtureFleetRepo({ prepare });
});
afterAll(() => repo?.cleanup());

describe("the production golden path, as shipped", () => {
  it("renders the stateful service, the spot arm64 worker, the sidecar, the patch and the ALB shutdown, and validate passes", async () => {
    const render = await run(["render"]);
    expectExit(render, 0);
    repo.commit("render the golden path");

    const sts = yamlOf("clusters/staging-use1/staging/ledger-store/statefulset-ledger-store.yaml");
    expect(sts.spec).toMatchObject({ podManagementPolicy: "OrderedReady", serviceName: "ledger-store" });
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: "gp3", resources: { requests: { storage: "20Gi" } } });
    expect(yamlOf("clusters/staging-use1/staging/ledger-store/service-ledger-store.yaml").spec.clusterIP).toBe("None");
    expect(yamlOf("clusters/staging-use1/addons/velero/schedule-app-payments-staging-ledger-store.yaml").spec.template).toMatchObject({ includedNamespaces: ["payments-staging"], labelSelector: { matchLabels: { "slipway.dev/app": "ledger-store" } } });

    const worker = podSpecOf("clusters/staging-use1/staging/settlement/deployment-settlement.yaml");
    expect(worker.nodeSelector).toEqual({ "karpenter.sh/capacity-type": "spot", "kubernetes.io/arch": "arm64" });
    expect(worker.tolerations).toEqual([{ effect: "NoSchedule", key: "slipway.dev/interruptible", operator: "Equal", value: "true" }]);
    expect(podSpecOf("clusters/dev-use1/dev/settlement/deployment-settlement.yaml").nodeSelector).toEqual({ "kubernetes.io/arch": "arm64" });

    const web = yamlOf("clusters/dev-use1/dev/storefront/deployment-storefront.yaml");
    expect(web.metadata.annotations["slipway.dev/patched"]).toBe("patches[0]: warm caches (SHOP-7)");
    expect(web.spec.minReadySeconds).toBe(10);
    expect(web.spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 20 } } });
    expect(web.spec.template.spec.terminationGracePeriodSeconds).toBe(50);
    expect(web.spec.template.spec.initContainers[0]).toMatchObject({ name: "proxy", restartPolicy: "Always" });
    expect(yamlOf("clusters/dev-use1/dev/storefront/ingress-storefront.yaml").metadata.annotations["alb.ingress.kubernetes.io/target-group-attributes"]).toBe("deregistration_delay.timeout_seconds=20");
    expect(yamlOf("clusters/dev-use1/tenants/shop/namespace-shop-dev.yaml").metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe("enabled");
    expect(yamlOf("clusters/dev-use1/tenants/payments/namespace-payments-dev.yaml").metadata.labels).not.toHaveProperty("elbv2.k8s.aws/pod-readiness-gate-inject");
    expect(yamlOf("clusters/dev-use1/tenants/priority-classes/priorityclass-slipway-standard.yaml")).toMatchObject({ kind: "PriorityClass", value: 10000 });

    expectExit(await run(["validate"]), 0);
    expectExit(await run(["render", "--check"]), 0);
  });

  it("SW-X-ALB-SHUTDOWN: a load-balanced namespace without the readiness gate label fails validate", async () => {
    const namespace = "clusters/dev-use1/tenants/shop/namespace-shop-dev.yaml";
    await withEdit(() => editFile(file(namespace), (text) => text.replace(/\n\s+elbv2\.k8s\.aws\/pod-readiness-gate-inject: enabled/, "")), async () => {
      const validate = await run(["validate"]);
      expectExit(validate, 1);
      expect(validate.stdout).toMatch(/SW-X-ALB-SHUTDOWN/);
      expect(validate.stdout).toContain("clusters/dev-use1/dev/storefront/ingress-storefront.yaml");
    });
  });

  it("SW-X-NODEPOOL: a spot worker on a cluster whose Karpenter has no spot pool fails validate", async () => {
    await withEdit(() => editFile(file("addons/karpenter.ts"), (text) => text.replace(`values: { amiAlias: "al2023@v20250715" }`, `values: { amiAlias: "al2023@v20250715", spot: { enabled: false } }`)), async () => {
      expectExit(await run(["render"]), 0);
      const validate = await run(["validate"]);
      expectExit(validate, 1);
      expect(validate.stdout).toMatch(/SW-X-NODEPOOL/);
      expect(validate.stdout).toContain("clusters/staging-use1/staging/settlement/deployment-settlement.yaml");
    });
  });

  it("SW-X-STORAGECLASS: a volume on a StorageClass the cluster does not have fails validate", async () => {
    await withEdit(() => editFile(file("apps/payments/ledger-store/app.ts"), (text) => text.replace(`size: "20Gi" }`, `size: "20Gi", storageClass: "io2" }`)), async () => {
      expectExit(await run(["render"]), 0);
      const validate = await run(["validate"]);
      expectExit(validate, 1);
      expect(validate.stdout).toMatch(/SW-X-STORAGECLASS/);
      expect(validate.stdout).toMatch(/StorageClass io2, which does not exist on this cluster/);
    });
  });

  it("guardrails still apply: a patch that makes the container privileged renders, and validate fails it where guardrails are strict", async () => {
    await withEdit(() => editFile(file("apps/shop/storefront/app.ts"), (text) => text.replace(`    staging: {\n`, `    staging: {\n      patches: [{ target: { kind: "Deployment", name: "storefront" }, type: "json", patch: [{ op: "replace", path: "/spec/template/spec/containers/0/securityContext/privileged", value: true }], reason: "debugging" }],\n`)), async () => {
      expectExit(await run(["render"]), 0);
      const validate = await run(["validate"]);
      expectExit(validate, 1);
      expect(validate.stdout).toMatch(/SW-GR-PRIVILEGED/);
      expect(validate.stdout).toContain("clusters/staging-use1/staging/storefront/deployment-storefront.yaml");
    });
  });

  it("slipway diff flags an object an app patch changes", async () => {
    await withEdit(() => editFile(file("apps/shop/storefront/app.ts"), (text) => text.replace("minReadySeconds: 10", "minReadySeconds: 30")), async () => {
      expectExit(await run(["render"]), 0);
      const diff = await run(["diff", "--output", "json"]);
      expectExit(diff, 0);
      expect(diff.stdout).toContain('"rule": "patched"');
      expect(diff.stdout).toContain("patches[0]: warm caches (SHOP-7)");
    });
  });

  it("slipway new app --kind stateful-service scaffolds a definition that loads", async () => {
    await withEdit(() => undefined, async () => {
      const scaffold = await run(["new", "app", "payments/queue-store", "--kind", "stateful-service", "--registry", `${REGISTRY}/payments/`]);
      expectExit(scaffold, 0);
      const text = readFileSync(file("apps/payments/queue-store/app.ts"), "utf8");
      expect(text).toContain(`kind: "stateful-service"`);
      expect(text).toContain(`volumes: [{ name: "data", mountPath: "/data", size: "10Gi" }]`);
      expectExit(await run(["render"]), 0);
    });
  });

  it("a patch naming an object the app does not render is refused naming app.ts, the patch and the known objects, and nothing changes", async () => {
    await withEdit(() => editFile(file("apps/shop/storefront/app.ts"), (text) => text.replace(`target: { kind: "Deployment", name: "storefront" }`, `target: { kind: "StatefulSet", name: "storefront" }`)), async () => {
      const before = fingerprint(file("clusters"));
      const render = await run(["render"]);
      expectExit(render, 1);
      const output = render.stdout + render.stderr;
      expect(output).toContain("apps/shop/storefront/app.ts");
      expect(output).toMatch(/patches\[0\] \(StatefulSet\/storefront\) names no object this app renders/);
      expect(output).toContain("Deployment/storefront");
      expect(fingerprint(file("clusters"))).toEqual(before);
    });
  });
});
