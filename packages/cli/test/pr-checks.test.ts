/**
 * Pull-request checks whose cost follows the change, on the fixture fleet in a git repository:
 * `slipway diff` reads only what git reports as changed, and `slipway validate --changed-from`
 * validates only the changed objects. Both are proved against the whole-tree computation over
 * a series of edits (an app change re-rendered, hand edits that break cross-object checks,
 * unowned, deleted, renamed and duplicated files, a Kubernetes version bump), in process; then
 * the shipped binary is run as pr.yml runs it. `slipway render --shard k/n` is proved to split
 * the render so that the union of the shards is byte-identical to one render.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffRevisions, diffTrees, formatMarkdown, loadChangedTrees, loadTreeFromDir, loadTreeFromGit } from "@slipway/diff";
import { validateChanged, validateFleet, type Finding, type ValidationReport } from "@slipway/validate";
import { copyFixtureFleet, editFile, fingerprint, fixtureFleetRepo, removeFleet, type TempRepo } from "@slipway/testing";
import { fleetChangesSince } from "../src/changed-scope";
import { said, slipway, type Run } from "./slipway";

let repo: TempRepo;
const path = (rel: string) => join(repo.dir, rel);
const edit = (rel: string, from: string | RegExp, to: string) => editFile(path(rel), (t) => t.replace(from, to));
const write = (rel: string, text: string) => {
  mkdirSync(dirname(path(rel)), { recursive: true });
  writeFileSync(path(rel), text);
};
/** Back to the committed tree (the last commit), nothing else on disk. */
const reset = () => {
  repo.git("checkout", "--quiet", "--", ".");
  repo.git("clean", "-fdq", "--", "clusters", "apps");
};

function expectExit(run: Run, code: number): void {
  expect(run.code, said(run)).toBe(code);
}

beforeAll(async () => {
  repo = await fixtureFleetRepo({
    prepare: async (root) => {
      const r = await slipway(root, ["render"]);
      if (r.code !== 0) throw new Error(said(r));
    },
  });
});
afterAll(() => repo?.cleanup());

const STOREFRONT = "clusters/prod-use1/prod/storefront";
const SETTLEMENT = "clusters/dev-use1/dev/settlement";

