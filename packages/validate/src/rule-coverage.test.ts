/**
 * Every rule the README documents has a manifest that fails with it (its rule ID and path
 * asserted) and a valid look-alike that passes. The cases live where their rule is tested:
 * `src/apiserver/apiserver.test.ts` (a bad and a good manifest per case), `fixtures/invalid/`
 * (an `# expect:` line and the `# look-alike:` edit that makes it valid, run by fixtures.test.ts),
 * the fleet-mode tests of fixture-fleet.test.ts (the clean fixture fleet is the look-alike), and
 * the pairs below, for the rules that need a CRD of their own, a policy, or stdin.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POLICY_PRESETS } from "./policy";
import type { ManifestSource, ValidateOptions } from "./types";
import { validateManifests } from "./validate";

const here = import.meta.dirname;
const readme = readFileSync(join(here, "..", "README.md"), "utf8");
/** The rule IDs of the README's rule catalogue (its rows start with the ID). */
const documented = [...new Set([...readme.matchAll(/^\| `(SW-[A-Z0-9-]+)` \|/gm)].map((m) => m[1]!))];

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gauges.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Gauge, plural: gauges}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations:
                - {rule: "self.low <= self.high", message: "low must not exceed high"}
              properties:
                low: {type: integer}
                high: {type: integer}
                unit: {type: string, pattern: "(?U)^[a-z]+$"}
                zones: {type: array, x-kubernetes-list-type: set, items: {type: string}}
            status:
              type: object
              x-kubernetes-validations:
                - {rule: "self.phase.reverse() != ''"}
              properties:
                phase: {type: string}
`;
const gauge = (spec: string, status = ""): ManifestSource[] => [
  { file: "crd.yaml", text: crd },
  { file: "gauge.yaml", text: `apiVersion: example.com/v1\nkind: Gauge\nmetadata: {name: g, namespace: shop}\nspec: ${spec}\n${status}` },
];
const externalSecret = (storeKind: string): ManifestSource[] => [
  {
    file: "es.yaml",
    text: `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: db\n  namespace: shop-prod\n  labels: {slipway.dev/tenant: shop}\nspec:\n  secretStoreRef: {name: tenant-secrets, kind: ${storeKind}}\n  target: {name: db}\n  data:\n    - secretKey: password\n      remoteRef: {key: shop/db}\n`,
  },
];

interface Pair {
  readonly rule: string;
  readonly path: string;
  readonly bad: ManifestSource[];
  readonly good: ManifestSource[];
  readonly options?: ValidateOptions;
}

const PAIRS: Pair[] = [
  { rule: "SW-SCHEMA-CEL", path: "spec", bad: gauge("{low: 3, high: 2}"), good: gauge("{low: 2, high: 3}") },
  { rule: "SW-SCHEMA-CEL-UNSUPPORTED", path: "status", bad: gauge("{low: 1, high: 2}", "status: {phase: Ready}\n"), good: gauge("{low: 1, high: 2}") },
  { rule: "SW-SCHEMA-LISTTYPE", path: "spec.zones[1]", bad: gauge("{low: 1, high: 2, zones: [a, a]}"), good: gauge("{low: 1, high: 2, zones: [a, b]}") },
  { rule: "SW-SCHEMA-PATTERN", path: "spec.unit", bad: gauge("{low: 1, high: 2, unit: celsius}"), good: gauge("{low: 1, high: 2}") },
  { rule: "SW-YAML-EMPTY", path: "", bad: [{ file: "<stdin>", text: "---\n# nothing\n---\n", requireObjects: true }], good: [{ file: "<stdin>", text: "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n---\n", requireObjects: true }] },
  { rule: "SW-GR-SHARED-SECRET-STORE", path: "spec.secretStoreRef.kind", bad: externalSecret("ClusterSecretStore"), good: externalSecret("SecretStore"), options: { policy: POLICY_PRESETS.prod } },
];

/** Rules of fleet mode: their failing and passing cases are fixture-fleet.test.ts's. */
const FLEET_MODE = ["SW-FLEET-UNOWNED", "SW-ARGO-APPLICATION"];

/**
 * Rules with a suite of their own, where each is flagged by one case and passes in a look-alike
 * (named "… THEN it passes" / "… THEN nothing is flagged" / "… nothing is reported").
 */
const OWN_SUITES: Readonly<Record<string, string>> = {
  "SW-GR-JOB-CLEANUP": "batch-guardrails.test.ts",
  "SW-GR-SPOT-RETRY": "batch-guardrails.test.ts",
  "SW-GR-S3-ACCESS-KEY": "batch-guardrails.test.ts",
  "SW-X-ALERT-SERIES": "scrape.test.ts",
  "SW-X-ALB-SHUTDOWN": "cross-golden-path.test.ts",
  "SW-X-NODEPOOL": "cross-golden-path.test.ts",
  "SW-X-STORAGECLASS": "cross-golden-path.test.ts",
};

const findings = (sources: ManifestSource[], options: ValidateOptions = {}): { rule: string; path: string }[] =>
  validateManifests(sources, options).findings.map((f) => ({ rule: f.rule, path: f.path }));

describe("rules that need a CRD, a policy or stdin: a failing manifest and its look-alike", () => {
  for (const p of PAIRS) {
    it(`GIVEN a manifest breaking ${p.rule} THEN exactly that finding at ${p.path || "(file)"}`, () => {
      expect(findings(p.bad, p.options)).toEqual([{ rule: p.rule, path: p.path }]);
    });
    it(`GIVEN the look-alike of the ${p.rule} case THEN no finding`, () => {
      expect(findings(p.good, p.options)).toEqual([]);
    });
  }
});

describe("README: every documented rule has a failing case and a passing look-alike", () => {
  const apiserverCases = readFileSync(join(here, "apiserver", "apiserver.test.ts"), "utf8")
    .split("\n")
    .filter((l) => /\bbad: /.test(l) && /\bgood: /.test(l))
    .map((l) => /rule: "(SW-[A-Z0-9-]+)"/.exec(l)?.[1]);
  const fixtures = join(here, "..", "fixtures", "invalid");
  const withLookAlike = readdirSync(fixtures)
    .map((f) => readFileSync(join(fixtures, f), "utf8"))
    .filter((t) => /^# look-alike: /m.test(t))
    .map((t) => /^# expect: (\S+)/m.exec(t)?.[1]);
  const fleetTest = readFileSync(join(here, "fixture-fleet.test.ts"), "utf8");
  const ownSuites = Object.entries(OWN_SUITES).filter(([rule, file]) => {
    const suite = readFileSync(join(here, file), "utf8");
    return suite.includes(rule) && /THEN (it passes|nothing is (flagged|reported))/.test(suite);
  });
  const covered = new Set([
    ...apiserverCases, ...withLookAlike, ...PAIRS.map((p) => p.rule), ...FLEET_MODE.filter((r) => fleetTest.includes(r)), ...ownSuites.map(([rule]) => rule),
  ]);

  it("GIVEN the README's rule table THEN it lists the rules (a sanity check of the reader)", () => {
    expect(documented.length).toBeGreaterThan(80);
    expect(documented).toContain("SW-SEM-TOLERATION");
  });
  it("GIVEN every documented rule ID THEN a case exercises it both ways", () => {
    expect(documented.filter((id) => !covered.has(id))).toEqual([]);
  });
  it("GIVEN the fixture fleet's fleet-mode test THEN the clean fleet (the look-alike) validates without errors", () => {
    expect(fleetTest).toMatch(/THEN there are no errors/);
  });
});
