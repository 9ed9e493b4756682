import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { DefinitionError, type KubeObject } from "@slipway/core";
import type { AppInstanceContext } from "./context";
import { jsonPatch, mergePatch, parsePointer } from "./patches";
import { synthesizeApp } from "./synthesize";
import { testContext } from "./test-context";

const yamlOf = (objects: KubeObject[]) => objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
// Test lookups navigate deep into synthesized objects; typing every level would only restate the API.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const find = (objects: KubeObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name)) as Loose | undefined;
const podOf = (objects: KubeObject[]) => (find(objects, "Deployment") ?? find(objects, "StatefulSet") ?? find(objects, "CronJob"))!;
const podSpec = (objects: KubeObject[]) => {
  const w = podOf(objects);
  return w.kind === "CronJob" ? w.spec.jobTemplate.spec.template.spec : w.spec.template.spec;
};

/** A context on a cluster that runs the given add-ons and Kubernetes version. */
function onCluster(ctx: AppInstanceContext, cluster: { addons?: string[]; kubernetesVersion?: string }): AppInstanceContext {
  return {
    ...ctx,
    cluster: {
      ...ctx.cluster,
      ...(cluster.kubernetesVersion ? { kubernetesVersion: cluster.kubernetesVersion } : {}),
      ...(cluster.addons ? { addons: Object.fromEntries(cluster.addons.map((a) => [a, true as const])) } : {}),
    },
  };
}

const REGISTRY = "111122223333.dkr.ecr.us-east-1.amazonaws.com";
const SIDECAR_IMAGE = `${REGISTRY}/shop/proxy:1.4.2@sha256:${"cd".repeat(32)}`;

const web = (extra: Record<string, unknown> = {}) => testContext({
  name: "storefront",
  kind: "web-service",
  ports: [{ name: "http", port: 8080 }],
  probes: { readiness: { type: "http", path: "/ready" }, liveness: { type: "http", path: "/live" } },
  ingress: { exposure: "internal", host: "shop.internal.example.com" },
  ...extra,
});

const store = onCluster(testContext({
  name: "orders-db",
  kind: "stateful-service",
  ports: [{ name: "pg", port: 5432 }],
  scaling: { min: 3 },
  resources: { cpu: "500m", memory: "1Gi" },
  probes: { readiness: { type: "tcp" }, liveness: { type: "tcp" } },
  volumes: [{ name: "data", mountPath: "/var/lib/postgresql", size: "20Gi" }],
  scratchPaths: [{ path: "/tmp", sizeLimit: "1Gi" }, "/run"],
  shutdown: { drainSeconds: 30 },
  placement: { capacity: "on-demand", architecture: "arm64", priority: "critical" },
  initContainers: [{ name: "migrate", image: SIDECAR_IMAGE, command: ["/migrate"], resources: { cpu: "100m", memory: "128Mi" } }],
  sidecars: [{ name: "exporter", image: SIDECAR_IMAGE, ports: [{ name: "metrics", port: 9187 }], probe: { type: "http", path: "/metrics", port: "metrics" }, resources: { cpu: "50m", memory: "64Mi" }, mountScratch: true }],
  patches: [
    { target: { kind: "StatefulSet", name: "orders-db" }, type: "merge", patch: { spec: { minReadySeconds: 20 } }, reason: "replica catch-up before the next ordinal (DB-12)" },
    { target: { kind: "Service", name: "orders-db" }, type: "json", patch: [{ op: "add", path: "/spec/publishNotReadyAddresses", value: true }], reason: "peers find each other before they are ready (DB-13)" },
  ],
}), { addons: ["karpenter", "velero"] });

