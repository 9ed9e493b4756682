import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { PART_MARKER_PATTERN } from "@slipway/diff";
import { startFakeGitHub, type FakeGitHub } from "@slipway/diff/testing";
import { createTempRepo, type TempRepo } from "@slipway/testing";
import { slipway } from "../test-io";

const digest = (c: string) => `sha256:${c.repeat(64)}`;

function deployment(app: string, env: string, opts: { image?: string; replicas?: number; env?: Record<string, string> } = {}) {
  return stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: app, namespace: `payments-${env}`, labels: { "app.kubernetes.io/name": app } },
    spec: {
      replicas: opts.replicas ?? 2,
      template: {
        spec: {
          containers: [{ name: "api", image: opts.image ?? `registry.example.com/payments/${app}:1.0.0@${digest("a")}`, env: Object.entries(opts.env ?? {}).map(([name, value]) => ({ name, value })) }],
        },
      },
    },
  });
}

function service(app: string, env: string) {
  return stringify({ apiVersion: "v1", kind: "Service", metadata: { name: app, namespace: `payments-${env}` }, spec: { ports: [{ name: "http", port: 80 }] } });
}

let repo: TempRepo | undefined;
let github: FakeGitHub | undefined;
afterEach(async () => {
  repo?.cleanup();
  repo = undefined;
  await github?.close();
  github = undefined;
});

/** A fleet repository needs `environments/` and `clusters/`; the diff reads only `clusters/`. */
const FLEET = { "environments/README.md": "environments\n" };

function baseRepo(): TempRepo {
  const r = createTempRepo({
    ...FLEET,
    "clusters/dev-eu/cluster.ts": "export default {};\n",
    "clusters/dev-eu/dev/checkout/deployment-checkout.yaml": deployment("checkout", "dev", { env: { DB_PASSWORD: "hunter2", LOG_LEVEL: "info" } }),
    "clusters/dev-eu/dev/checkout/service-checkout.yaml": service("checkout", "dev"),
    "clusters/dev-eu/dev/orders/deployment-orders.yaml": deployment("orders", "dev"),
    "clusters/prod-eu/prod/checkout/deployment-checkout.yaml": deployment("checkout", "prod", { replicas: 3 }),
  });
  r.commit("base");
  return r;
}

