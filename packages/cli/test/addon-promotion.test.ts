/**
 * Add-on upgrades promoted like apps, through the shipped `slipway` in a git repository of the
 * fixture fleet: the lock files pin each cluster's add-on definition (version and values of
 * addons/<addon>.ts at a fleet commit), an edit of the definition renders the first environment
 * only, and `slipway promote --addon` carries it to staging, then to prod one rollout step at a
 * time (prod-use1, then prod-euw1, as environments/prod/environment.ts orders them), the later
 * step gated on the earlier one's health in Argo CD. The steps build on each other, in order.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeGitHub, type FakeGitHub } from "@slipway/diff/testing";
import { editFile, fixtureFleetRepo, type TempRepo } from "@slipway/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ARGOCD_TOKEN, startFakeArgocd, type FakeArgocd } from "./fake-argocd";
import { said, slipway, type Run } from "./slipway";

interface Pin { version: string; definition: string; promotedFrom?: string }

let repo: TempRepo;
let github: FakeGitHub;
let argocd: FakeArgocd;
const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => slipway(repo.dir, argv, { env });
const pins = (env: string, ref = "HEAD"): Record<string, Record<string, Pin>> => (parse(repo.git("show", `${ref}:environments/${env}/releases.yaml`)) as { addons?: Record<string, Record<string, Pin>> }).addons ?? {};
const head = () => repo.git("rev-parse", "HEAD").trim();
const changed = (branch: string) => repo.git("diff", "--name-only", `main...${branch}`).trim().split("\n").filter(Boolean);
const clustersOf = (files: readonly string[]) => [...new Set(files.filter((f) => f.startsWith("clusters/")).map((f) => f.split("/")[1]!))].sort();
const deployment = (cluster: string, ref?: string) => {
  const path = `clusters/${cluster}/addons/metrics-server/deployment-metrics-server.yaml`;
  return ref ? repo.git("show", `${ref}:${path}`) : readFileSync(join(repo.dir, path), "utf8");
};
const gated = () => ({ ARGOCD_SERVER: argocd.url, ARGOCD_AUTH_TOKEN: ARGOCD_TOKEN, GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url });

function expectExit(result: Run, code: number): void {
  expect(result.code, said(result)).toBe(code);
}

function merge(branch: string): void {
  repo.git("merge", "--quiet", "--ff-only", branch);
  repo.git("branch", "--quiet", "-D", branch);
}

beforeAll(async () => {
  repo = await fixtureFleetRepo();
  github = await startFakeGitHub();
  argocd = await startFakeArgocd();
  // Prod's rollout steps are gated too: a step's add-on Applications must soak 30 minutes before the next step.
  editFile(join(repo.dir, "environments/prod/environment.ts"), (text) => text.replace(/\n\}\);\s*$/, '\n  promotion: { soak: "30m" },\n});\n'));
  expectExit(await run(["render"]), 0);
  repo.commit("render");
});
afterAll(async () => {
  await github?.close();
  await argocd?.close();
  repo?.cleanup();
});

describe("add-on definitions pinned per cluster and promoted cluster by cluster", () => {
  let before: string;

  it("GIVEN add-ons that follow the working tree THEN status says so, and promoting pins what runs without changing the rendered tree", async () => {
    const status = await run(["status"]);
    expectExit(status, 0);
    expect(status.stdout).toContain("unpinned: add-on metrics-server on staging-use1 follows the working tree");
    before = head();
    const staging = await run(["promote", "--addon", "metrics-server", "--to", "staging"]);
    expectExit(staging, 0);
    expect(staging.stdout).toContain("metrics-server v0.8.0 pinned on staging-use1 (what it runs already: no rendered change)");
    expect(changed("promote/staging/addon-metrics-server")).toEqual(["environments/staging/releases.yaml"]);
    merge("promote/staging/addon-metrics-server");
    expect(pins("staging")["metrics-server"]).toEqual({ "staging-use1": { version: "v0.8.0", definition: before, promotedFrom: "dev" } });
    // Nothing soaks yet in staging, so no gate; prod pins both clusters at once (nothing changes there).
    expectExit(await run(["promote", "--addon", "metrics-server", "--to", "prod"]), 0);
    expect(changed("promote/prod/addon-metrics-server")).toEqual(["environments/prod/releases.yaml"]);
    merge("promote/prod/addon-metrics-server");
    expect(Object.keys(pins("prod")["metrics-server"]!)).toEqual(["prod-euw1", "prod-use1"]);
    expect((await run(["promote", "--addon", "metrics-server", "--to", "prod"])).stdout).toMatch(/^Nothing to promote: prod already runs add-on metrics-server on every cluster/);
  });

  it("GIVEN an upgrade in addons/<addon>.ts WHEN rendered THEN only the first environment's cluster changes", async () => {
    editFile(join(repo.dir, "addons/metrics-server.ts"), (text) => text.replace('version: "v0.8.0"', 'version: "v0.8.1"'));
    repo.commit("metrics-server v0.8.1");
    expectExit(await run(["render"]), 0);
    const touched = repo.git("status", "--porcelain").trim().split("\n").map((l) => l.slice(3));
    expect(clustersOf(touched)).toEqual(["dev-use1"]);
    expect(deployment("dev-use1")).toContain("metrics-server:v0.8.1");
    expect(deployment("staging-use1")).toContain("metrics-server:v0.8.0");
    repo.commit("render");
    expectExit(await run(["render", "--check"]), 0);

    const status = await run(["status", "--json"]);
    expectExit(status, 0);
    const addons = JSON.parse(status.stdout).addons;
    expect(addons.cells["metrics-server"].dev).toEqual({ "dev-use1": { version: "v0.8.1", definition: "working-tree" } });
    expect(addons.cells["metrics-server"].prod).toEqual({ "prod-use1": { version: "v0.8.0", definition: before }, "prod-euw1": { version: "v0.8.0", definition: before } });
    expect(addons.promotable).toContainEqual({ addon: "metrics-server", env: "staging", version: "v0.8.1", clusters: ["staging-use1"], step: 1, steps: 1, pinOnly: false });
  });

  it("WHEN promoted THEN it reaches staging, then prod-use1 before prod-euw1, the second step gated on the first", async () => {
    const upgrade = head();
    const staging = await run(["promote", "--addon", "metrics-server", "--to", "staging", "--open-pr"], { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url });
    expectExit(staging, 0);
    expect(clustersOf(changed("promote/staging/addon-metrics-server"))).toEqual(["staging-use1"]);
    const body = github.pulls.at(-1)!.body;
    expect(body).toContain("## Promote add-ons to `staging` from `dev`");
    expect(body).toContain(`| \`metrics-server\` | \`staging-use1\` | 1 of 1 | \`v0.8.0\` | **\`v0.8.1\`** | \`${before.slice(0, 12)}\` | **\`${upgrade.slice(0, 12)}\`** |`);
    merge("promote/staging/addon-metrics-server");

    // Step 1 of prod: prod-use1 only.
    const first = await run(["promote", "--addon", "metrics-server", "--to", "prod"]);
    expectExit(first, 0);
    expect(first.stdout).toContain("add-on metrics-server v0.8.0 → v0.8.1 on prod-use1 (step 1 of 2)");
    expect(clustersOf(changed("promote/prod/addon-metrics-server"))).toEqual(["prod-use1"]);
    expect(deployment("prod-use1", "promote/prod/addon-metrics-server")).toContain("metrics-server:v0.8.1");
    expect(deployment("prod-euw1", "promote/prod/addon-metrics-server")).toContain("metrics-server:v0.8.0");
    merge("promote/prod/addon-metrics-server");
    expect(pins("prod")["metrics-server"]).toEqual({
      "prod-euw1": { version: "v0.8.0", definition: before, promotedFrom: "staging" },
      "prod-use1": { version: "v0.8.1", definition: upgrade, promotedFrom: "staging" },
    });
    const status = await run(["status"]);
    expect(status.stdout).toContain("promotable: add-on metrics-server v0.8.1 → prod on prod-euw1 (rollout step 2 of 2)");
    expect(status.stdout).toContain("rolling out: add-on metrics-server in prod");

    // Step 2 waits for prod-use1's add-on Application to be healthy for the soak.
    argocd.applications = [{ name: "prod-use1-addon-metrics-server", sync: "Synced", health: "Healthy", finishedMinutesAgo: 10 }];
    const young = await run(["promote", "--addon", "metrics-server", "--to", "prod"], gated());
    expectExit(young, 1);
    expect(young.stderr).toContain("the health gate of prod refuses");
    expect(young.stderr).toContain("prod-use1-addon-metrics-server last synced 10m ago, less than the 30m soak of prod");
    expect(argocd.requests.at(-1)!.url).toBe(`/api/v1/applications?selector=${encodeURIComponent("slipway.dev/addon=metrics-server")}`);
    expect(repo.git("branch", "--list", "promote/prod/addon-metrics-server").trim()).toBe("");

    argocd.applications = [{ name: "prod-use1-addon-metrics-server", sync: "Synced", health: "Healthy", finishedMinutesAgo: 45 }];
    const second = await run(["promote", "--addon", "metrics-server", "--to", "prod"], gated());
    expectExit(second, 0);
    expect(second.stdout).toContain("add-on metrics-server v0.8.0 → v0.8.1 on prod-euw1 (step 2 of 2)");
    expect(second.stdout).toContain("health gate: 1 add-on Application in prod (prod-use1-addon-metrics-server) Synced and Healthy, each for at least 30m");
    expect(clustersOf(changed("promote/prod/addon-metrics-server"))).toEqual(["prod-euw1"]);
    merge("promote/prod/addon-metrics-server");
    expect(deployment("prod-euw1")).toContain("metrics-server:v0.8.1");
    expectExit(await run(["render", "--check"]), 0);
  });

  it("rollback --addon restores the pins the environment had before, with the rendered diff", async () => {
    const back = await run(["rollback", "--addon", "metrics-server", "--env", "prod"]);
    expectExit(back, 0);
    expect(back.stdout).toContain("add-on metrics-server v0.8.1 → v0.8.0 on prod-euw1 (step 2 of 2)");
    expect(clustersOf(changed("rollback/prod/addon-metrics-server"))).toEqual(["prod-euw1"]);
    expect(pins("prod", "rollback/prod/addon-metrics-server")["metrics-server"]!["prod-euw1"]).toEqual({ version: "v0.8.0", definition: before, promotedFrom: "staging" });
    repo.git("branch", "--quiet", "-D", "rollback/prod/addon-metrics-server");
  });

  it("refuses a pin whose version is not its commit's, naming the lock file and field, and changes nothing", async () => {
    const lockFile = join(repo.dir, "environments/staging/releases.yaml");
    const text = readFileSync(lockFile, "utf8");
    editFile(lockFile, (t) => t.replace(/(staging-use1:\n {6}version: )v0\.8\.1/, "$1v0.8.9"));
    const render = await run(["render"]);
    expectExit(render, 1);
    expect(render.stderr).toContain("environments/staging/releases.yaml");
    expect(render.stderr).toContain("addons.metrics-server.staging-use1.version");
    expect(render.stderr).toContain("says metrics-server v0.8.9 on staging-use1, but addons/metrics-server.ts");
    expect(repo.git("status", "--porcelain", "--", "clusters").trim()).toBe("");
    editFile(lockFile, () => text);

    const unknown = await run(["promote", "--addon", "metrics-servr", "--to", "staging"]);
    expectExit(unknown, 2);
    expect(unknown.stderr).toContain("unknown add-on `metrics-servr`");
  });
});
