import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runArgocdCommand } from "./command";
import { FixtureTree, input } from "./test-fixtures";

let tree: FixtureTree;
let out: string[];
let err: string[];
const run = (...argv: string[]) =>
  runArgocdCommand(argv, { cwd: tree.root, stdout: (s) => out.push(s), stderr: (s) => err.push(s), color: false, env: {} });

beforeEach(() => {
  tree = new FixtureTree();
  out = [];
  err = [];
  tree.app("dev-use1", "dev", "ledger", "payments");
  tree.app("dev-use1", "dev", "checkout", "storefront");
  tree.tenantDir("dev-use1", "payments", ["dev"]);
  tree.tenantDir("dev-use1", "storefront", ["dev"]);
  tree.argocd(input());
});
afterEach(() => rmSync(tree.root, { recursive: true, force: true }));

describe("slipway argocd", () => {
  it("prints usage for --help and exits 0", async () => {
    expect(await run("--help")).toBe(0);
    expect(await run("preview", "--help")).toBe(0);
    expect(out.join("\n")).toContain("Usage: slipway argocd preview");
  });

  it("exits 2 on usage errors", async () => {
    expect(await run()).toBe(2);
    expect(await run("list")).toBe(2);
    expect(await run("preview", "--bogus")).toBe(2);
    expect(await run("preview", "--cluster", "nope")).toBe(2);
    expect(err.join("\n")).toContain("unknown cluster `nope`");
  });

  it("lists Applications and exits 0 when there is no problem", async () => {
    expect(await run("preview")).toBe(0);
    const text = out.join("\n");
    expect(text).toContain("dev-use1: 5 Applications");
    expect(text).toMatch(/dev-use1-dev-ledger\s+dev-use1-payments\s+60\s+clusters\/dev-use1\/dev\/ledger\s+https:\/\/kubernetes.default.svc\/payments-dev/);
  });

  it("prints JSON with --json, and exits 1 with the problems when there are some", async () => {
    const file = join(tree.root, "clusters/dev-use1/argocd/applicationset-dev-use1-dev-payments.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("clusters/dev-use1/dev/ledger", "clusters/dev-use1/dev/ledgr"));
    expect(await run("preview", "--cluster", "dev-use1", "--json")).toBe(1);
    const json = JSON.parse(out.join("\n"));
    expect(json.problems).toBe(1);
    expect(json.clusters[0].problems[0]).toMatchObject({ code: "generator", cluster: "dev-use1" });
    out = [];
    expect(await run("preview")).toBe(1);
    expect(err.join("\n")).toContain("matches no directory");
  });
});
