import { describe, expect, it } from "vitest";
import { assessRisks } from "./risk";
import type { ResourceRef } from "./tree";

const ref = (over: Partial<ResourceRef> = {}): ResourceRef => ({
  cluster: "dev-eu",
  environment: "dev",
  group: "checkout",
  apiVersion: "apps/v1",
  kind: "Deployment",
  name: "checkout",
  namespace: "payments-dev",
  path: "clusters/dev-eu/dev/checkout/deployment-checkout.yaml",
  ...over,
});
const rules = (...args: Parameters<typeof assessRisks>) => assessRisks(...args).map((f) => f.rule);
const deploy = (replicas: number, image = "repo/app:1@sha256:" + "a".repeat(64)) => ({ kind: "Deployment", spec: { replicas, template: { spec: { containers: [{ name: "api", image }] } } } });

describe("assessRisks", () => {
  it("GIVEN an app dropped from an ApplicationSet THEN it is flagged as a retirement, cascading or orphaning", () => {
    const set = (paths: string[], preserve: boolean) => ({ kind: "ApplicationSet", spec: { syncPolicy: { preserveResourcesOnDeletion: preserve }, generators: [{ git: { directories: paths.map((path) => ({ path })) } }] } });
    const at = ref({ apiVersion: "argoproj.io/v1alpha1", kind: "ApplicationSet", namespace: "argocd" });
    const cascade = assessRisks(at, set(["c/dev/a", "c/dev/b"], false), set(["c/dev/a"], false)).filter((f) => f.rule === "retirement");
    expect(cascade.map((f) => f.message)).toEqual(["retires c/dev/b: Argo CD deletes its Application and, with cascade, its workloads"]);
    const orphan = assessRisks(at, set(["c/dev/a", "c/dev/b"], true), undefined).filter((f) => f.rule === "retirement");
    expect(orphan[0]!.message).toMatch(/orphaned/);
  });

  it("GIVEN a new or changed IRSA role, a new secret path, changed AppProject rights THEN each is flagged", () => {
    const sa = (arn: string) => ({ kind: "ServiceAccount", metadata: { annotations: { "eks.amazonaws.com/role-arn": arn } } });
    expect(rules(ref({ kind: "ServiceAccount", apiVersion: "v1" }), undefined, sa("arn:aws:iam::1:role/a"))).toContain("iam-role");
    expect(rules(ref({ kind: "ServiceAccount", apiVersion: "v1" }), sa("arn:aws:iam::1:role/a"), sa("arn:aws:iam::1:role/b"))).toContain("iam-role");
    expect(rules(ref({ kind: "ServiceAccount", apiVersion: "v1" }), sa("arn:aws:iam::1:role/a"), sa("arn:aws:iam::1:role/a"))).toEqual([]);
    const es = (keys: string[]) => ({ kind: "ExternalSecret", spec: { data: keys.map((key) => ({ secretKey: key, remoteRef: { key } })) } });
    const secret = assessRisks(ref({ kind: "ExternalSecret", apiVersion: "external-secrets.io/v1" }), es(["t/a/db"]), es(["t/a/db", "t/b/api"]));
    expect(secret.map((f) => f.message)).toEqual(["reads secret path t/b/api (AWS Secrets Manager)"]);
    const project = (namespaces: string[], windows: unknown[] = []) => ({ kind: "AppProject", spec: { destinations: namespaces.map((namespace) => ({ namespace })), syncWindows: windows } });
    const at = ref({ apiVersion: "argoproj.io/v1alpha1", kind: "AppProject", namespace: "argocd" });
    expect(rules(at, project(["a-dev"]), project(["a-dev", "kube-system"]))).toContain("appproject-rights");
    expect(rules(at, project(["a-dev"]), project(["a-dev"], [{ kind: "deny" }]))).not.toContain("appproject-rights");
  });

  it("flags nothing for an ordinary dev change", () => {
    expect(rules(ref(), deploy(2), deploy(3))).toEqual([]);
  });

  it("flags every change in prod, by environment or by prod-* cluster", () => {
    expect(rules(ref({ environment: "prod", cluster: "eu-1" }), deploy(2), deploy(3))).toEqual(["production"]);
    expect(rules(ref({ environment: "", cluster: "prod-eu" }), deploy(2), deploy(3))).toEqual(["production"]);
  });

  it("flags deletions", () => {
    expect(rules(ref(), deploy(2), undefined)).toEqual(["deletion"]);
  });

  it("flags RBAC and cluster-scoped objects", () => {
    const role = ref({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespace: undefined });
    expect(rules(role, undefined, { kind: "ClusterRole", rules: [] })).toEqual(["cluster-scoped", "rbac"]);
    expect(rules(ref({ apiVersion: "v1", kind: "Namespace", namespace: undefined }), undefined, { kind: "Namespace" })).toEqual(["cluster-scoped"]);
  });

  it("flags a public ingress appearing, not one that stays public", () => {
    const ingress = (scheme: string) => ({ kind: "Ingress", metadata: { annotations: { "alb.ingress.kubernetes.io/scheme": scheme } } });
    const r = ref({ apiVersion: "networking.k8s.io/v1", kind: "Ingress" });
    expect(rules(r, ingress("internal"), ingress("internet-facing"))).toEqual(["public-exposure"]);
    expect(rules(r, undefined, ingress("internet-facing"))).toEqual(["public-exposure"]);
    expect(rules(r, ingress("internet-facing"), { ...ingress("internet-facing"), spec: {} })).toEqual([]);
    const lb = { kind: "Service", spec: { type: "LoadBalancer" } };
    expect(rules(ref({ apiVersion: "v1", kind: "Service" }), undefined, lb)).toEqual(["public-exposure"]);
  });

  it("flags an image without a digest when it is introduced", () => {
    expect(rules(ref(), deploy(2), deploy(2, "repo/app:latest"))).toEqual(["image-without-digest"]);
    expect(rules(ref(), deploy(2, "repo/app:latest"), deploy(3, "repo/app:latest"))).toEqual([]);
    const cron = { kind: "CronJob", spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "job", image: "repo/job:1" }] } } } } } };
    expect(rules(ref({ apiVersion: "batch/v1", kind: "CronJob" }), undefined, cron)).toEqual(["image-without-digest"]);
  });

  it("flags replicas, HPA bounds and PDBs reduced", () => {
    expect(rules(ref(), deploy(3), deploy(2))).toEqual(["replicas-reduced"]);
    const hpa = (min: number, max: number) => ({ kind: "HorizontalPodAutoscaler", spec: { minReplicas: min, maxReplicas: max } });
    expect(rules(ref({ kind: "HorizontalPodAutoscaler", apiVersion: "autoscaling/v2" }), hpa(2, 10), hpa(1, 10))).toEqual(["replicas-reduced"]);
    const pdbRef = ref({ kind: "PodDisruptionBudget", apiVersion: "policy/v1" });
    const pdb = (spec: object) => ({ kind: "PodDisruptionBudget", spec });
    expect(rules(pdbRef, pdb({ minAvailable: 2 }), pdb({ minAvailable: 1 }))).toEqual(["disruption-budget-reduced"]);
    expect(rules(pdbRef, pdb({ maxUnavailable: "10%" }), pdb({ maxUnavailable: "50%" }))).toEqual(["disruption-budget-reduced"]);
    expect(rules(pdbRef, pdb({ minAvailable: 1 }), pdb({ minAvailable: 2 }))).toEqual([]);
    expect(rules(pdbRef, pdb({ minAvailable: 1 }), undefined)).toEqual(["deletion", "disruption-budget-reduced"]);
  });

  it("flags a NetworkPolicy that allows more, and not one that allows less", () => {
    const npRef = ref({ kind: "NetworkPolicy", apiVersion: "networking.k8s.io/v1" });
    const np = (from: object[], policyTypes = ["Ingress"]) => ({ kind: "NetworkPolicy", spec: { podSelector: { matchLabels: { app: "x" } }, policyTypes, ingress: [{ from, ports: [{ port: 8080 }] }] } });
    const a = { podSelector: { matchLabels: { app: "a" } } };
    const b = { podSelector: { matchLabels: { app: "b" } } };
    const widened = assessRisks(npRef, np([a]), np([a, b]));
    expect(widened.map((f) => f.rule)).toEqual(["network-policy-widened"]);
    expect(widened[0]!.message).toContain('"app":"b"');
    expect(rules(npRef, np([a, b]), np([a]))).toEqual([]);
    expect(rules(npRef, np([a], ["Ingress", "Egress"]), np([a], ["Ingress"]))).toEqual(["network-policy-widened"]);
    expect(rules(npRef, np([a]), undefined)).toEqual(["deletion", "network-policy-widened"]);
  });

  it("flags Argo CD Applications appearing or disappearing", () => {
    const appRef = ref({ apiVersion: "argoproj.io/v1alpha1", kind: "ApplicationSet", environment: "", group: "argocd", namespace: "argocd" });
    expect(rules(appRef, undefined, { kind: "ApplicationSet" })).toEqual(["argocd-applications"]);
    expect(rules(appRef, { kind: "ApplicationSet" }, undefined)).toEqual(["argocd-applications", "deletion"]);
    expect(rules(appRef, { kind: "ApplicationSet", spec: { generators: [] } }, { kind: "ApplicationSet", spec: { generators: [{ list: {} }] } })).toEqual(["argocd-applications"]);
  });
});

describe("patched objects", () => {
  const at = ref();
  const deployment = (annotations: Record<string, string>, replicas = 2) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", annotations }, spec: { replicas } });
  it("GIVEN an object an app patch changed WHEN it is added or changed THEN the diff flags it with the patch and its reason", () => {
    const patched = deployment({ "slipway.dev/patched": "patches[0]: vendor agent needs a host alias" });
    const added = assessRisks(at, undefined, patched).filter((f) => f.rule === "patched");
    expect(added).toHaveLength(1);
    expect(added[0]!.message).toContain("patches[0]: vendor agent needs a host alias");
    expect(assessRisks(at, deployment({}), patched).map((f) => f.rule)).toContain("patched");
  });
  it("GIVEN an object no patch touches THEN it is not flagged as patched", () => {
    expect(assessRisks(at, deployment({}), deployment({}, 3)).map((f) => f.rule)).not.toContain("patched");
  });
});
