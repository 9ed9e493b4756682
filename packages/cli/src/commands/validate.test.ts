import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderFleet } from "@slipway/render";
import { editFile, fixtureFleetCopies } from "@slipway/testing";
import type { ValidationReport } from "@slipway/validate";
import { slipway } from "../test-io";

/**
 * The validator's fixtures, copied outside any fleet repository: PATHs are relative to where the
 * command runs, and `--policy` would otherwise find the enclosing repository's rendered fleet.
 */
const scratch = mkdtempSync(join(tmpdir(), "slipway-validate-"));
const fixtures = join(scratch, "fixtures");
cpSync(join(import.meta.dirname, "../../../validate/fixtures"), fixtures, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], opts: { cwd?: string; stdin?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  const r = await slipway(opts.cwd ?? fixtures, ["validate", ...argv], { stdin: opts.stdin ?? "" });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

/**
 * A small XML 1.0 well-formedness check: one root, properly nested and closed tags,
 * quoted attributes without duplicates, no raw '<' or '&' in text or attribute values.
 */
function assertWellFormedXml(xml: string): { root: string; elements: string[] } {
  let i = 0;
  const stack: string[] = [];
  const elements: string[] = [];
  let root: string | undefined;
  const name = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
  const checkText = (t: string): void => {
    if (t.includes("<")) throw new Error(`raw '<' in ${JSON.stringify(t)}`);
    const amp = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(t);
    if (amp) throw new Error(`bad entity near ${JSON.stringify(t.slice(amp.index, amp.index + 10))}`);
  };
  if (xml.startsWith("<?xml")) i = xml.indexOf("?>") + 2;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    checkText(text);
    if (stack.length === 0 && text.trim() !== "") throw new Error("text outside the root element");
    if (lt < 0) break;
    const gt = xml.indexOf(">", lt);
    if (gt < 0) throw new Error("unterminated tag");
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith("/")) {
      const open = stack.pop();
      if (open !== tag.slice(1).trim()) throw new Error(`</${tag.slice(1)}> closes <${String(open)}>`);
      continue;
    }
    name.lastIndex = 0;
    const m = name.exec(tag);
    if (!m) throw new Error(`bad tag <${tag}>`);
    const el = m[0];
    if (stack.length === 0) {
      if (root !== undefined) throw new Error("second root element");
      root = el;
    }
    elements.push(el);
    const selfClosing = tag.endsWith("/");
    const attrs = tag.slice(el.length, selfClosing ? -1 : undefined);
    const seen = new Set<string>();
    const attr = /\s+([A-Za-z_:][-A-Za-z0-9_:.]*)="([^"]*)"/y;
    let pos = 0;
    while (pos < attrs.length && attrs.slice(pos).trim() !== "") {
      attr.lastIndex = pos;
      const a = attr.exec(attrs);
      if (!a) throw new Error(`bad attributes in <${tag}>`);
      if (seen.has(a[1]!)) throw new Error(`duplicate attribute ${a[1]}`);
      seen.add(a[1]!);
      checkText(a[2]!);
      pos = attr.lastIndex;
    }
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("><")}>`);
  if (!root) throw new Error("no root element");
  return { root, elements };
}

describe("slipway validate command", () => {
  it("GIVEN --help THEN it prints usage and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: slipway validate/);
    expect(r.out).toContain("--schema-location");
  });

  it("GIVEN an unknown flag, a bad version, a bad format, a missing file or an unknown policy THEN exit 2 with the message, then the usage", async () => {
    const cases: [string[], RegExp][] = [
      [["--frobnicate"], /^Unknown option '--frobnicate'\n/],
      [["--kubernetes-version", "2.0", "x.yaml"], /^Kubernetes version `2\.0` is not supported\n {2}expected: 1\.\d+ … 1\.\d+ \(major\.minor, e\.g\. 1\.31\)\n {2}received: 2\.0\n/],
      [["-o", "xml", "x.yaml"], /^unknown output format `xml`\n {2}expected: pretty \| json \| junit \| github\n/],
      [["missing.yaml"], /^missing\.yaml: no such file or directory\n/],
      [["--policy", "moon", "valid"], /^unknown environment `moon`\n {2}expected: dev \| development \| prod \| production \| sandbox \| stage \| staging \| test\n {2}received: moon\n/],
      [["--policy", "prdo", "valid"], /fix: did you mean `--policy prod`\?/],
      [["--strict", "--no-strict", "valid"], /^--strict and --no-strict contradict each other\n/],
      [["--strict=maybe", "valid"], /^Option '--strict' does not take an argument/],
      [["--schema-location", "no-such-dir", "valid"], /^--schema-location does not exist\n/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err, argv.join(" ")).toMatch(message);
      expect(r.err, argv.join(" ")).toContain("\n\nUsage: slipway validate");
    }
  });

  it("GIVEN stdin ('-') THEN it validates the piped YAML and names it <stdin>", async () => {
    const stdin = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n    - port: 80\n      targetPort: \"8080\"\n";
    const r = await run(["-", "-o", "json"], { stdin });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as ValidationReport;
    expect(report.findings.map((f) => [f.file, f.line, f.rule, f.path])).toEqual([["<stdin>", 7, "SW-SCHEMA-INTORSTR", "spec.ports[0].targetPort"]]);
    expect((await run(["-"], { stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n" })).code).toBe(0);
  });

  it("GIVEN a directory THEN --output junit is well-formed JUnit XML with one test case per object", async () => {
    const r = await run(["invalid", "--output", "junit", "--policy", "prod"]);
    expect(r.code).toBe(1);
    const { root, elements } = assertWellFormedXml(r.out);
    expect(root).toBe("testsuites");
    expect(elements).toContain("testsuite");
    expect(elements).toContain("failure");
    const tests = Number(/<testsuites[^>]* tests="(\d+)"/.exec(r.out)?.[1]);
    const cases = (r.out.match(/<testcase /g) ?? []).length;
    expect(tests).toBe(cases);
    expect(tests).toBeGreaterThan(100);
  });

  it("GIVEN the junit writer THEN characters XML cannot carry are escaped or dropped", async () => {
    const stdin = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    "a<b&c": "\\u0001\\"quoted\\" <v>"\n';
    const r = await run(["-", "-o", "junit"], { stdin });
    expect(r.code).toBe(1);
    assertWellFormedXml(r.out);
  });

  it("GIVEN --output github THEN findings are workflow annotations", async () => {
    const r = await run(["invalid/sem-name-uppercase.yaml", "invalid/api-flowcontrol-v1beta3-deprecated.yaml", "-o", "github", "--kubernetes-version", "1.30"]);
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toMatch(/^::warning file=invalid\/api-flowcontrol-v1beta3-deprecated.yaml,line=3,title=SW-API-DEPRECATED FlowSchema platform-controllers apiVersion::/);
    expect(lines[1]).toMatch(/^::error file=invalid\/sem-name-uppercase.yaml,line=5,title=SW-SEM-NAME ConfigMap shop-prod\/Settings metadata.name::.*%0Afix%3A|^::error file=invalid\/sem-name-uppercase.yaml,line=5,title=SW-SEM-NAME ConfigMap shop-prod\/Settings metadata.name::.*%0Afix: /);
  });

  it("GIVEN --summary THEN it prints counts and lists exemptions with their reasons", async () => {
    const stdin = `apiVersion: v1