describe("golden path: stateful service", () => {
  it("GIVEN a stateful service with volumes, sidecar, init container, placement and patches WHEN synthesized THEN it matches the golden file", async () => {
    await expect(yamlOf(synthesizeApp(store))).toMatchFileSnapshot("__golden__/stateful-service.yaml");
  });

  it("GIVEN a stateful service WHEN synthesized THEN a StatefulSet claims gp3 volumes, rolls out in order, keeps its claims, and a headless Service and a PDB come with it", () => {
    const objects = synthesizeApp(store);
    const sts = find(objects, "StatefulSet")!;
    expect(sts.spec).toMatchObject({ replicas: 3, serviceName: "orders-db", podManagementPolicy: "OrderedReady", updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } }, persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" } });
    expect(sts.spec.volumeClaimTemplates).toEqual([expect.objectContaining({ metadata: { name: "data", labels: { "app.kubernetes.io/name": "orders-db", "slipway.dev/app": "orders-db" } }, spec: expect.objectContaining({ storageClassName: "gp3", accessModes: ["ReadWriteOnce"] }) })]);
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: "data", mountPath: "/var/lib/postgresql" });
    expect(find(objects, "Service")!.spec).toMatchObject({ clusterIP: "None" });
    expect(find(objects, "PodDisruptionBudget")).toBeDefined();
    expect(find(objects, "Deployment")).toBeUndefined();
    expect(find(objects, "HorizontalPodAutoscaler")).toBeUndefined();
  });

  it("GIVEN scratch paths with and without a size WHEN synthesized THEN each emptyDir has its size limit (256Mi by default)", () => {
    const volumes = podSpec(synthesizeApp(store)).volumes;
    expect(volumes).toEqual([
      { name: "scratch-0", emptyDir: { sizeLimit: "1Gi" } },
      { name: "scratch-1", emptyDir: { sizeLimit: "256Mi" } },
    ]);
  });
});

describe("golden path: shutdown behind the ALB", () => {
  it("GIVEN a load-balanced app and no shutdown setting WHEN synthesized THEN preStop sleeps 15 s, the target group drains for 15 s and the grace period is 40 s", () => {
    const objects = synthesizeApp(web());
    const spec = podSpec(objects);
    expect(spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 15 } } });
    expect(spec.terminationGracePeriodSeconds).toBe(40);
    expect(find(objects, "Ingress")!.metadata.annotations["alb.ingress.kubernetes.io/target-group-attributes"]).toBe("deregistration_delay.timeout_seconds=15");
  });

  it("GIVEN shutdown.drainSeconds 25 WHEN synthesized THEN all three follow from it, the grace period above preStop + deregistration", () => {
    const objects = synthesizeApp(web({ shutdown: { drainSeconds: 25 } }));
    const spec = podSpec(objects);
    expect(spec.containers[0].lifecycle.preStop.sleep.seconds).toBe(25);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(25 + 25);
    expect(find(objects, "Ingress")!.metadata.annotations["alb.ingress.kubernetes.io/target-group-attributes"]).toBe("deregistration_delay.timeout_seconds=25");
  });

  it("GIVEN an app with no ingress WHEN synthesized THEN it has no preStop and keeps 30 s, or drainSeconds + 10 with a shutdown setting", () => {
    const worker = testContext({ name: "mailer", kind: "worker", probes: { liveness: { type: "exec", command: ["/bin/ok"] } } });
    expect(podSpec(synthesizeApp(worker)).terminationGracePeriodSeconds).toBe(30);
    expect(podSpec(synthesizeApp(worker)).containers[0].lifecycle).toBeUndefined();
    expect(podSpec(synthesizeApp(testContext({ name: "mailer", kind: "worker", shutdown: { drainSeconds: 50 } }))).terminationGracePeriodSeconds).toBe(60);
  });

  it("GIVEN a load-balanced app on Kubernetes 1.29 WHEN synthesized THEN it is refused: the native sleep handler is on from 1.30 and the image may have no shell", () => {
    const attempt = () => synthesizeApp(onCluster(web(), { kubernetesVersion: "1.29" }));
    expect(attempt).toThrow(DefinitionError);
    expect(attempt).toThrow(/preStop `sleep`.*1\.29/);
    try {
      attempt();
    } catch (e) {
      expect((e as DefinitionError).details).toMatchObject({ file: "apps/shop/storefront/app.ts", field: "ingress", received: "1.29" });
    }
  });
});

