import { describe, expect, it } from "vitest";
import type { ValidationReport } from "./types";
import { validateManifests } from "./validate";

type O = Record<string, unknown>;
const NS = "shop-prod";
const labels = { "app.kubernetes.io/name": "web", "slipway.dev/tenant": "shop" };

const namespace = (extra: Record<string, string> = {}): O => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS, labels: { "slipway.dev/tenant": "shop", ...extra } } });
const deployment = (pod: O = {}): O => ({
  apiVersion: "apps/v1", kind: "Deployment",
  metadata: { name: "web", namespace: NS, labels },
  spec: {
    selector: { matchLabels: { "app.kubernetes.io/name": "web" } },
    template: {
      metadata: { labels },
      spec: { containers: [{ name: "web", image: "r.example/web:1.0", ports: [{ name: "http", containerPort: 8080 }] }], ...pod },
    },
  },
});
const service = (annotations: Record<string, string> = {}): O => ({
  apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: NS, labels, annotations },
  spec: { selector: { "app.kubernetes.io/name": "web" }, ports: [{ name: "http", port: 8080, targetPort: "http" }] },
});
const ingress = (annotations: Record<string, string> = {}): O => ({
  apiVersion: "networking.k8s.io/v1", kind: "Ingress",
  metadata: { name: "web", namespace: NS, labels, annotations: { "alb.ingress.kubernetes.io/target-type": "ip", ...annotations } },
  spec: { ingressClassName: "alb", rules: [{ host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { name: "http" } } } }] } }] },
});
const nodePool = (name: string, spec: { capacity: string[]; arch?: string[]; taints?: O[]; labels?: Record<string, string> }): O => ({
  apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name },
  spec: {
    template: {
      metadata: { labels: spec.labels ?? {} },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
        requirements: [
          { key: "karpenter.sh/capacity-type", operator: "In", values: spec.capacity },
          { key: "kubernetes.io/arch", operator: "In", values: spec.arch ?? ["amd64", "arm64"] },
        ],
        ...(spec.taints ? { taints: spec.taints } : {}),
      },
    },
  },
});
const SPOT_TAINT = { key: "slipway.dev/interruptible", value: "true", effect: "NoSchedule" };
const storageClass = (name: string, parameters: Record<string, string>, isDefault = false): O => ({
  apiVersion: "storage.k8s.io/v1", kind: "StorageClass",
  metadata: { name, ...(isDefault ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } : {}) },
  provisioner: "ebs.csi.aws.com", parameters,
});
const claim = (storageClassName?: string): O => ({
  apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: NS, labels },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...(storageClassName === undefined ? {} : { storageClassName }) },
});

function findingsOf(objects: O[], rule: string): ValidationReport["findings"] {
  const report = validateManifests(objects.map((object, i) => ({ file: `in-memory-${i}.yaml`, line: 1, object })), { crossObject: true, kubernetesVersion: "1.33" });
  return report.findings.filter((f) => f.rule === rule);
}

describe("SW-X-ALB-SHUTDOWN", () => {
  const drained = { terminationGracePeriodSeconds: 40, containers: [{ name: "web", image: "r.example/web:1.0", ports: [{ name: "http", containerPort: 8080 }], lifecycle: { preStop: { sleep: { seconds: 15 } } } }] };
  const attrs = { "alb.ingress.kubernetes.io/target-group-attributes": "deregistration_delay.timeout_seconds=15" };

  it("GIVEN the readiness gate label and a grace period above preStop + deregistration THEN nothing is flagged", () => {
    expect(findingsOf([namespace({ "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" }), deployment(drained), service(), ingress(attrs)], "SW-X-ALB-SHUTDOWN")).toEqual([]);
  });

  it("GIVEN a namespace without the readiness gate label THEN the Ingress is flagged at its namespace", () => {
    const findings = findingsOf([namespace(), deployment(drained), service(), ingress(attrs)], "SW-X-ALB-SHUTDOWN");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ object: { kind: "Ingress", name: "web" }, path: "metadata.namespace" });
    expect(findings[0]!.message).toContain("elbv2.k8s.aws/pod-readiness-gate-inject: enabled");
  });

  it("GIVEN no deregistration delay anywhere THEN the ALB's 300 s default counts and a 30 s grace period is flagged on the workload", () => {
    const findings = findingsOf([namespace({ "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" }), deployment(), service(), ingress()], "SW-X-ALB-SHUTDOWN");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ object: { kind: "Deployment", name: "web" }, path: "spec.template.spec.terminationGracePeriodSeconds" });
    expect(findings[0]!.message).toMatch(/grace period 30s is not above the preStop sleep \(0s\) plus the target group's deregistration delay \(300s, the ALB default\)/);
  });

  it("GIVEN the Service's deregistration delay THEN it wins over the Ingress's", () => {
    const pod = { ...drained, terminationGracePeriodSeconds: 25 };
    const findings = findingsOf([namespace({ "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" }), deployment(pod), service({ "alb.ingress.kubernetes.io/target-group-attributes": "deregistration_delay.timeout_seconds=5" }), ingress(attrs)], "SW-X-ALB-SHUTDOWN");
    expect(findings).toEqual([]);
  });

  it("GIVEN instance targets THEN the pods are not the ALB's targets and nothing is flagged", () => {
    expect(findingsOf([namespace(), deployment(), service(), ingress({ "alb.ingress.kubernetes.io/target-type": "instance" })], "SW-X-ALB-SHUTDOWN")).toEqual([]);
  });
});

