/**
 * `checkSources` against a loopback GitHub serving the upstream listings recorded in
 * fixtures/upstream: the example fleet's sources pass, and each kind of bad source fails.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSource, checkSources, includeMatcher, type CheckSourcesOptions } from "./check-sources";
import { startFakeGitHub, type FakeGitHub } from "./github-fixtures";
import { addonNames, findAddon } from "./index";
import type { AddonCrds, AnyAddonModule } from "./types";

/** A fleet holding cert-manager's kustomization in addons/crds: the fixture fleet's. */
const ROOT = join(import.meta.dirname, "..", "..", "testing", "fleet");

let github: FakeGitHub;
let options: CheckSourcesOptions;
beforeAll(async () => {
  github = await startFakeGitHub();
  options = { apiUrl: github.url, root: ROOT };
});
afterAll(() => github.close());

const withCrds = (name: string, crds: Partial<AddonCrds> & Pick<AddonCrds, "source">): AnyAddonModule => {
  const module = findAddon(name)!;
  return { ...module, crds: { required: module.crds?.required ?? [], ...crds } };
};
const codes = (check: { problems: readonly { code: string }[] } | undefined) => [...new Set(check!.problems.map((p) => p.code))];

describe("includeMatcher: Argo CD's directory.include (gobwas/glob, no separators)", () => {
  it("matches alternatives, and lets * cross directories", () => {
    const m = includeMatcher("{external-secrets.io,generators.external-secrets.io}_*.yaml");
    expect(m.test("external-secrets.io_externalsecrets.yaml")).toBe(true);
    expect(m.test("generators.external-secrets.io_fakes.yaml")).toBe(true);
    expect(m.test("kustomization.yaml")).toBe(false);
    expect(includeMatcher("*.yaml").test("kyverno/kyverno.io_policies.yaml")).toBe(true);
    expect(includeMatcher("{v1,v2alpha1}/bases/*.yaml").test("v2alpha1/bases/velero.io_datauploads.yaml")).toBe(true);
    expect(includeMatcher("{v1,v2alpha1}/bases/*.yaml").test("v1/crds/crds.go")).toBe(false);
    expect(includeMatcher("crd-[!x]*.yaml").test("crd-issuers.yaml")).toBe(true);
  });
});

describe("the example fleet's CRD sources, at the versions they pin", () => {
  it("resolve to plain CRDs only, holding every CRD each add-on requires", async () => {
    const targets = addonNames().map((addon) => ({ addon, version: findAddon(addon)!.defaultVersion }));
    const checks = await checkSources(targets, options);
    expect(checks.map((c) => c.addon)).toEqual(["aws-load-balancer-controller", "cert-manager", "external-secrets", "karpenter", "kyverno", "monitoring", "spark-operator", "velero"]);
    for (const check of checks) expect({ addon: check.addon, problems: check.problems }).toEqual({ addon: check.addon, problems: [] });
    const velero = checks.find((c) => c.addon === "velero")!;
    expect(velero.files).toContain("config/crd/v2alpha1/bases/velero.io_datauploads.yaml");
    expect(velero.crds["datauploads.velero.io"]).toEqual(["v2alpha1"]);
    expect(checks.find((c) => c.addon === "external-secrets")!.files.some((f) => f.endsWith("kustomization.yaml"))).toBe(false);
    expect(checks.find((c) => c.addon === "cert-manager")!.source).toBe("cert-manager/cert-manager release v1.18.2: cert-manager.crds.yaml");
  });
});