describe("slipway diff over real git revisions", () => {
  it("groups changes cluster → environment → app, masks secrets, flags risks, defaults head to the working tree", async () => {
    repo = baseRepo();
    repo.write({
      "clusters/dev-eu/dev/checkout/deployment-checkout.yaml": deployment("checkout", "dev", { image: `registry.example.com/payments/checkout:1.1.0@${digest("b")}`, env: { DB_PASSWORD: "s3cret!", LOG_LEVEL: "info" } }),
      "clusters/prod-eu/prod/checkout/deployment-checkout.yaml": deployment("checkout", "prod", { replicas: 2 }),
      "clusters/dev-eu/dev/payments-api/service-payments-api.yaml": service("payments-api", "dev"),
    });
    repo.remove("clusters/dev-eu/dev/orders");
    const run = await slipway(repo.dir, ["diff"]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("hunter2");
    expect(run.stdout).not.toContain("s3cret!");
    expect(run.stdout).toBe(`Rendered diff HEAD → working tree: 1 to add, 2 to change, 1 to delete

Risky changes:
  ! [deletion] dev-eu/dev/orders Deployment payments-dev/orders: deleted: Argo CD will prune it from the cluster
  ! [production] prod-eu/prod: production change: 0 added, 1 changed, 0 deleted in checkout
  ! [replicas-reduced] prod-eu/prod/checkout Deployment payments-prod/checkout: replicas reduced 3 → 2

Summary:
  cluster  environment  +  ~  -
  dev-eu   dev          1  1  1
  prod-eu  prod         0  1  0

dev-eu / dev / checkout
  ~ Deployment payments-dev/checkout  clusters/dev-eu/dev/checkout/deployment-checkout.yaml
      ~ spec.template.spec.containers[api].env[DB_PASSWORD].value: <masked> → <masked> (secret-like value changed)
      ~ spec.template.spec.containers[api].image: registry.example.com/payments/checkout:1.0.0@sha256:${"a".repeat(64)} → registry.example.com/payments/checkout:1.1.0@sha256:${"b".repeat(64)}

dev-eu / dev / orders
  - Deployment payments-dev/orders  (!)  clusters/dev-eu/dev/orders/deployment-orders.yaml

dev-eu / dev / payments-api
  + Service payments-dev/payments-api  clusters/dev-eu/dev/payments-api/service-payments-api.yaml

prod-eu / prod / checkout
  ~ Deployment payments-prod/checkout  (!)  clusters/prod-eu/prod/checkout/deployment-checkout.yaml
      ~ spec.replicas: 3 → 2
`);
  });

  it("compares two revisions, prints JSON, and --exit-code reports differences with exit 1", async () => {
    repo = baseRepo();
    const base = repo.git("rev-parse", "HEAD").trim();
    repo.write({ "clusters/dev-eu/dev/orders/deployment-orders.yaml": deployment("orders", "dev", { replicas: 4 }) });
    repo.commit("scale orders");
    const run = await slipway(repo.dir, ["diff", "--base", base, "--head", "HEAD", "--json", "--exit-code"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    const json = JSON.parse(run.stdout);
    expect(json.totals).toEqual({ added: 0, changed: 1, removed: 0 });
    expect(json.resources[0]).toMatchObject({ cluster: "dev-eu", environment: "dev", group: "orders", kind: "Deployment", status: "changed", changes: [{ path: "spec.replicas", op: "change", before: 2, after: 4 }] });
    const same = await slipway(repo.dir, ["diff", "--base", "HEAD", "--head", "HEAD", "--exit-code"]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("No change to the rendered manifests.");
  });

  it("groups by rendered.json when present (tenant objects, add-ons) and ignores files render does not own", async () => {
    repo = createTempRepo({ ...FLEET, "clusters/dev-eu/README.md": "hand-written\n" });
    repo.commit("empty");
    const ns = stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "payments-dev" } });
    repo.write({
      "clusters/dev-eu/dev/_tenants/payments/namespace-payments-dev.yaml": ns,
      "clusters/dev-eu/addons/karpenter/nodepool-default.yaml": stringify({ apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "default" } }),
      "clusters/dev-eu/notes.yaml": "hand: written\n",
      "clusters/dev-eu/rendered.json": JSON.stringify({
        cluster: "dev-eu",
        kubernetesVersion: "1.31",
        environments: {},
        files: {
          "dev/_tenants/payments/namespace-payments-dev.yaml": { sha256: "x", apiVersion: "v1", kind: "Namespace", name: "payments-dev", environment: "dev", tenant: "payments" },
          "addons/karpenter/nodepool-default.yaml": { sha256: "y", apiVersion: "karpenter.sh/v1", kind: "NodePool", name: "default", addon: "karpenter" },
        },
      }),
    });
    const run = await slipway(repo.dir, ["diff", "--output", "json"]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.resources.map((r: { environment: string | null; group: string; kind: string }) => [r.environment, r.group, r.kind])).toEqual([
      [null, "addon/karpenter", "NodePool"],
      ["dev", "tenant/payments", "Namespace"],
    ]);
  });

  it("GIVEN a subdirectory of the repository WHEN diff runs there THEN it compares the whole fleet's rendered tree", async () => {
    repo = baseRepo();
    repo.write({ "clusters/dev-eu/dev/orders/deployment-orders.yaml": deployment("orders", "dev", { replicas: 5 }) });
    const run = await slipway(join(repo.dir, "clusters/prod-eu/prod"), ["diff", "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).resources.map((r: { cluster: string; group: string }) => `${r.cluster}/${r.group}`)).toEqual(["dev-eu/orders"]);
  });

  it("exit codes: 2 for bad flags and arguments (with the usage), 1 for an unknown revision, 0 for --help", async () => {
    repo = baseRepo();
    const bad = await slipway(repo.dir, ["diff", "--output", "xml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^unknown output format `xml`\n  expected: text \| markdown \| json\n  received: xml\n\nUsage: slipway diff/);
    const flag = await slipway(repo.dir, ["diff", "--exit-cod"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^Unknown option '--exit-cod'\n  fix: did you mean `--exit-code`\?\n\nUsage: slipway diff/);
    expect((await slipway(repo.dir, ["diff", "main"])).stderr).toMatch(/^unexpected argument `main`\n  fix: use --base and --head to choose revisions/);
    expect((await slipway(repo.dir, ["diff", "--max-comment-chars", "10"])).code).toBe(2);
    const missing = await slipway(repo.dir, ["diff", "--base", "no-such-ref"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("unknown git revision `no-such-ref`");
    expect(missing.stderr).not.toContain("Usage:");
    const help = await slipway(repo.dir, ["diff", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: slipway diff");
  });

  it("GIVEN a fleet that is not a git checkout, or not at the top of one, THEN it exits 1 saying so", async () => {
    repo = createTempRepo({ ...FLEET, "fleet/environments/README.md": "x\n", "fleet/clusters/a/cluster.ts": "export default {};\n" });
    repo.commit("nested fleet");
    const nested = await slipway(join(repo.dir, "fleet"), ["diff"]);
    expect(nested.code).toBe(1);
    expect(nested.stderr).toMatch(/^the fleet is not at the top level of its git repository\n {2}expected: environments\/ and clusters\/ in /);
    const plain = join(repo.dir, "..", "plain");
    mkdirSync(join(plain, "environments"), { recursive: true });
    mkdirSync(join(plain, "clusters"));
    const notGit = await slipway(plain, ["diff"]);
    expect(notGit.code).toBe(1);
    expect(notGit.stderr).toMatch(/^not inside a git repository\n/);
  });
});

describe("slipway diff --comment-on-pr", () => {
  it("posts the parts as comments, then updates them in place and deletes parts no longer needed", async () => {
    repo = baseRepo();
    github = await startFakeGitHub();
    const env = { GITHUB_TOKEN: "t0ken", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url };
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`clusters/dev-eu/dev/a${i}/configmap-a${i}.yaml`] = stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `a${i}`, namespace: "n" }, data: { v: "x".repeat(500) } });
    repo.write(files);
    github.comments.set(7, [{ id: 1, body: "LGTM from a human" }]);

    const first = await slipway(repo.dir, ["diff", "--comment-on-pr", "7", "--max-comment-chars", "5000"], { env });
    expect(first.code).toBe(0);
    const posted = github.comments.get(7)!.filter((c) => PART_MARKER_PATTERN.test(c.body));
    expect(posted.length).toBeGreaterThan(2);
    expect(github.calls.filter((c) => c.method === "POST").every((c) => c.url === "/repos/acme/fleet/issues/7/comments" && c.headers.authorization === "Bearer t0ken")).toBe(true);
    expect(first.stdout).toContain(`${posted.length} created`);

    // A later push shrinks the diff: the first comment is edited in place, the rest deleted.
    repo.remove(...Object.keys(files).slice(1));
    github.calls.length = 0;
    const second = await slipway(repo.dir, ["diff", "--comment-on-pr", "7", "--max-comment-chars", "5000"], { env });
    expect(second.code).toBe(0);
    const methods = github.calls.map((c) => `${c.method} ${c.url.replace(/\?.*/, "")}`);
    expect(methods).toEqual([
      "GET /repos/acme/fleet/issues/7/comments",
      `PATCH /repos/acme/fleet/issues/comments/${posted[0]!.id}`,
      ...posted.slice(1).map((c) => `DELETE /repos/acme/fleet/issues/comments/${c.id}`),
    ]);
    expect(github.comments.get(7)!.map((c) => c.id)).toEqual([1, posted[0]!.id]);
  });

  it("fails with exit 1 and a clear message without a token", async () => {
    repo = baseRepo();
    const run = await slipway(repo.dir, ["diff", "--comment-on-pr", "7"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("GITHUB_TOKEN is not set");
  });
});