kind: Service
metadata:
  name: edge
  namespace: shop-prod
  labels: {slipway.dev/tenant: shop}
  annotations:
    exempt.slipway.dev/SW-GR-SERVICE-TYPE: "NLB for TCP passthrough, ticket NET-42"
    service.beta.kubernetes.io/aws-load-balancer-scheme: internal
spec:
  type: LoadBalancer
  selector: {app: edge}
  ports: [{name: tcp, port: 443}]
`;
    const r = await run(["-", "--policy", "prod", "--summary"], { stdin });
    expect(r.code).toBe(0);
    expect(r.out).toContain("Summary: 1 object in 1 file (Kubernetes 1.33): 1 valid, 0 errors, 0 warnings, 0 skipped, 1 exemption");
    expect(r.out).toContain("SW-GR-SERVICE-TYPE Service shop-prod/edge (<stdin>:1): NLB for TCP passthrough, ticket NET-42");
  });

  it("GIVEN --skip, --ignore-missing-schemas and --no-strict THEN those objects and findings are left out", async () => {
    const stdin = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\nextra: 1\n";
    expect((await run(["-"], { stdin })).code).toBe(1);
    const skipped = JSON.parse((await run(["-", "--ignore-missing-schemas", "--skip", "v1/ConfigMap", "-o", "json"], { stdin })).out) as ValidationReport;
    expect(skipped.findings).toEqual([]);
    expect(skipped.summary.skipped).toBe(2);
    expect((await run(["-", "--ignore-missing-schemas", "--strict=false"], { stdin })).code).toBe(0);
    expect((await run(["-", "--no-strict"], { stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nmetadata: {name: d}\n" })).code).toBe(0);
  });
});

describe("--schema-location", () => {
  const dir = mkdtempSync(join(tmpdir(), "slipway-schemas-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "gadget-crd.yaml"), `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Gadget, plural: gadgets}
  versions:
    - name: v1
      served: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                replicas: {type: integer}
                port: {x-kubernetes-int-or-string: true}
