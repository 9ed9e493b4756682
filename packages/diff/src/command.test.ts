import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runDiffCommand } from "./command";
import { formatMarkdown, GITHUB_COMMENT_LIMIT, PART_MARKER_PATTERN } from "./markdown";
import { diffTrees } from "./diff";
import { loadTreeFromDir, loadTreeFromGit } from "./tree";
import { captureIo, createTempRepo, startFakeGitHub, type FakeGitHub, type TempRepo } from "./testing";

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

function baseRepo(): TempRepo {
  const r = createTempRepo({
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
    const { io, stdout } = captureIo(repo.dir);
    expect(await runDiffCommand([], io)).toBe(0);
    const text = stdout();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("s3cret!");
    expect(text).toBe(`Rendered diff HEAD → working tree: 1 to add, 2 to change, 1 to delete

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

  it("compares two revisions, prints JSON, and --exit-code reports differences", async () => {
    repo = baseRepo();
    const base = repo.git("rev-parse", "HEAD").trim();
    repo.write({ "clusters/dev-eu/dev/orders/deployment-orders.yaml": deployment("orders", "dev", { replicas: 4 }) });
    repo.commit("scale orders");
    const { io, stdout } = captureIo(repo.dir);
    expect(await runDiffCommand(["--base", base, "--head", "HEAD", "--json", "--exit-code"], io)).toBe(1);
    const json = JSON.parse(stdout());
    expect(json.totals).toEqual({ added: 0, changed: 1, removed: 0 });
    expect(json.resources[0]).toMatchObject({ cluster: "dev-eu", environment: "dev", group: "orders", kind: "Deployment", status: "changed", changes: [{ path: "spec.replicas", op: "change", before: 2, after: 4 }] });
    const same = captureIo(repo.dir);
    expect(await runDiffCommand(["--base", "HEAD", "--head", "HEAD", "--exit-code"], same.io)).toBe(0);
    expect(same.stdout()).toContain("No change to the rendered manifests.");
  });

  it("groups by rendered.json when present (tenant objects, add-ons) and ignores files render does not own", async () => {
    repo = createTempRepo({ "clusters/dev-eu/README.md": "hand-written\n" });
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
    const { io, stdout } = captureIo(repo.dir);
    expect(await runDiffCommand(["--output", "json"], io)).toBe(0);
    const json = JSON.parse(stdout());
    expect(json.resources.map((r: { environment: string | null; group: string; kind: string }) => [r.environment, r.group, r.kind])).toEqual([
      [null, "addon/karpenter", "NodePool"],
      ["dev", "tenant/payments", "Namespace"],
    ]);
  });

  it("refuses bad flags with exit code 2 and prints help with 0", async () => {
    repo = baseRepo();
    const bad = captureIo(repo.dir);
    expect(await runDiffCommand(["--output", "xml"], bad.io)).toBe(2);
    expect(bad.stderr()).toContain("unknown output format `xml`");
    expect(await runDiffCommand(["--nope"], captureIo(repo.dir).io)).toBe(2);
    const missing = captureIo(repo.dir);
    expect(await runDiffCommand(["--base", "no-such-ref"], missing.io)).toBe(1);
    expect(missing.stderr()).toContain("unknown git revision `no-such-ref`");
    const help = captureIo(repo.dir);
    expect(await runDiffCommand(["--help"], help.io)).toBe(0);
    expect(help.stdout()).toContain("Usage: slipway diff");
  });
});

describe("markdown larger than one GitHub comment", () => {
  it("splits a >65,536-character diff on resource boundaries, every part under the limit, nothing lost", () => {
    repo = createTempRepo();
    repo.commit("empty");
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) {
      const name = `app-${String(i).padStart(3, "0")}`;
      files[`clusters/dev-eu/dev/${name}/configmap-${name}.yaml`] = stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "payments-dev" }, data: { config: `line of configuration ${name}\n`.repeat(40) } });
    }
    repo.write(files);
    repo.commit("many apps");
    const diff = diffTrees(loadTreeFromGit(repo.dir, "HEAD~1"), loadTreeFromGit(repo.dir, "HEAD"));
    const parts = formatMarkdown(diff);
    const total = parts.reduce((n, p) => n + p.length, 0);
    expect(total).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((part, i) => {
      expect(part.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(PART_MARKER_PATTERN.exec(part)?.[1]).toBe(String(i + 1));
      expect(part).toContain(`Part ${i + 1} of ${parts.length}`);
      // Resource boundaries: every collapsible section opened in a part is closed in it.
      expect(part.match(/<details>/g)?.length).toBe(part.match(/<\/details>/g)?.length);
      expect((part.match(/^```/gm) ?? []).length % 2).toBe(0);
    });
    const all = parts.join("\n");
    for (let i = 0; i < 120; i++) expect(all).toContain(`<code>payments-dev/app-${String(i).padStart(3, "0")}</code> added`);
    expect(parts.slice(1).every((p) => p.includes("(continued)"))).toBe(true);
  });

  it("continues a single resource larger than a comment over several parts", () => {
    repo = createTempRepo();
    repo.commit("empty");
    const big = Array.from({ length: 4000 }, (_, i) => `row ${i} ${"x".repeat(30)}`).join("\n");
    repo.write({ "clusters/dev-eu/dev/big/configmap-big.yaml": stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big", namespace: "n" }, data: { big } }) });
    const diff = diffTrees(loadTreeFromGit(repo.dir, "HEAD"), loadTreeFromDir(repo.dir));
    const parts = formatMarkdown(diff, { maxChars: 20_000 });
    expect(parts.length).toBeGreaterThan(5);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(20_000);
    const all = parts.join("");
    for (const i of [0, 1999, 3999]) expect(all).toContain(`row ${i} `);
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

    const first = captureIo(repo.dir, env);
    expect(await runDiffCommand(["--comment-on-pr", "7", "--max-comment-chars", "5000"], first.io)).toBe(0);
    const posted = github.comments.get(7)!.filter((c) => PART_MARKER_PATTERN.test(c.body));
    expect(posted.length).toBeGreaterThan(2);
    expect(github.calls.filter((c) => c.method === "POST").every((c) => c.url === "/repos/acme/fleet/issues/7/comments" && c.headers.authorization === "Bearer t0ken")).toBe(true);
    expect(first.stdout()).toContain(`${posted.length} created`);

    // A later push shrinks the diff: the first comment is edited in place, the rest deleted.
    repo.remove(...Object.keys(files).slice(1));
    github.calls.length = 0;
    const second = captureIo(repo.dir, env);
    expect(await runDiffCommand(["--comment-on-pr", "7", "--max-comment-chars", "5000"], second.io)).toBe(0);
    const methods = github.calls.map((c) => `${c.method} ${c.url.replace(/\?.*/, "")}`);
    expect(methods).toEqual([
      "GET /repos/acme/fleet/issues/7/comments",
      `PATCH /repos/acme/fleet/issues/comments/${posted[0]!.id}`,
      ...posted.slice(1).map((c) => `DELETE /repos/acme/fleet/issues/comments/${c.id}`),
    ]);
    expect(github.comments.get(7)!.map((c) => c.id)).toEqual([1, posted[0]!.id]);
  });

  it("fails with a clear message without a token", async () => {
    repo = baseRepo();
    const { io, stderr } = captureIo(repo.dir, {});
    expect(await runDiffCommand(["--comment-on-pr", "7"], io)).toBe(1);
    expect(stderr()).toContain("GITHUB_TOKEN is not set");
  });
});
