/**
 * Every generator against the facts recorded from its upstream release at the pinned version
 * (src/upstream/): images, flags valid for that version, env, permissions per ServiceAccount
 * (no more and no less than upstream, apart from the recorded differences), webhooks and the
 * Services they call, and the CRDs each add-on has delivered.
 */
import { describe, expect, it } from "vitest";
import type { KubeObject } from "@slipway/core";
import { addonNames, findAddon, planClusterAddons, synthesizeAddon } from "./index";
import { config as fluentBitConfig } from "./modules/fluent-bit";
import { choices, prod, testCluster } from "./testing";
import { UPSTREAM_FACTS, fluentBitConfigKeys } from "./upstream";
import { containersOf, expectedAtoms, flagNames, grantedAtoms, webhooksOf } from "./upstream/parity";

const ALL_BUT_CA = addonNames().filter((a) => a !== "cluster-autoscaler");

function rendered(addon: string): { objects: KubeObject[]; namespace: string } {
  const on = addon === "cluster-autoscaler" ? ["cluster-autoscaler"] : ALL_BUT_CA;
  const planned = planClusterAddons({
    cluster: testCluster({ addons: Object.fromEntries(on.map((n) => [n, true as const])) }),
    clusterFile: "clusters/test-use1/cluster.ts",
    environment: prod,
    choices: choices(),
  }).find((p) => p.module.name === addon)!;
  return { objects: synthesizeAddon(planned), namespace: planned.context.namespace };
}

/** A rendered object read as the shape a test expects (synthesized objects are plain JSON). */
function read<T>(o: KubeObject | undefined): T {
  return o as unknown as T;
}

const keyOf = (facts: Record<string, unknown>, container: string, workload: string) => (`${container}@${workload}` in facts ? `${container}@${workload}` : container);