describe("golden path: placement", () => {
  const worker = (placement: Record<string, unknown>, addons: string[] = ["karpenter"]) =>
    podSpec(synthesizeApp(onCluster(testContext({ name: "batcher", kind: "worker", placement }), { addons })));

  it("GIVEN capacity spot and arm64 on a Karpenter cluster THEN the pods select spot arm64 nodes and tolerate the spot pool's taint", () => {
    const spec = worker({ capacity: "spot", architecture: "arm64" });
    expect(spec.nodeSelector).toEqual({ "karpenter.sh/capacity-type": "spot", "kubernetes.io/arch": "arm64" });
    expect(spec.tolerations).toEqual([{ key: "slipway.dev/interruptible", operator: "Equal", value: "true", effect: "NoSchedule" }]);
  });

  it("GIVEN the defaults THEN on-demand amd64 at the standard priority; any capacity only tolerates; multi pins no architecture", () => {
    expect(worker({})).toMatchObject({ nodeSelector: { "karpenter.sh/capacity-type": "on-demand", "kubernetes.io/arch": "amd64" }, priorityClassName: "slipway-standard" });
    expect(worker({}).tolerations).toBeUndefined();
    const any = worker({ capacity: "any", architecture: "multi" });
    expect(any.nodeSelector).toBeUndefined();
    expect(any.tolerations).toHaveLength(1);
  });

  it("GIVEN a cluster without Karpenter THEN capacity is not pinned (its nodes have no capacity-type label), the architecture still is", () => {
    const spec = worker({ capacity: "spot", architecture: "arm64" }, []);
    expect(spec.nodeSelector).toEqual({ "kubernetes.io/arch": "arm64" });
    expect(spec.tolerations).toBeUndefined();
  });

  it("GIVEN a cron job THEN it runs at the batch priority unless it says otherwise", () => {
    const cron = (placement?: Record<string, unknown>) => podSpec(synthesizeApp(testContext({ name: "report", kind: "cron-job", schedule: { cron: "0 3 * * *" }, ...(placement ? { placement } : {}) })));
    expect(cron().priorityClassName).toBe("slipway-batch");
    expect(cron({ priority: "critical" }).priorityClassName).toBe("slipway-critical");
  });
});

describe("golden path: sidecars and init containers", () => {
  const withSidecar = () => onCluster(web({
    sidecars: [{ name: "proxy", image: SIDECAR_IMAGE, ports: [{ name: "proxy", port: 15001 }], probe: { type: "tcp", port: "proxy" }, resources: { cpu: "50m", memory: "64Mi" } }],
    initContainers: [{ name: "seed", image: SIDECAR_IMAGE, resources: { cpu: "10m", memory: "32Mi", memoryLimit: "64Mi" } }],
  }), {});

  it("GIVEN a sidecar and an init container THEN both are init containers, the sidecar with restartPolicy Always and probes, both restricted with requests and limits", () => {
    const spec = podSpec(synthesizeApp(withSidecar()));
    expect(spec.initContainers.map((c: Loose) => [c.name, c.restartPolicy])).toEqual([["seed", undefined], ["proxy", "Always"]]);
    for (const c of spec.initContainers) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
    }
    expect(spec.initContainers[0].resources.limits).toEqual({ cpu: "20m", memory: "64Mi" });
    expect(spec.initContainers[1].readinessProbe).toMatchObject({ tcpSocket: { port: "proxy" } });
    expect(spec.initContainers[1].livenessProbe).toMatchObject({ tcpSocket: { port: "proxy" } });
  });

  it("GIVEN sidecars on Kubernetes 1.28 WHEN synthesized THEN it is refused naming the field and the version that enables them", () => {
    const worker = testContext({ name: "mailer", kind: "worker", sidecars: [{ name: "proxy", image: SIDECAR_IMAGE, probe: { type: "exec", command: ["/ok"] }, resources: { cpu: "50m", memory: "64Mi" } }] });
    const attempt = () => synthesizeApp(onCluster(worker, { kubernetesVersion: "1.28" }));
    expect(attempt).toThrow(/sidecars.*1\.28/);
    try {
      attempt();
    } catch (e) {
      expect((e as DefinitionError).details).toMatchObject({ file: "apps/shop/mailer/app.ts", field: "sidecars", received: "1.28" });
      expect((e as DefinitionError).details.expected).toMatch(/1\.29 or newer/);
    }
  });
});