`);
  writeFileSync(join(dir, "widget-example-v1.json"), JSON.stringify({ type: "object", properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, spec: { type: "object", properties: { size: { type: "integer", minimum: 1 } }, additionalProperties: false } } }));

  it("GIVEN a CRD YAML file THEN custom resources validate against its openAPIV3Schema, strictly", async () => {
    const stdin = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: a}\nspec:\n  replicas: 2\n  port: \"80\"\n  colour: red\n";
    const r = JSON.parse((await run(["-", "--schema-location", dir, "-o", "json"], { stdin })).out) as ValidationReport;
    expect(r.findings.map((f) => `${f.rule} ${f.path}`)).toEqual(["SW-SCHEMA-INTORSTR spec.port", "SW-SCHEMA-UNKNOWN spec.colour"]);
  });

  it("GIVEN a kubeconform-style JSON schema file THEN its kind is taken from the file name", async () => {
    const stdin = "apiVersion: example/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  size: 0\n";
    const r = JSON.parse((await run(["-", "--schema-location", dir, "-o", "json"], { stdin })).out) as ValidationReport;
    expect(r.findings.map((f) => `${f.rule} ${f.path}`)).toEqual(["SW-SCHEMA-FORMAT spec.size"]);
  });

  it("GIVEN kubeconform's file-name template THEN the schema it names is used; an unknown field or an http(s) location is a usage error", async () => {
    const stdin = "apiVersion: example/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  size: 0\n";
    const r = JSON.parse((await run(["-", "--schema-location", join(dir, "{{ .ResourceKind }}{{ .KindSuffix }}.json"), "-o", "json"], { stdin })).out) as ValidationReport;
    expect(r.findings.map((f) => `${f.rule} ${f.path}`)).toEqual(["SW-SCHEMA-FORMAT spec.size"]);
    const unknown = await run(["-", "--schema-location", "x/{{ .Foo }}.json"], { stdin });
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringMatching(/unknown template field \.Foo; known: \.NormalizedKubernetesVersion/)]);
    const http = await run(["-", "--schema-location", "https://example.com/{{ .ResourceKind }}.json"], { stdin });
    expect([http.code, http.err]).toEqual([2, expect.stringMatching(/read offline/)]);
  });
});

describe("stdin", () => {
  it("GIVEN an empty stdin with - THEN it exits 1 saying the input is empty", async () => {
    const r = await run(["-"], { stdin: "" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/SW-YAML-EMPTY[\s\S]*<stdin> has no Kubernetes object: the input is empty/);
  });
});

describe("fleet mode", () => {
  const root = mkdtempSync(join(tmpdir(), "slipway-fleet-"));
  mkdirSync(join(root, "environments"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function writeCluster(name: string, version: string, files: Record<string, { env?: string; text: string; kind: string; name: string; namespace?: string }>): void {
    const dir = join(root, "clusters", name);
    const entries: Record<string, unknown> = {};
    for (const [rel, f] of Object.entries(files)) {
      mkdirSync(join(dir, rel, ".."), { recursive: true });
      writeFileSync(join(dir, rel), f.text);
      entries[rel] = { sha256: "0".repeat(64), apiVersion: "v1", kind: f.kind, name: f.name, ...(f.namespace ? { namespace: f.namespace } : {}), ...(f.env ? { environment: f.env, tenant: "shop" } : {}) };
    }
    const policy = (strict: boolean) => ({ guardrails: strict ? "strict" : "relaxed", minReplicas: strict ? 2 : 1, requirePdb: strict, requireDigest: strict, trustedRegistries: ["public.ecr.aws/"] });
    writeFileSync(join(dir, "rendered.json"), JSON.stringify({ cluster: name, kubernetesVersion: version, environments: { dev: policy(false), prod: policy(true) }, files: entries }, null, 2));
    // A cluster directory without cluster.ts is SW-FLEET-UNOWNED: fleet mode validates only clusters of the fleet.
    writeFileSync(join(dir, "cluster.ts"), "// the cluster's definition (not read by validate)\n");
  }

  const ns = (n: string) => ({ kind: "Namespace", name: n, text: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n  labels: {slipway.dev/tenant: shop}\n` });
  const secret = (n: string, env: string) => ({ env, kind: "Secret", name: "db", namespace: n, text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${n}\n  labels: {slipway.dev/tenant: shop}\nstringData: {password: x}\n` });
  const hpaBeta = { env: "dev", kind: "HorizontalPodAutoscaler", name: "web", namespace: "shop-dev", text: "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n  namespace: shop-dev\n  labels: {slipway.dev/tenant: shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 2\n" };
  const svc = (env: string, n: string) => ({ env, kind: "Service", name: "web", namespace: n, text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: ${n}\n  labels: {slipway.dev/tenant: shop}\nspec:\n  type: NodePort\n  ports: [{name: http, port: 80}]\n` });

  it("GIVEN no rendered tree THEN it says so and exits 1; outside a fleet, that it is not in one", async () => {
    const empty = mkdtempSync(join(tmpdir(), "slipway-empty-"));
    try {
      const outside = await run([], { cwd: empty });
      expect(outside.code).toBe(1);
      expect(outside.err).toMatch(/^not inside a Slipway fleet repository\n/);
      mkdirSync(join(empty, "environments"));
      mkdirSync(join(empty, "clusters"));
      const r = await run([], { cwd: empty });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^no rendered fleet to validate\n[\s\S]*fix: run `slipway render` first, or pass the files to validate: `slipway validate PATH…`\n$/);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });

  it("GIVEN two clusters THEN each validates against its version and each file with its environment's policy", async () => {
    writeCluster("old-eu", "1.25", { "namespaces/shop-dev.yaml": ns("shop-dev"), "dev/web/horizontalpodautoscaler-web.yaml": hpaBeta });
    writeCluster("prod-eu", "1.31", {
      "namespaces/shop-dev.yaml": ns("shop-dev"),
      "namespaces/shop-prod.yaml": ns("shop-prod"),
      "dev/web/service-web.yaml": svc("dev", "shop-dev"),
      "prod/web/service-web.yaml": svc("prod", "shop-prod"),
      "prod/web/secret-db.yaml": secret("shop-prod", "prod"),
      "addons/metrics/configmap.yaml": { kind: "ConfigMap", name: "metrics", namespace: "kube-system", text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: metrics\n  namespace: kube-system\n  labels: {slipway.dev/addon: metrics}\n" },
    });
    const r = await run(["-o", "json"], { cwd: root });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as ValidationReport;
    const got = report.findings.map((f) => `${f.file} ${f.rule} ${f.severity}`).sort();
    expect(got).toEqual([
      "clusters/old-eu/dev/web/horizontalpodautoscaler-web.yaml SW-API-DEPRECATED warning",
      "clusters/old-eu/dev/web/horizontalpodautoscaler-web.yaml SW-X-SCALE-TARGET error",
      "clusters/prod-eu/dev/web/service-web.yaml SW-GR-SERVICE-TYPE warning",
      "clusters/prod-eu/prod/web/secret-db.yaml SW-GR-SECRET-DATA error",
      "clusters/prod-eu/prod/web/service-web.yaml SW-GR-SERVICE-TYPE error",
    ]);
    expect(report.summary.kubernetesVersion).toBe("1.25, 1.31");
    expect(report.summary.objects).toBe(8);
  });

  it("GIVEN a file listed in rendered.json but missing THEN it is an error", async () => {
    writeCluster("gone", "1.30", { "namespaces/shop-dev.yaml": ns("shop-dev") });
    rmSync(join(root, "clusters", "gone", "namespaces", "shop-dev.yaml"));
    const r = await run(["-o", "json"], { cwd: root });
    const report = JSON.parse(r.out) as ValidationReport;
    expect(report.findings.some((f) => f.file === "clusters/gone/namespaces/shop-dev.yaml" && /missing on disk/.test(f.message))).toBe(true);
  });

  it("GIVEN --policy with a rendered tree THEN files use that environment's policy from rendered.json", async () => {
    const stdin = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: default\n";
    const r = JSON.parse((await run(["-", "--policy", "dev", "-o", "json"], { cwd: root, stdin })).out) as ValidationReport;
    expect(r.findings.map((f) => `${f.rule} ${f.severity}`).sort()).toEqual(["SW-GR-DEFAULT-NAMESPACE warning", "SW-GR-OWNER-LABEL warning"]);
  });
});

