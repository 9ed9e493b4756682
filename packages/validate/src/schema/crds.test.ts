/**
 * Custom resources against the upstream CRDs the add-ons pin (schemas/crds/): their schemas,
 * CEL rules, served versions and status subresources; kubeconform's schema locations and RE2
 * patterns; and the add-on version as the one source of the schema data.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { addonNames, findAddon } from "@slipway/addons";
import { validateManifests } from "../validate";
import { compileRule } from "./cel";
import { CRD_DIR } from "./crds";
import { re2 } from "./re2";

type O = Record<string, unknown>;
const fixture = (name: string): O => parse(readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "valid", name), "utf8")) as O;
const run = (o: unknown, options = {}): { rule: string; path: string }[] =>
  validateManifests([{ file: "x.yaml", object: o }], options).findings.map((f) => ({ rule: f.rule, path: f.path }));
const nodePool = (mutate: (spec: O) => void): O => {
  const o = structuredClone(fixture("karpenter-nodepool.yaml"));
  mutate(o.spec as O);
  return o;
};
const reqs = (spec: O): O[] => ((spec.template as O).spec as O).requirements as O[];

describe("upstream CRD schemas at the pinned add-on versions", () => {
  it("GIVEN a NodePool requirement with operator Gte (not in Karpenter 1.6) THEN SW-SCHEMA-ENUM at the operator", () => {
    expect(run(nodePool((s) => ((reqs(s)[0] as O).operator = "Gte")))).toEqual([{ rule: "SW-SCHEMA-ENUM", path: "spec.template.spec.requirements[0].operator" }]);
    expect(run(nodePool((s) => ((reqs(s)[0] as O).operator = "NotIn")))).toEqual([]);
  });
  it("GIVEN disruption without consolidateAfter THEN SW-SCHEMA-REQUIRED; with it, valid", () => {
    expect(run(nodePool((s) => delete (s.disruption as O).consolidateAfter))).toEqual([{ rule: "SW-SCHEMA-REQUIRED", path: "spec.disruption.consolidateAfter" }]);
    expect(run(nodePool(() => undefined))).toEqual([]);
  });
  it("GIVEN a requirement In with no values THEN Karpenter's CEL rule rejects it at the list", () => {
    expect(run(nodePool((s) => ((reqs(s)[0] as O).values = [])))).toEqual([{ rule: "SW-SCHEMA-CEL", path: "spec.template.spec.requirements" }]);
  });
  it("GIVEN a requirement on the restricted kubernetes.io/hostname label THEN the key's CEL rule rejects it", () => {
    expect(run(nodePool((s) => ((reqs(s)[1] as O).key = "kubernetes.io/hostname")))).toEqual([{ rule: "SW-SCHEMA-CEL", path: "spec.template.spec.requirements[1].key" }]);
    expect(run(nodePool((s) => ((reqs(s)[1] as O).key = "topology.kubernetes.io/zone")))).toEqual([]);
  });
  it("GIVEN external-secrets.io/v1beta1 (served: false in v0.18.2) THEN SW-API-REMOVED naming v1; karpenter.sh/v1beta1 likewise", () => {
    const es = { apiVersion: "external-secrets.io/v1beta1", kind: "ExternalSecret", metadata: { name: "db", namespace: "shop" }, spec: {} };
    const r = validateManifests([{ file: "x.yaml", object: es }]).findings;
    expect(r.map((f) => [f.rule, f.path, f.severity])).toEqual([["SW-API-REMOVED", "apiVersion", "error"]]);
    expect(r[0]?.message).toMatch(/external-secrets v0\.18\.2.*served: false.*external-secrets\.io\/v1/);
    expect(run({ ...nodePool(() => undefined), apiVersion: "karpenter.sh/v1beta1" })).toEqual([{ rule: "SW-API-REMOVED", path: "apiVersion" }]);
  });
  it("GIVEN status on a custom resource whose CRD has a status subresource (kubectl get -o yaml) THEN it is accepted", () => {
    const es = { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: { name: "db", namespace: "shop" }, spec: { secretStoreRef: { name: "aws", kind: "ClusterSecretStore" }, target: { name: "db" }, data: [{ secretKey: "password", remoteRef: { key: "prod/db" } }] }, status: { refreshTime: "2025-01-01T00:00:00Z", conditions: [{ type: "Ready", status: "True" }], anything: 1 } };
    expect(run(es)).toEqual([]);
  });
  it("GIVEN upstream fields the hand-written schemas lacked THEN they are accepted", () => {
    const cert = { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "web", namespace: "shop" }, spec: { secretName: "web-tls", dnsNames: ["shop.example.com"], issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" }, signatureAlgorithm: "SHA256WithRSA" } };
    const sm = { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "web", namespace: "shop" }, spec: { selector: { matchLabels: { app: "web" } }, endpoints: [{ port: "metrics", proxyFromEnvironment: true }] } };
    const kp = { apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", metadata: { name: "p" }, spec: { rules: [{ name: "r", match: { any: [{ resources: { kinds: ["Pod"] } }] }, reportProperties: { team: "platform" }, validate: { message: "m", pattern: { metadata: { labels: { team: "?*" } } } } }] } };
    expect([run(cert), run(sm), run(kp)]).toEqual([[], [], []]);
  });
  it("GIVEN every CEL rule of every shipped CRD THEN each compiles (or is a transition rule, skipped on create)", () => {
    const problems: string[] = [];
    const walk = (s: unknown): void => {
      if (Array.isArray(s)) s.forEach(walk);
      else if (s && typeof s === "object") {
        for (const r of ((s as O)["x-kubernetes-validations"] as { rule: string }[] | undefined) ?? []) {
          const c = compileRule(r);
          if (c.kind === "unsupported") problems.push(`${r.rule}: ${c.problem}`);
        }
        Object.values(s).forEach(walk);
      }
    };
    for (const g of readdirSync(CRD_DIR, { withFileTypes: true })) if (g.isDirectory()) for (const f of readdirSync(join(CRD_DIR, g.name))) walk((JSON.parse(readFileSync(join(CRD_DIR, g.name, f), "utf8")) as O).schema);
    expect(problems).toEqual([]);
  });
  it("GIVEN each add-on module THEN its shipped CRD data is of the version the module is written for (one source)", () => {
    const index = JSON.parse(readFileSync(join(CRD_DIR, "index.json"), "utf8")) as Record<string, { version: string }>;
    const bare = (v: string): string => v.replace(/^v/, "");
    for (const [addon, { version }] of Object.entries(index)) {
      const module = findAddon(addon);
      if (!module) continue; // not an add-on of the fleet (ack-eks: see scripts/crd-sources.tsv)
      expect({ addon, version: bare(version) }).toEqual({ addon, version: bare(module.defaultVersion) });
    }
  });
});

describe("the add-on modules' CRDs", () => {
  it("GIVEN every CRD an add-on module requires THEN the shipped data serves each of its versions, from the add-on's pinned version", () => {
    const index = JSON.parse(readFileSync(join(CRD_DIR, "index.json"), "utf8")) as Record<string, { files: string[] }>;
    const missing: string[] = [];
    for (const name of addonNames()) {
      const crds = findAddon(name)?.crds;
      if (!crds) continue;
      for (const ref of crds.required) {
        const group = ref.name.slice(ref.name.indexOf(".") + 1);
        for (const v of ref.versions) {
          const rel = `${group}/${ref.kind.toLowerCase()}_${v}.json`;
          const served = index[name]?.files.includes(rel) && (JSON.parse(readFileSync(join(CRD_DIR, rel), "utf8")) as { served: boolean }).served;
          if (!served) missing.push(`${name}: ${rel}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("kubeconform's schema locations and RE2 patterns", () => {
  const prometheusRuleCrd = (): O => {
    const d = JSON.parse(readFileSync(join(CRD_DIR, "monitoring.coreos.com", "prometheusrule_v1.json"), "utf8")) as O;
    return { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "prometheusrules.monitoring.coreos.com" }, spec: { group: "monitoring.coreos.com", scope: "Namespaced", names: { kind: "PrometheusRule", plural: "prometheusrules" }, versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: d.schema } }] } };
  };
  const rule = (strategy: string): O => ({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "r", namespace: "shop" }, spec: { groups: [{ name: "g", partial_response_strategy: strategy, rules: [{ alert: "A", expr: "up == 0" }] }] } });
  it("GIVEN the upstream PrometheusRule CRD with ^(?i)(abort|warn)?$ as --schema-location THEN ABORT is valid and bogus is SW-SCHEMA-FORMAT, no crash", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-crd-"));
    writeFileSync(join(dir, "prometheusrules.yaml"), stringify(prometheusRuleCrd()));
    expect(run(rule("ABORT"), { schemaLocations: [dir] })).toEqual([]);
    expect(run(rule("bogus"), { schemaLocations: [dir] })).toEqual([{ rule: "SW-SCHEMA-FORMAT", path: "spec.groups[0].partial_response_strategy" }]);
  });
  it("GIVEN RE2 syntax THEN translated, or a reason (never a throw)", () => {
    const ok = (p: string, v: string): boolean => {
      const r = re2(p);
      return "re" in r && r.re.test(v);
    };
    expect([ok("^(?i)(abort|warn)?$", "Warn"), ok("^((?i)jan|feb)$", "JAN"), ok("\\Aa\\z", "a"), ok("[[:digit:]]+", "12"), ok("(?P<n>a)", "a"), ok("(?s)a.b", "a\nb")]).toEqual([true, true, true, true, true, true]);
    expect(re2("(?U)a+")).toEqual({ problem: expect.stringMatching(/ungreedy/) });
  });
  it("GIVEN kubeconform file-name templates THEN {{ .ResourceKind }}{{ .KindSuffix }} and {{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}} find the schema", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-tpl-"));
    const schema = { type: "object", properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, spec: { type: "object", required: ["size"], properties: { size: { type: "integer" } } } } };
    writeFileSync(join(dir, "widget-example-v1.json"), JSON.stringify(schema));
    mkdirSync(join(dir, "example.com"));
    writeFileSync(join(dir, "example.com", "gadget_v2.json"), JSON.stringify(schema));
    const widget = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "shop" }, spec: { size: "big" } };
    const gadget = { ...widget, apiVersion: "example.com/v2", kind: "Gadget" };
    expect(run(widget, { schemaLocations: [join(dir, "{{ .ResourceKind }}{{ .KindSuffix }}.json")] })).toEqual([{ rule: "SW-SCHEMA-TYPE", path: "spec.size" }]);
    expect(run(gadget, { schemaLocations: [join(dir, "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json")] })).toEqual([{ rule: "SW-SCHEMA-TYPE", path: "spec.size" }]);
    expect(run({ ...gadget, spec: { size: 1 } }, { schemaLocations: [join(dir, "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json")] })).toEqual([]);
  });
});

describe("a user's CRD among the validated objects", () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations:
                - rule: "self.min <= self.max"
                  message: "min must not exceed max"
                - rule: "self.name.reverse() != ''"
              properties:
                min: {type: integer}
                max: {type: integer}
                name: {type: string, pattern: "(?U)a+"}
                tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
                ports:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [port]
                  items: {type: object, properties: {port: {type: integer}}}
    - name: v0
      served: false
      storage: false
`;
  const widget = (spec: string, apiVersion = "example.com/v1"): { rule: string; path: string; severity: string }[] =>
    validateManifests([{ file: "crd.yaml", text: crd }, { file: "w.yaml", text: `apiVersion: ${apiVersion}\nkind: Widget\nmetadata: {name: w, namespace: shop}\nspec: ${spec}\nstatus: {anything: [1]}\n` }]).findings.map((f) => ({ rule: f.rule, path: f.path, severity: f.severity }));
  it("GIVEN its CEL rule fails THEN SW-SCHEMA-CEL with the CRD's message; a rule with a function the evaluator lacks is a warning", () => {
    expect(widget("{min: 3, max: 2}")).toEqual([
      { rule: "SW-SCHEMA-CEL", path: "spec", severity: "error" },
      { rule: "SW-SCHEMA-CEL-UNSUPPORTED", path: "spec", severity: "warning" },
    ]);
  });
  it("GIVEN list-type set and map duplicates and an untranslatable pattern THEN SW-SCHEMA-LISTTYPE twice and SW-SCHEMA-PATTERN (a warning)", () => {
    const f = widget("{min: 1, max: 2, name: aa, tags: [a, a], ports: [{port: 80}, {port: 80}]}").filter((x) => x.rule !== "SW-SCHEMA-CEL-UNSUPPORTED");
    const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : 1);
    expect(f.sort(byPath)).toEqual([
      { rule: "SW-SCHEMA-PATTERN", path: "spec.name", severity: "warning" },
      { rule: "SW-SCHEMA-LISTTYPE", path: "spec.ports[1]", severity: "error" },
      { rule: "SW-SCHEMA-LISTTYPE", path: "spec.tags[1]", severity: "error" },
    ].sort(byPath));
  });
  it("GIVEN its served: false version THEN SW-API-REMOVED", () => {
    expect(widget("{min: 1, max: 2}", "example.com/v0")).toEqual([{ rule: "SW-API-REMOVED", path: "apiVersion", severity: "error" }]);
  });
});

describe("no false alarms", () => {
  it("GIVEN empty documents (a trailing ---, ---/comment/---) THEN nothing is reported", () => {
    const text = "---\n# generated\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\n---\n";
    expect(validateManifests([{ file: "x.yaml", text }]).findings).toEqual([]);
  });
  it("GIVEN a duplicated key THEN SW-YAML-DUPKEY names the key and both lines", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: b\n  k: c\n";
    const f = validateManifests([{ file: "x.yaml", text }]).findings;
    expect(f.map((x) => [x.rule, x.line, x.path])).toEqual([["SW-YAML-DUPKEY", 7, "data.k"]]);
    expect(f[0]?.message).toMatch(/"k" \(data\.k\) at line 7 \(first at line 6\)/);
  });
  it("GIVEN a duplicated key inside a list item THEN its path has the item's index", () => {
    const text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: x:1\n      image: x:2\n";
    const f = validateManifests([{ file: "x.yaml", text }]).findings.filter((x) => x.rule === "SW-YAML-DUPKEY");
    expect(f.map((x) => [x.line, x.path])).toEqual([[9, "spec.containers[0].image"]]);
  });
  it("GIVEN the look-alike without the repeated key THEN no SW-YAML-DUPKEY", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: b\n  l: c\n";
    expect(validateManifests([{ file: "x.yaml", text }]).findings).toEqual([]);
  });
  it("GIVEN empty stdin THEN SW-YAML-EMPTY says so", () => {
    const f = validateManifests([{ file: "<stdin>", text: "", requireObjects: true }]).findings;
    expect(f.map((x) => [x.rule, x.message])).toEqual([["SW-YAML-EMPTY", "<stdin> has no Kubernetes object: the input is empty"]]);
  });
});