describe("golden path: patches", () => {
  it("GIVEN patches WHEN synthesized THEN they apply after synthesis and mark each patched object with the patches and reasons", () => {
    const objects = synthesizeApp(store);
    const sts = find(objects, "StatefulSet")!;
    expect(sts.spec.minReadySeconds).toBe(20);
    expect(sts.metadata.annotations["slipway.dev/patched"]).toBe("patches[0]: replica catch-up before the next ordinal (DB-12)");
    expect(find(objects, "Service")!.spec.publishNotReadyAddresses).toBe(true);
    expect(find(objects, "PodDisruptionBudget")!.metadata.annotations).not.toHaveProperty("slipway.dev/patched");
  });

  it("GIVEN a patch naming an object the app does not render THEN the error names app.ts, the patch index and the known objects", () => {
    const ctx = web({ patches: [{ target: { kind: "Deployment", name: "storefrnt" }, type: "merge", patch: { spec: { minReadySeconds: 5 } }, reason: "typo" }] });
    try {
      synthesizeApp(ctx);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DefinitionError);
      const err = e as DefinitionError;
      expect(err.message).toMatch(/patches\[0\] \(Deployment\/storefrnt\) names no object/);
      expect(err.details).toMatchObject({ file: "apps/shop/storefront/app.ts", field: "patches.0" });
      expect(err.details.expected).toContain("Deployment/storefront");
      expect(err.details.expected).toContain("Ingress/storefront");
    }
  });

  it("GIVEN a patch that renames its object, or an operation that does not apply THEN it is refused", () => {
    const rename = web({ patches: [{ target: { kind: "Service", name: "storefront" }, type: "merge", patch: { metadata: { name: "other" } }, reason: "rename" }] });
    expect(() => synthesizeApp(rename)).toThrow(/changes `metadata.name`/);
    const failing = web({ patches: [{ target: { kind: "Service", name: "storefront" }, type: "json", patch: [{ op: "test", path: "/spec/type", value: "NodePort" }], reason: "guard" }] });
    expect(() => synthesizeApp(failing)).toThrow(/operation 0 \(test\): test failed/);
    const missing = web({ patches: [{ target: { kind: "Service", name: "storefront" }, type: "json", patch: [{ op: "remove", path: "/spec/nope" }], reason: "gone" }] });
    expect(() => synthesizeApp(missing)).toThrow(/`\/spec\/nope` does not exist/);
  });
});

describe("JSON merge patch (RFC 7386) and JSON patch (RFC 6902)", () => {
  it("GIVEN RFC 7386's example THEN objects merge, null removes, arrays replace", () => {
    const target = { title: "Goodbye!", author: { givenName: "John", familyName: "Doe" }, tags: ["example", "sample"], content: "This will be unchanged" };
    const patch = { title: "Hello!", phoneNumber: "+01-123-456-7890", author: { familyName: null }, tags: ["example"] };
    expect(mergePatch(target, patch)).toEqual({ title: "Hello!", author: { givenName: "John" }, tags: ["example"], content: "This will be unchanged", phoneNumber: "+01-123-456-7890" });
    expect(target.author.familyName).toBe("Doe");
  });

  it("GIVEN RFC 6902's operations THEN add, remove, replace, move, copy and test behave as specified, on a copy", () => {
    const doc = { foo: ["bar", "baz"], a: { b: 1 } };
    expect(jsonPatch(doc, [{ op: "add", path: "/foo/1", value: "qux" }])).toEqual({ foo: ["bar", "qux", "baz"], a: { b: 1 } });
    expect(jsonPatch(doc, [{ op: "add", path: "/foo/-", value: "end" }])).toMatchObject({ foo: ["bar", "baz", "end"] });
    expect(jsonPatch(doc, [{ op: "remove", path: "/foo/0" }])).toMatchObject({ foo: ["baz"] });
    expect(jsonPatch(doc, [{ op: "replace", path: "/a/b", value: 2 }])).toMatchObject({ a: { b: 2 } });
    expect(jsonPatch(doc, [{ op: "move", from: "/a/b", path: "/c" }])).toEqual({ foo: ["bar", "baz"], a: {}, c: 1 });
    expect(jsonPatch(doc, [{ op: "copy", from: "/a", path: "/d" }])).toMatchObject({ a: { b: 1 }, d: { b: 1 } });
    expect(jsonPatch(doc, [{ op: "test", path: "/a", value: { b: 1 } }])).toEqual(doc);
    expect(() => jsonPatch(doc, [{ op: "replace", path: "/nope", value: 1 }])).toThrow(/does not exist/);
    expect(() => jsonPatch(doc, [{ op: "add", path: "/foo/7", value: 1 }])).toThrow(/out of bounds/);
    expect(() => jsonPatch(doc, [{ op: "move", from: "/a", path: "/a/x" }])).toThrow(/its own child/);
    expect(doc).toEqual({ foo: ["bar", "baz"], a: { b: 1 } });
  });

  it("GIVEN escaped pointer tokens THEN ~1 is / and ~0 is ~", () => {
    expect(parsePointer("/metadata/annotations/a~1b~0c")).toEqual(["metadata", "annotations", "a/b~c"]);
    expect(parsePointer("")).toEqual([]);
  });
});