describe("each kind of bad source fails", () => {
  it("an include that matches nothing (cert-manager's old source: deploy/crds holds crd-*.yaml)", async () => {
    const check = await checkSource(withCrds("cert-manager", { source: { from: "upstream", repoURL: "https://github.com/cert-manager/cert-manager", path: "deploy/crds", include: "{cert-manager.io,acme.cert-manager.io}_*.yaml" } }), "v1.18.2", options);
    expect(codes(check)).toEqual(["matches-nothing"]);
    expect(check!.problems[0]!.message).toMatch(/crd-certificates.yaml/);
  });
  it("files that are templates (deploy/crds of cert-manager v1.18.2, read as *.yaml)", async () => {
    const check = await checkSource(withCrds("cert-manager", { source: { from: "upstream", repoURL: "https://github.com/cert-manager/cert-manager", path: "deploy/crds" } }), "v1.18.2", options);
    expect(codes(check)).toEqual(["template", "missing-crd"]);
    expect(check!.problems.filter((p) => p.code === "template")).toHaveLength(6);
  });
  it("a file that is not a CRD (external-secrets' kustomization.yaml, without the include)", async () => {
    const check = await checkSource(withCrds("external-secrets", { source: { from: "upstream", repoURL: "https://github.com/external-secrets/external-secrets", path: "config/crds/bases" } }), "v0.18.2", options);
    expect(check!.problems).toEqual([
      { code: "not-a-crd", file: "config/crds/bases/kustomization.yaml", message: expect.stringMatching(/kustomize.config.k8s.io\/v1beta1 Kustomization, not a CustomResourceDefinition/) },
    ]);
  });
  it("a CRD the controller needs is missing (velero's v1 bases alone: no v2alpha1 DataUpload/DataDownload)", async () => {
    const check = await checkSource(withCrds("velero", { source: { from: "upstream", repoURL: "https://github.com/vmware-tanzu/velero", path: "config/crd/v1/bases" } }), "v1.16.2", options);
    expect(check!.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/has no CRD datadownloads.velero.io \(DataDownload v2alpha1\)/),
      expect.stringMatching(/has no CRD datauploads.velero.io \(DataUpload v2alpha1\)/),
    ]);
  });
  it("a required version the CRD does not serve", async () => {
    const check = await checkSource(withCrds("karpenter", { required: [{ name: "nodepools.karpenter.sh", kind: "NodePool", versions: ["v1beta1"] }], source: findAddon("karpenter")!.crds!.source }), "1.6.3", options);
    expect(check!.problems).toEqual([{ code: "missing-crd", message: expect.stringMatching(/does not serve v1beta1 \(serves v1\)/) }]);
  });
  it("a path that is not a directory at the tag, and a tag that does not exist", async () => {
    const alb = findAddon("aws-load-balancer-controller")!;
    expect(codes(await checkSource(withCrds(alb.name, { source: { from: "upstream", repoURL: "https://github.com/kubernetes-sigs/aws-load-balancer-controller", path: "config/crds" } }), "v2.13.4", options))).toEqual(["path-not-found"]);
    expect(codes(await checkSource(alb, "v2.99.0", options))).toEqual(["ref-not-found"]);
  });
  it("the non-recursive ALB CRD root holds kustomizations and patches, not CRDs", async () => {
    const check = await checkSource(withCrds("aws-load-balancer-controller", { source: { from: "upstream", repoURL: "https://github.com/kubernetes-sigs/aws-load-balancer-controller", path: "config/crd", recurse: true } }), "v2.13.4", options);
    expect(codes(check)).toContain("not-a-crd");
    expect(check!.problems.some((p) => p.file === "config/crd/kustomization.yaml")).toBe(true);
  });
  it("a release without the asset, and a kustomization that does not name the asset of the pinned tag", async () => {
    const certManager = findAddon("cert-manager")!;
    const source = certManager.crds!.source as Extract<AddonCrds["source"], { from: "release-asset" }>;
    expect(codes(await checkSource(withCrds("cert-manager", { source: { ...source, asset: "cert-manager-crds.yaml" } }), "v1.18.2", options))).toEqual(["asset-not-found"]);
    expect(codes(await checkSource(certManager, "v1.19.0", options))).toEqual(["release-not-found"]);
    const root = mkdtempSync(join(tmpdir(), "slipway-check-sources-"));
    mkdirSync(join(root, "addons/crds/cert-manager/v1.18.2"), { recursive: true });
    writeFileSync(join(root, "addons/crds/cert-manager/v1.18.2/kustomization.yaml"), "resources:\n  - https://github.com/cert-manager/cert-manager/releases/download/v1.17.0/cert-manager.crds.yaml\n");
    const stale = await checkSource(certManager, "v1.18.2", { ...options, root });
    expect(stale!.problems).toEqual([{ code: "kustomization", file: "addons/crds/cert-manager/v1.18.2/kustomization.yaml", message: expect.stringMatching(/must list exactly one resource, https:\/\/github.com\/cert-manager\/cert-manager\/releases\/download\/v1.18.2\/cert-manager.crds.yaml/) }]);
    expect(codes(await checkSource(certManager, "v1.18.2", { ...options, root: join(root, "nowhere") }))).toEqual(["kustomization"]);
  });
});

describe("talking to GitHub", () => {
  it("sends GITHUB_TOKEN as a bearer token, and only to the API it was given", async () => {
    const before = github.requests.length;
    await checkSource(findAddon("karpenter")!, "1.6.3", { ...options, token: "t0ken" });
    const sent = github.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) expect(r.headers.authorization).toBe("Bearer t0ken");
    expect(sent[0]!.path).toBe("/repos/aws/karpenter-provider-aws/git/trees/v1.6.3?recursive=1");
  });
  it("reports an API failure (an exhausted rate limit) as a problem of the source, with the fix", async () => {
    github.failWith(403);
    try {
      const check = await checkSource(findAddon("karpenter")!, "1.6.3", options);
      expect(check!.problems).toEqual([{ code: "github", message: expect.stringMatching(/GitHub answered 403 .*rate limit exhausted: set GITHUB_TOKEN/) }]);
    } finally {
      github.failWith(undefined);
    }
  });
});