describe.each(addonNames())("%s against its upstream release", (addon) => {
  const facts = UPSTREAM_FACTS[addon]!;
  const module = findAddon(addon)!;
  const { objects, namespace } = rendered(addon);

  it("has recorded facts, read at the version the generator is written for", () => {
    expect(facts, `add src/upstream/${addon}.ts`).toBeDefined();
    expect(facts.version).toBe(module.defaultVersion);
    expect(module.comparedWith.length).toBeGreaterThan(0);
  });

  it("runs upstream's images, at the pinned version", () => {
    for (const c of containersOf(objects)) {
      const repository = facts.images[keyOf(facts.images, c.name, c.workload)];
      expect(repository, `${c.workload}/${c.name}: no image recorded`).toBeDefined();
      expect(c.image.startsWith(`${repository}:`), `${c.workload}/${c.name}: ${c.image}`).toBe(true);
    }
  });

  it("passes only flags its binaries define at that version", () => {
    for (const c of containersOf(objects)) {
      const known = new Set(facts.flags[keyOf(facts.flags, c.name, c.workload)] ?? []);
      expect(flagNames(c.args).filter((f) => !known.has(f)), `${c.workload}/${c.name}`).toEqual([]);
    }
  });

  it("sets only environment variables upstream reads", () => {
    if (!facts.env) return;
    for (const c of containersOf(objects)) {
      const known = facts.env[keyOf(facts.env, c.name, c.workload)];
      if (known) expect(c.env.filter((e) => !known.includes(e)), `${c.workload}/${c.name}`).toEqual([]);
    }
  });

  it("grants each ServiceAccount what upstream grants it, no more and no less (recorded differences aside)", () => {
    const granted = grantedAtoms(objects, namespace);
    const expected = expectedAtoms(facts, namespace);
    expect([...granted.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [sa, atoms] of expected) {
      const ours = granted.get(sa) ?? new Set<string>();
      expect({ sa, missing: [...atoms].filter((a) => !ours.has(a)).sort() }).toEqual({ sa, missing: [] });
      expect({ sa, beyondUpstream: [...ours].filter((a) => !atoms.has(a)).sort() }).toEqual({ sa, beyondUpstream: [] });
    }
  });

  it("registers upstream's webhooks, each calling a Service of the add-on on port 443", () => {
    const hooks = webhooksOf(objects);
    const key = (w: { type: string; name: string; path: string; failurePolicy: string }) => `${w.type} ${w.name} ${w.path} ${w.failurePolicy}`;
    expect(hooks.map(key).sort()).toEqual((facts.webhooks ?? []).map(key).sort());
    const services = objects.filter((o) => o.kind === "Service");
    for (const h of hooks) {
      const svc = read<{ spec: { ports: { port: number }[] } } | undefined>(services.find((s) => s.metadata.name === h.service));
      expect(svc?.spec.ports.some((p) => p.port === 443), `${h.name} → ${h.service}`).toBe(true);
    }
  });

  it("has every custom resource it renders delivered by its own CRDs or those of an add-on it requires", () => {
    const delivered = new Set(
      [module, ...module.requires.map((n) => findAddon(n)!)].flatMap((m) => m.crds?.required ?? []).flatMap((c) => c.versions.map((v) => `${c.name.slice(c.name.indexOf(".") + 1)}/${v} ${c.kind}`)),
    );
    const builtIn = /^(v1|apps\/v1|batch\/v1|policy\/v1|rbac\.authorization\.k8s\.io\/v1|networking\.k8s\.io\/v1|admissionregistration\.k8s\.io\/v1|apiregistration\.k8s\.io\/v1|storage\.k8s\.io\/v1|autoscaling\/v2)$/;
    const custom = objects.filter((o) => !builtIn.test(o.apiVersion)).map((o) => `${o.apiVersion} ${o.kind}`);
    expect([...new Set(custom)].filter((k) => !delivered.has(k))).toEqual([]);
  });
});

describe("defects found against upstream stay fixed", () => {
  it("kyverno 1.14: no --enableConfigMemoryCache (not a flag of that version); `webhooks` is one object; deletecollection on its webhook configurations", () => {
    const { objects } = rendered("kyverno");
    const args = containersOf(objects).flatMap((c) => c.args);
    expect(args.some((a) => a.startsWith("--enableConfigMemoryCache"))).toBe(false);
    const cm = read<{ data: Record<string, string> }>(objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "kyverno"));
    expect(Array.isArray(JSON.parse(cm.data.webhooks!))).toBe(false);
    const granted = grantedAtoms(objects, "kyverno").get("kyverno-admission-controller")!;
    expect(granted.has("cluster admissionregistration.k8s.io/validatingwebhookconfigurations deletecollection")).toBe(true);
    expect([...granted].some((a) => a.includes("core/secrets") && a.startsWith("cluster "))).toBe(false);
  });
  it("velero: a writable /tmp under a read-only root filesystem (the server writes /tmp/credentials)", () => {
    const { objects } = rendered("velero");
    const deployment = read<{ spec: { template: { spec: { containers: { name: string; volumeMounts: { mountPath: string }[]; securityContext: { readOnlyRootFilesystem: boolean } }[] } } } }>(objects.find((o) => o.kind === "Deployment"));
    const server = deployment.spec.template.spec.containers.find((c) => c.name === "velero")!;
    expect(server.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(server.volumeMounts.map((m) => m.mountPath)).toContain("/tmp");
  });
  it("velero's required CRDs include the v2alpha1 DataUpload and DataDownload its server checks for at start", () => {
    const names = findAddon("velero")!.crds!.required.map((c) => `${c.name}/${c.versions.join(",")}`);
    expect(names).toEqual(expect.arrayContaining(["datauploads.velero.io/v2alpha1", "datadownloads.velero.io/v2alpha1"]));
  });
  it("aws-load-balancer-controller: its certificate volume is mode 0644 (420 in decimal)", () => {
    const { objects } = rendered("aws-load-balancer-controller");
    const deployment = read<{ spec: { template: { spec: { volumes: { secret?: { defaultMode: number } }[] } } } }>(objects.find((o) => o.kind === "Deployment"));
    expect(deployment.spec.template.spec.volumes[0]!.secret!.defaultMode).toBe(0o644);
  });
  it("external-secrets: the webhook's ServiceAccount has no permissions; the CRD source leaves kustomization.yaml out", () => {
    const { objects } = rendered("external-secrets");
    expect(grantedAtoms(objects, "external-secrets").has("external-secrets-webhook")).toBe(false);
    const source = findAddon("external-secrets")!.crds!.source;
    expect(source.from === "upstream" && source.include).toBe("{external-secrets.io,generators.external-secrets.io}_*.yaml");
  });
  it("cert-manager: CRDs from the release's plain CRD asset, not the Helm templates in deploy/crds", () => {
    expect(findAddon("cert-manager")!.crds!.source).toMatchObject({ from: "release-asset", asset: "cert-manager.crds.yaml" });
  });
  it("karpenter: never creates nodes, never creates or deletes NodePools or EC2NodeClasses, reads no ConfigMaps", () => {
    const granted = grantedAtoms(rendered("karpenter").objects, "karpenter").get("karpenter")!;
    for (const a of ["cluster core/nodes create", "cluster karpenter.sh/nodepools create", "cluster karpenter.sh/nodepools delete", "cluster karpenter.k8s.aws/ec2nodeclasses create", "cluster karpenter.k8s.aws/ec2nodeclasses delete", "cluster core/configmaps get"]) {
      expect(granted.has(a), a).toBe(false);
    }
  });
  it("platform controllers tolerate the system NodePool's CriticalAddonsOnly taint", () => {
    for (const addon of ALL_BUT_CA) {
      for (const d of rendered(addon).objects.filter((o) => o.kind === "Deployment").map((o) => read<{ metadata: { name: string }; spec: { template: { spec: { tolerations?: { key?: string }[] } } } }>(o))) {
        expect(d.spec.template.spec.tolerations?.some((t) => t.key === "CriticalAddonsOnly"), `${addon}/${d.metadata.name}`).toBe(true);
      }
    }
  });
  it("monitoring: Prometheus claims the encrypted gp3 StorageClass the EBS CSI driver add-on renders", () => {
    const prometheus = read<{ spec: { storage: { volumeClaimTemplate: { spec: { storageClassName: string } } } } }>(rendered("monitoring").objects.find((o) => o.kind === "Prometheus"));
    const sc = read<{ metadata: { name: string }; parameters: Record<string, string>; volumeBindingMode: string }>(rendered("aws-ebs-csi-driver").objects.find((o) => o.kind === "StorageClass"));
    expect(prometheus.spec.storage.volumeClaimTemplate.spec.storageClassName).toBe(sc.metadata.name);
    expect(sc).toMatchObject({ parameters: { type: "gp3", encrypted: "true" }, volumeBindingMode: "WaitForFirstConsumer" });
    expect(findAddon("monitoring")!.requires).toContain("aws-ebs-csi-driver");
  });
  it("no add-on renders a PodIdentityAssociation (associations are created on the AWS side)", () => {
    for (const addon of addonNames()) expect(rendered(addon).objects.filter((o) => o.kind === "PodIdentityAssociation"), addon).toEqual([]);
  });
  it("fluent-bit's configuration uses only keys its plugins define at 4.0.3", () => {
    const text = fluentBitConfig("c", "us-east-1", "info", ["kube-system"]);
    let section = "";
    for (const line of text.split("\n")) {
      const header = /^\[(\w+)\]$/.exec(line);
      if (header) { section = header[1]!; continue; }
      const m = /^\s+(\S+)\s+(.*)$/.exec(line);
      if (!m) continue;
      if (m[1]!.toLowerCase() === "name") section = `${section.split(" ")[0]} ${m[2]!.trim()}`;
      const known = fluentBitConfigKeys[section === "SERVICE" ? "SERVICE" : section];
      expect(known, `section ${section}`).toBeDefined();
      expect(known!.includes(m[1]!.toLowerCase()), `${section}: ${m[1]}`).toBe(true);
    }
  });
});
