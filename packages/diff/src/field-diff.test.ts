import { describe, expect, it } from "vitest";
import { diffObjects, isSecretLikeName, MASK, maskValue } from "./field-diff";
import { changeLines, lineDiff } from "./values";

const deployment = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "checkout", namespace: "payments-dev" },
  spec: { replicas: 2, template: { spec: { containers }, ...extra } },
});

describe("diffObjects", () => {
  it("GIVEN a directory inserted into an ApplicationSet's git generator THEN it reads as that directory added, its neighbours untouched", () => {
    const set = (paths: string[]) => ({ kind: "ApplicationSet", spec: { generators: [{ git: { directories: paths.map((path) => ({ path })) } }] } });
    const changes = diffObjects("ApplicationSet", set(["clusters/c/dev/ledger", "clusters/c/dev/settlement-worker"]), set(["clusters/c/dev/ledger", "clusters/c/dev/refunds", "clusters/c/dev/settlement-worker"]));
    expect(changes.map((c) => [c.op, c.path])).toEqual([["add", "spec.generators[0].git.directories[clusters/c/dev/refunds]"]]);
  });

  it("GIVEN list generator elements, ExternalSecret data and IAM roles THEN items are matched by cluster, secretKey and arn", () => {
    const elements = (clusters: string[]) => ({ spec: { generators: [{ list: { elements: clusters.map((cluster) => ({ cluster, path: `clusters/${cluster}/prod/web` })) } }] } });
    expect(diffObjects("ApplicationSet", elements(["prod-use1", "prod-euw1"]), elements(["prod-use1"])).map((c) => [c.op, c.path])).toEqual([["remove", "spec.generators[0].list.elements[clusters/prod-euw1/prod/web]"]]);
    const data = (keys: string[]) => ({ spec: { data: keys.map((secretKey) => ({ secretKey, remoteRef: { key: "p/a/db", property: secretKey.toLowerCase() } })) } });
    expect(diffObjects("ExternalSecret", data(["HOST", "USER"]), data(["HOST", "PORT", "USER"])).map((c) => c.path)).toEqual(["spec.data[PORT]"]);
    const roles = (arns: string[]) => ({ spec: { iamRoles: arns.map((arn) => ({ arn, purpose: "x" })) } });
    expect(diffObjects("AwsResources", roles(["arn:b"]), roles(["arn:a", "arn:b"])).map((c) => c.path)).toEqual(["spec.iamRoles[arn:a]"]);
  });

  it("names list items by key: a changed image reads containers[api].image", () => {
    // GIVEN two containers, WHEN only api's image changes
    const before = deployment([{ name: "api", image: "repo/app:1" }, { name: "sidecar", image: "envoy:1" }]);
    const after = deployment([{ name: "api", image: "repo/app:2" }, { name: "sidecar", image: "envoy:1" }]);
    // THEN one change, addressed by container name
    expect(diffObjects("Deployment", before, after)).toEqual([
      { path: "spec.template.spec.containers[api].image", segments: expect.any(Array), op: "change", before: "repo/app:1", after: "repo/app:2" },
    ]);
  });

  it("does not report reordered containers, ports or env as a change", () => {
    const a = deployment([
      { name: "api", image: "x", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }], ports: [{ containerPort: 80 }, { containerPort: 90 }] },
      { name: "sidecar", image: "y" },
    ]);
    const b = deployment([
      { name: "sidecar", image: "y" },
      { name: "api", image: "x", env: [{ name: "B", value: "2" }, { name: "A", value: "1" }], ports: [{ containerPort: 90 }, { containerPort: 80 }] },
    ]);
    expect(diffObjects("Deployment", a, b)).toEqual([]);
  });

  it("reports added and removed list items and keys", () => {
    const a = { spec: { ports: [{ name: "http", port: 80 }], selector: { app: "x" } } };
    const b = { spec: { ports: [{ name: "http", port: 80 }, { name: "metrics", port: 9090 }] }, metadata: { labels: { "app.kubernetes.io/name": "x" } } };
    expect(diffObjects("Service", a, b).map((c) => `${c.op} ${c.path}`)).toEqual(["add metadata", "add spec.ports[metrics]", "remove spec.selector"]);
    const labels = diffObjects("Service", { metadata: { labels: {} } }, b);
    expect(labels[0]!.path).toBe('metadata.labels["app.kubernetes.io/name"]');
  });

  it("compares scalar lists whole, because their order matters", () => {
    const changes = diffObjects("Deployment", { args: ["--a", "--b"] }, { args: ["--b", "--a"] });
    expect(changes).toHaveLength(1);
    expect(changes[0]!.path).toBe("args");
  });
});

describe("masking", () => {
  it("recognises secret-like names and leaves ordinary ones", () => {
    for (const name of ["DB_PASSWORD", "GITHUB_TOKEN", "API_KEY", "apiKey", "STRIPE_SECRET", "aws-secret-access-key", "DATABASE_DSN"]) expect(isSecretLikeName(name), name).toBe(true);
    for (const name of ["LOG_LEVEL", "MONKEY_MODE", "PORT", "KEYCLOAK_URL"]) expect(isSecretLikeName(name), name).toBe(false);
  });

  it("masks env values whose names look secret, and keeps references", () => {
    const a = deployment([{ name: "api", image: "x", env: [{ name: "DB_PASSWORD", value: "hunter2" }, { name: "LOG_LEVEL", value: "info" }] }]);
    const b = deployment([
      { name: "api", image: "x", env: [{ name: "DB_PASSWORD", value: "correct-horse" }, { name: "LOG_LEVEL", value: "debug" }, { name: "API_TOKEN", value: "tok-123" }] },
    ]);
    const changes = diffObjects("Deployment", a, b);
    const text = JSON.stringify(changes) + changes.flatMap(changeLines).join("\n");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("correct-horse");
    expect(text).not.toContain("tok-123");
    expect(changes.flatMap(changeLines)).toEqual([
      '+ spec.template.spec.containers[api].env[API_TOKEN]: {"name":"API_TOKEN","value":"<masked>"}',
      "~ spec.template.spec.containers[api].env[DB_PASSWORD].value: <masked> → <masked> (secret-like value changed)",
      "~ spec.template.spec.containers[api].env[LOG_LEVEL].value: info → debug",
    ]);
  });

  it("masks every value of a Secret's data and stringData, and secret-like ConfigMap keys", () => {
    const secret = { kind: "Secret", metadata: { name: "s" }, data: { password: "aHVudGVyMg==" }, stringData: { token: "abc" } };
    expect(maskValue("Secret", [], secret).value).toEqual({ kind: "Secret", metadata: { name: "s" }, data: { password: MASK }, stringData: { token: MASK } });
    const changes = diffObjects("ConfigMap", { data: { SMTP_PASSWORD: "a", mode: "x" } }, { data: { SMTP_PASSWORD: "b", mode: "y" } });
    expect(changes.map((c) => [c.path, c.before, c.after])).toEqual([
      ["data.SMTP_PASSWORD", MASK, MASK],
      ["data.mode", "x", "y"],
    ]);
  });
});

describe("lineDiff", () => {
  it("keeps common lines and marks the rest", () => {
    expect(lineDiff("a\nb\nc", "a\nx\nc")).toEqual(["  a", "+ x", "- b", "  c"]);
  });
});