describe("SW-X-NODEPOOL", () => {
  const pools = [nodePool("general-on-demand", { capacity: ["on-demand"] }), nodePool("general-spot", { capacity: ["spot"], taints: [SPOT_TAINT], labels: { "slipway.dev/interruptible": "true" } })];
  const spot = { nodeSelector: { "karpenter.sh/capacity-type": "spot", "kubernetes.io/arch": "arm64" }, tolerations: [{ key: "slipway.dev/interruptible", operator: "Equal", value: "true", effect: "NoSchedule" }] };

  it("GIVEN a spot arm64 pod and a spot pool with that taint THEN nothing is flagged", () => {
    expect(findingsOf([namespace(), ...pools, deployment(spot)], "SW-X-NODEPOOL")).toEqual([]);
  });

  it("GIVEN a spot pod on a cluster whose only pool is on-demand THEN its nodeSelector and its toleration are flagged, naming the pools", () => {
    const findings = findingsOf([namespace(), pools[0]!, deployment(spot)], "SW-X-NODEPOOL");
    expect(findings.map((f) => f.path)).toEqual(["spec.template.spec.nodeSelector", "spec.template.spec.tolerations[0]"]);
    expect(findings[0]!.message).toContain("general-on-demand (karpenter.sh/capacity-type in [on-demand])");
    expect(findings[1]!.message).toContain("matches no taint of a NodePool on this cluster (general-on-demand)");
  });

  it("GIVEN a spot selector without the toleration THEN no pool can run it (the spot pool's taint is not tolerated)", () => {
    const findings = findingsOf([namespace(), ...pools, deployment({ nodeSelector: { "karpenter.sh/capacity-type": "spot" } })], "SW-X-NODEPOOL");
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain("general-spot (taint slipway.dev/interruptible=true:NoSchedule not tolerated)");
  });

  it("GIVEN no NodePools THEN a Karpenter label selector is flagged, a well-known label is not", () => {
    expect(findingsOf([namespace(), deployment({ nodeSelector: { "kubernetes.io/arch": "arm64" } })], "SW-X-NODEPOOL")).toEqual([]);
    const findings = findingsOf([namespace(), deployment({ nodeSelector: { "karpenter.sh/capacity-type": "on-demand" } })], "SW-X-NODEPOOL");
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain("this cluster has no Karpenter NodePool");
  });
});

describe("SW-X-STORAGECLASS", () => {
  it("GIVEN a claim on an encrypted EBS class, or none with an encrypted default THEN nothing is flagged", () => {
    const gp3 = storageClass("gp3", { type: "gp3", encrypted: "true" }, true);
    expect(findingsOf([namespace(), gp3, claim("gp3")], "SW-X-STORAGECLASS")).toEqual([]);
    expect(findingsOf([namespace(), gp3, claim()], "SW-X-STORAGECLASS")).toEqual([]);
  });

  it("GIVEN a class that does not exist, or one that does not encrypt THEN the claim is flagged", () => {
    const missing = findingsOf([namespace(), storageClass("gp3", { encrypted: "true" }), claim("fast")], "SW-X-STORAGECLASS");
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ path: "spec.storageClassName" });
    expect(missing[0]!.message).toContain("StorageClass fast, which does not exist on this cluster (gp3)");
    const plain = findingsOf([namespace(), storageClass("plain", { type: "gp3" }), claim("plain")], "SW-X-STORAGECLASS");
    expect(plain[0]!.message).toContain("does not encrypt its volumes");
  });

  it("GIVEN a StatefulSet's volumeClaimTemplate on a missing class THEN the template is flagged", () => {
    const sts: O = {
      apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace: NS, labels },
      spec: {
        serviceName: "db", selector: { matchLabels: { "app.kubernetes.io/name": "web" } },
        template: { metadata: { labels }, spec: { containers: [{ name: "db", image: "r.example/db:1.0" }] } },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp2", resources: { requests: { storage: "1Gi" } } } }],
      },
    };
    const findings = findingsOf([namespace(), sts], "SW-X-STORAGECLASS");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: "spec.volumeClaimTemplates[0].spec.storageClassName" });
  });
});

describe("priorityClassName references", () => {
  it("GIVEN a pod naming a PriorityClass THEN it must exist in the set, unless built in", () => {
    const pc: O = { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "slipway-standard" }, value: 10000 };
    expect(findingsOf([namespace(), pc, deployment({ priorityClassName: "slipway-standard" })], "SW-X-REFERENCE")).toEqual([]);
    expect(findingsOf([namespace(), deployment({ priorityClassName: "system-cluster-critical" })], "SW-X-REFERENCE")).toEqual([]);
    const missing = findingsOf([namespace(), deployment({ priorityClassName: "slipway-critical" })], "SW-X-REFERENCE");
    expect(missing.map((f) => [f.path, f.message])).toEqual([["spec.template.spec.priorityClassName", expect.stringContaining("PriorityClass slipway-critical does not exist")]]);
  });
});
