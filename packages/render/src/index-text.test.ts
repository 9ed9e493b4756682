import type { RenderedFileEntry, RenderedIndex } from "@slipway/core";
import { describe, expect, it } from "vitest";
import { entriesText, IndexText } from "./index-text";

const entry = (environment: string, app: string, kind: string, sha = "a"): RenderedFileEntry => ({ sha256: sha.repeat(64), apiVersion: "v1", kind, name: app, namespace: app, environment, app });

/** An index as render writes it: files sorted by path, the text JSON.stringify's. */
function indexOf(files: [string, RenderedFileEntry][]): { index: RenderedIndex; text: string } {
  const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const index: RenderedIndex = {
    cluster: "dev-use1",
    kubernetesVersion: "1.34",
    environments: { dev: { guardrails: "relaxed", minReplicas: 1, requirePdb: false, requireDigest: false, trustedRegistries: ["registry.example/"] } },
    files: Object.fromEntries(sorted),
  };
  return { index, text: `${JSON.stringify(index, null, 2)}\n` };
}

const instance = (environment: string, app: string, kinds: string[], sha = "a"): [string, RenderedFileEntry][] =>
  kinds.map((kind) => [`${environment}/${app}/${kind.toLowerCase()}-${app}.yaml`, entry(environment, app, kind, sha)]);

const platform: [string, RenderedFileEntry][] = [
  ["addons/metrics-server/deployment-metrics-server.yaml", { sha256: "c".repeat(64), apiVersion: "apps/v1", kind: "Deployment", name: "metrics-server", addon: "metrics-server" }],
  ["argocd/bootstrap.yaml", { sha256: "d".repeat(64), apiVersion: "argoproj.io/v1alpha1", kind: "Application", name: "bootstrap" }],
  ["tenants/payments/namespace-payments.yaml", { sha256: "e".repeat(64), apiVersion: "v1", kind: "Namespace", name: "payments", tenant: "payments" }],
];

describe("rendered.json read and rewritten in parts", () => {
  const apps = ["app-1", "app-10", "app-2", "web"];
  const before = [...platform, ...apps.flatMap((app) => instance("dev", app, ["Deployment", "Service", "ConfigMap"]))];
  const { index, text } = indexOf(before);
  const view = IndexText.of(text)!;

  it("GIVEN an index as render writes it WHEN read in parts THEN its head, count and each instance's entries are found", () => {
    expect(view.hasHead(index)).toBe(true);
    expect(view.hasHead({ ...index, kubernetesVersion: "1.33" })).toBe(false);
    expect(Object.keys((JSON.parse(view.text) as RenderedIndex).files)).toHaveLength(before.length);
    for (const app of apps) {
      const block = view.block(`dev/${app}/`)!;
      // `app-1` is a prefix of `app-10` as a name, never as a directory.
      expect(block.entries).toEqual(instance("dev", app, ["ConfigMap", "Deployment", "Service"]));
      expect(text.slice(block.start, block.end)).toBe(entriesText(block.entries));
    }
    expect(view.block("dev/absent/")).toBeUndefined();
    expect(view.block("argocd/")!.entries.map(([path]) => path)).toEqual(["argocd/bootstrap.yaml"]);
  });

  it("GIVEN instances whose files changed, grew and shrank WHEN their entries are replaced in the text THEN it equals the whole updated index stringified", () => {
    const next: Record<string, [string, RenderedFileEntry][]> = {
      "app-1": instance("dev", "app-1", ["Deployment", "Service", "ConfigMap", "PodDisruptionBudget"], "f"),
      "app-2": instance("dev", "app-2", ["Deployment"], "f"),
      web: instance("dev", "web", ["Service", "Deployment", "ConfigMap"], "9"),
    };
    // Replacements in any order: the last block in the files, the first instance, one in between.
    const spliced = view.splice(["web", "app-1", "app-2"].map((app) => ({ block: view.block(`dev/${app}/`)!, entries: next[app]! })));
    const after = [...platform, ...apps.flatMap((app) => next[app] ?? instance("dev", app, ["Deployment", "Service", "ConfigMap"]))];
    expect(spliced).toBe(indexOf(after).text);
    expect(Object.keys((JSON.parse(spliced) as RenderedIndex).files)).toHaveLength(after.length);
  });

  it("GIVEN a text not laid out as render writes it WHEN read in parts THEN it is refused", () => {
    expect(IndexText.of(JSON.stringify(index))).toBeUndefined();
    expect(IndexText.of(indexOf([]).text)).toBeUndefined();
    expect(() => entriesText([])).toThrow();
  });
});