describe("fleet mode on the fixture fleet", () => {
  const fleet = fixtureFleetCopies("validate-", { prepare: (root) => renderFleet({ root, mode: "write" }) });

  it("GIVEN the rendered fixture fleet WHEN validated from the root or a subdirectory THEN it has no errors and exits 0", async () => {
    for (const cwd of [fleet.template, join(fleet.template, "clusters/prod-euw1")]) {
      const r = await run(["-o", "json"], { cwd });
      expect(r.code, r.err).toBe(0);
      const report = JSON.parse(r.out) as ValidationReport;
      expect(report.summary.errors).toBe(0);
      expect(report.findings.every((f) => f.file.startsWith("clusters/"))).toBe(true);
    }
  });

  it("GIVEN PATHs in a subdirectory THEN they are read relative to it, and --policy takes the fleet's own environment policy", async () => {
    const root = fleet("paths");
    const cwd = join(root, "clusters/dev-use1/dev");
    const r = await run(["storefront", "--policy", "dev", "-o", "json"], { cwd });
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as ValidationReport;
    expect(report.summary.files).toBeGreaterThan(1);
    expect(report.objects.every((o) => o.file.startsWith("storefront/"))).toBe(true);
    // The fixture's dev policy is relaxed: a guardrail finding there is a warning.
    editFile(join(cwd, "storefront/deployment-storefront.yaml"), (text) => text.replace(/image: (\S+)@sha256:[0-9a-f]{64}/, "image: $1"));
    const relaxed = JSON.parse((await run(["storefront", "--policy", "dev", "-o", "json"], { cwd })).out) as ValidationReport;
    expect(relaxed.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  it("GIVEN a rendered.json that is not JSON THEN it exits 1 naming the file and how to fix it", async () => {
    const root = fleet("broken-index");
    writeFileSync(join(root, "clusters/dev-use1/rendered.json"), "{ not json");
    const r = await run([], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^clusters\/dev-use1\/rendered\.json: is not valid JSON: .*\n {2}fix: render writes this file: run `slipway render`\n$/);
  });
});