/** Edits of the rendered tree (and sources), each applied on the committed tree. */
const SCENARIOS: Record<string, () => Promise<void> | void> = {
  "an app's definition changed and re-rendered": async () => {
    edit("apps/payments/settlement/app.ts", `memory: "256Mi"`, `memory: "320Mi"`);
    expectExit(await slipway(repo.dir, ["render"]), 0);
  },
  "a Service selector and a pod template's ServiceAccount broken by hand": () => {
    edit(`${STOREFRONT}/service-storefront.yaml`, /(selector:\n\s+app\.kubernetes\.io\/name: )storefront/, "$1storefront-typo");
    edit(`${SETTLEMENT}/deployment-settlement.yaml`, "serviceAccountName: settlement", "serviceAccountName: settlement-missing");
  },
  "a NetworkPolicy allowing egress to another tenant's namespace that does not admit it": () => {
    edit(`${STOREFRONT}/networkpolicy-storefront-outbound.yaml`, "  egress:\n", "  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: payments-prod\n          podSelector: {}\n");
  },
  "a ServiceAccount naming another tenant's IAM role, and a policy and replicas off": () => {
    edit(`${STOREFRONT}/serviceaccount-storefront.yaml`, "role/shop-storefront", "role/prod-use1-payments-secrets");
    edit(`${STOREFRONT}/deployment-storefront.yaml`, /memory: \S+/, "memory: 1Gix");
  },
  "a file render does not own, a symbolic link, a deleted and a renamed rendered file": () => {
    write(`${SETTLEMENT}/extra.yaml`, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: payments-dev\n");
    symlinkSync("deployment-settlement.yaml", path(`${SETTLEMENT}/link.yaml`));
    rmSync(path(`${SETTLEMENT}/externalsecret-settlement-network-keys.yaml`));
    renameSync(path(`${STOREFRONT}/configmap-storefront-config.yaml`), path(`${STOREFRONT}/configmap-moved.yaml`));
  },
  "an object renamed onto another's name (a duplicate) and a namespace relabelled": () => {
    edit(`${SETTLEMENT}/serviceaccount-settlement.yaml`, "  name: settlement\n", "  name: tenant-secrets\n");
    edit("clusters/dev-use1/tenants/payments/namespace-payments-dev.yaml", "slipway.dev/tenant: payments", "slipway.dev/tenant: shop");
  },
  "a cluster's Kubernetes version bumped and re-rendered (validated whole)": async () => {
    edit("clusters/prod-euw1/cluster.ts", `kubernetesVersion: "1.32"`, `kubernetesVersion: "1.33"`);
    expectExit(await slipway(repo.dir, ["render"]), 0);
  },
};

const outcome = <T>(f: () => T): { value: T } | { error: string } => {
  try {
    return { value: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

const canonical = (findings: readonly Finding[]) => findings.map((f) => JSON.stringify(f)).sort();

/** The whole-fleet findings a scoped run must reproduce: on the reported files, on changed paths, and each changed cluster's Argo CD preview. */
function expectedFindings(whole: ValidationReport, scoped: ValidationReport, changedPaths: ReadonlySet<string>, clusters: ReadonlySet<string>): Finding[] {
  const reported = new Set(scoped.objects.map((o) => o.file));
  return whole.findings.filter((f) => reported.has(f.file) || changedPaths.has(f.file) || (f.rule === "SW-ARGO-APPLICATION" && clusters.has(f.file.split("/")[1] ?? "")));
}

describe("pull-request checks on the fixture fleet", () => {
  for (const [name, apply] of Object.entries(SCENARIOS)) {
    it(`diff and validate --changed-from agree with the whole tree: ${name}`, async () => {
      reset();
      await apply();
      // The diff of the changed files is the diff of the whole trees (or the same error: a
      // tree holding one object in two files cannot be read).
      expect(outcome(() => diffRevisions(repo.dir, "HEAD"))).toEqual(outcome(() => diffTrees(loadTreeFromGit(repo.dir, "HEAD"), loadTreeFromDir(repo.dir))));
      const read = outcome(() => loadChangedTrees(repo.dir, "HEAD").paths.length);
      if ("value" in read) expect(read.value).toBeLessThan(loadTreeFromGit(repo.dir, "HEAD").resources.size / 4);

      const changes = fleetChangesSince(repo.dir, "HEAD");
      expect(changes.length).toBeGreaterThan(0);
      const scoped = validateChanged(repo.dir, changes);
      const all = validateFleet(repo.dir);
      const changedPaths = new Set(changes.flatMap((c) => c.paths.map((p) => `clusters/${c.cluster}/${p}`)));
      const clusters = new Set(changes.map((c) => c.cluster));
      expect(canonical(scoped.report.findings)).toEqual(canonical(expectedFindings(all, scoped.report, changedPaths, clusters)));
      // The reported objects are the whole run's objects of those files, checked the same way.
      const reportedFiles = new Set(scoped.report.objects.map((o) => o.file));
      expect(scoped.report.objects).toEqual(all.objects.filter((o) => reportedFiles.has(o.file)));
      // Scoped: far fewer files than the fleet, unless a cluster is validated whole.
      if (scoped.whole.length === 0) expect(scoped.files + scoped.contextFiles).toBeLessThan(all.summary.files / 2);
    });
  }

  it("the scenarios that break something are caught by the scoped run", async () => {
    reset();
    await SCENARIOS["a Service selector and a pod template's ServiceAccount broken by hand"]!();
    const rules = validateChanged(repo.dir, fleetChangesSince(repo.dir, "HEAD")).report.findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(["SW-X-SERVICE-SELECTOR", "SW-X-REFERENCE"]));
    reset();
    await SCENARIOS["a ServiceAccount naming another tenant's IAM role, and a policy and replicas off"]!();
    expect(validateChanged(repo.dir, fleetChangesSince(repo.dir, "HEAD")).report.findings.map((f) => f.rule)).toContain("SW-GR-IAM-ROLE-SHARED");
    reset();
    await SCENARIOS["a NetworkPolicy allowing egress to another tenant's namespace that does not admit it"]!();
    expect(validateChanged(repo.dir, fleetChangesSince(repo.dir, "HEAD")).report.findings.map((f) => f.rule)).toContain("SW-X-NETPOL-ACCESS");
    reset();
  });

  it("diff between two commits reads only the changed files and matches the whole trees", async () => {
    reset();
    const base = repo.git("rev-parse", "HEAD").trim();
    await SCENARIOS["an app's definition changed and re-rendered"]!();
    const head = repo.commit("settlement memory");
    try {
      const whole = diffTrees(loadTreeFromGit(repo.dir, base), loadTreeFromGit(repo.dir, head));
      expect(whole.resources.length).toBeGreaterThan(0);
      expect(diffRevisions(repo.dir, base, head)).toEqual(whole);
      expect(loadChangedTrees(repo.dir, base, head).paths.every((p) => p.includes("/dev/settlement/") || p.endsWith("rendered.json") || p.includes("/staging/settlement/") || p.includes("/prod/settlement/"))).toBe(true);

      // As pr.yml runs it: the shipped binary, markdown, base vs head.
      const run = await slipway(repo.dir, ["diff", "--base", base, "--head", head, "--output", "markdown"]);
      expectExit(run, 0);
      expect(run.stdout).toBe(formatMarkdown(whole, {}).join("\n"));
      expect(run.stdout).toContain("settlement");
    } finally {
      repo.git("reset", "--quiet", "--hard", base);
    }
  });
});

describe("slipway validate --changed-from, as shipped", () => {
  it("passes a clean app change, naming what it validated", async () => {
    reset();
    await SCENARIOS["an app's definition changed and re-rendered"]!();
    const run = await slipway(repo.dir, ["validate", "--changed-from", "HEAD", "--summary"]);
    expectExit(run, 0);
    expect(run.stderr).toMatch(/changes since HEAD: [1-9]\d* file\(s\) validated, [1-9]\d* read for their cross-object checks/);
    expect(run.stdout).toMatch(/Summary: [1-9]\d* objects in [1-9]\d* files/);
    reset();
  });

  it("fails on a hand-broken reference, in the output format asked", async () => {
    reset();
    await SCENARIOS["a Service selector and a pod template's ServiceAccount broken by hand"]!();
    const run = await slipway(repo.dir, ["validate", "--changed-from", "HEAD", "--output", "json"]);
    expectExit(run, 1);
    const report = JSON.parse(run.stdout) as { findings: Finding[] };
    expect(report.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(["SW-X-SERVICE-SELECTOR", "SW-X-REFERENCE"]));
    const before = readFileSync(path(`${STOREFRONT}/service-storefront.yaml`), "utf8");
    expect(before).toContain("storefront-typo"); // validate never writes
    reset();
  });

  it("an unknown revision is a clear failure (exit 1); PATHs with it are a usage error (exit 2)", async () => {
    reset();
    const bad = await slipway(repo.dir, ["validate", "--changed-from", "no-such-branch"]);
    expectExit(bad, 1);
    expect(bad.stderr).toContain("--changed-from: unknown git revision `no-such-branch`");
    expect(bad.stderr).toContain("fetch-depth");
    const both = await slipway(repo.dir, ["validate", "--changed-from", "HEAD", "clusters"]);
    expectExit(both, 2);
    expect(both.stderr).toContain("--changed-from validates the rendered fleet, not PATHs");
  });
});

describe("slipway render --shard, as shipped", () => {
  it("the union of the shards' trees is byte-identical to a single render (5 shards: one per cluster, one empty)", async () => {
    const single = copyFixtureFleet("shard-single");
    const copies: string[] = [single];
    try {
      expectExit(await slipway(single, ["render"]), 0);
      const expected = fingerprint(join(single, "clusters"));
      for (const count of [5]) {
        const union: Record<string, string> = {};
        const owners = new Map<string, number>();
        for (let k = 1; k <= count; k++) {
          const copy = copyFixtureFleet(`shard-${k}-of-${count}`);
          copies.push(copy);
          const run = await slipway(copy, ["render", "--shard", `${k}/${count}`]);
          expectExit(run, 0);
          expect(run.stderr).toMatch(new RegExp(`^shard ${k}/${count}: `));
          for (const [file, digest] of Object.entries(fingerprint(join(copy, "clusters")))) {
            if (file.endsWith("/cluster.ts")) {
              union[file] = digest;
              continue;
            }
            // Every rendered file comes from exactly one shard: the merge is well defined.
            const cluster = file.split("/")[0]!;
            expect(owners.get(cluster) ?? k, `${file} written by shards ${owners.get(cluster)} and ${k}`).toBe(k);
            owners.set(cluster, k);
            union[file] = digest;
          }
        }
        expect(union).toEqual(expected);
        expect(new Set(owners.values()).size).toBe(Math.min(count, 4)); // 4 clusters in the fixture fleet
      }
      // Each shard checks its clusters against the committed tree.
      for (let k = 1; k <= 2; k++) expectExit(await slipway(single, ["render", "--check", "--shard", `${k}/2`]), 0);
      editFile(join(single, "clusters/dev-use1/dev/settlement/deployment-settlement.yaml"), (t) => t.replace("kind: Deployment\n", "kind: Deployment\n# edited by hand\n"));
      const owner = (await Promise.all([1, 2].map((k) => slipway(single, ["render", "--check", "--shard", `${k}/2`])))).filter((r) => r.code !== 0);
      expect(owner).toHaveLength(1);
      expect(owner[0]!.stdout).toContain("clusters/dev-use1/dev/settlement/deployment-settlement.yaml");
    } finally {
      for (const copy of copies) removeFleet(copy);
    }
  });

  it("a spec that is not k/n with 1 ≤ k ≤ n, or --shard with a filter, is a usage error (exit 2) that changes nothing", async () => {
    const fleet = copyFixtureFleet("shard-usage");
    try {
      const before = fingerprint(join(fleet, "clusters"));
      for (const spec of ["0/3", "4/3", "x", "1/0", "2", "1/3/5"]) {
        const run = await slipway(fleet, ["render", "--shard", spec]);
        expectExit(run, 2);
        expect(run.stderr).toContain(`\`${spec}\` is not a shard`);
        expect(run.stderr).toContain("k/n with 1 ≤ k ≤ n");
      }
      const both = await slipway(fleet, ["render", "--shard", "1/2", "--cluster", "dev-use1"]);
      expectExit(both, 2);
      expect(both.stderr).toContain("does not combine with --cluster");
      expect(fingerprint(join(fleet, "clusters"))).toEqual(before);
    } finally {
      removeFleet(fleet);
    }
  });
});
