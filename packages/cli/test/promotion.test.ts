/**
 * Promotion teams can trust, through the shipped `slipway` in a git repository of the fixture
 * fleet: definitions are promoted with images (a base edit of app.ts renders dev only), the
 * health gate asks a loopback server answering like Argo CD's `/api/v1/applications` (fake-argocd.ts), rollback
 * restores the previous release from the lock file's history, and retiring an app leaves no
 * orphan. The steps build on each other, in order.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeGitHub, type FakeGitHub } from "@slipway/diff/testing";
import { editFile, fixtureFleetRepo, type TempRepo } from "@slipway/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ARGOCD_TOKEN, startFakeArgocd, type FakeApplication, type FakeArgocd } from "./fake-argocd";
import { said, slipway, type Run } from "./slipway";

interface Locked { tag: string; digest: string; commit: string; promotedFrom?: string; definition?: string }

let repo: TempRepo;
let github: FakeGitHub;
let argocd: FakeArgocd;
const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => slipway(repo.dir, argv, { env });
const lock = (env: string, ref = "HEAD"): Record<string, Locked> => (parse(repo.git("show", `${ref}:environments/${env}/releases.yaml`)) as { apps: Record<string, Locked> }).apps;
const head = () => repo.git("rev-parse", "HEAD").trim();
/** Files a branch changes relative to main. */
const changed = (branch: string) => repo.git("diff", "--name-only", `main...${branch}`).trim().split("\n").filter(Boolean);
const clustersOf = (files: readonly string[]) => [...new Set(files.filter((f) => f.startsWith("clusters/")).map((f) => f.split("/")[1]!))].sort();

function expectExit(result: Run, code: number): void {
  expect(result.code, said(result)).toBe(code);
}

function merge(branch: string): void {
  repo.git("merge", "--quiet", "--ff-only", branch);
  repo.git("branch", "--quiet", "-D", branch);
}

const SETTLEMENT_IMAGE = "210987654321.dkr.ecr.us-east-1.amazonaws.com/payments/settlement";

beforeAll(async () => {
  repo = await fixtureFleetRepo();
  github = await startFakeGitHub();
  argocd = await startFakeArgocd();
  expectExit(await run(["render"]), 0);
  repo.commit("render");
});
afterAll(async () => {
  await github?.close();
  await argocd?.close();
  repo?.cleanup();
});

describe("promotion of what runs: image and definition", () => {
  let pinned: string;

  it("GIVEN staging and prod pin settlement's definition at a fleet commit THEN rendering changes nothing, and promoting again is a no-op", async () => {
    pinned = head();
    for (const env of ["staging", "prod"]) {
      editFile(join(repo.dir, `environments/${env}/releases.yaml`), (text) => text.replace(/(\n {2}settlement:\n(?: {4}.*\n)*? {4}promotedFrom: \w+\n)/, `$1    definition: ${pinned}\n`));
    }
    repo.commit("pin settlement's definition");
    expect(lock("staging").settlement).toMatchObject({ tag: "1.8.0", definition: pinned });
    const render = await run(["render"]);
    expectExit(render, 0);
    expect(render.stdout).toMatch(/: 0 written, 0 deleted/);
    expect((await run(["promote", "settlement", "--to", "staging"])).stdout).toMatch(/^Nothing to promote/);
  });

  it("GIVEN a base edit of app.ts WHEN rendered THEN only dev changes, and status shows the definition promotable", async () => {
    editFile(join(repo.dir, "apps/payments/settlement/app.ts"), (text) => text.replace('memory: "256Mi"', 'memory: "384Mi"'));
    repo.commit("settlement: more memory");
    expectExit(await run(["render"]), 0);
    const touched = repo.git("status", "--porcelain").trim().split("\n").map((l) => l.slice(3));
    expect(clustersOf(touched)).toEqual(["dev-use1"]);
    expect(readFileSync(join(repo.dir, "clusters/dev-use1/dev/settlement/deployment-settlement.yaml"), "utf8")).toContain("memory: 384Mi");
    expect(readFileSync(join(repo.dir, "clusters/staging-use1/staging/settlement/deployment-settlement.yaml"), "utf8")).toContain("memory: 256Mi");
    repo.commit("render");
    expectExit(await run(["render", "--check"]), 0);

    const status = await run(["status", "--json"]);
    expectExit(status, 0);
    const cells = JSON.parse(status.stdout).cells.settlement;
    expect(cells.dev).toMatchObject({ definition: "working-tree" });
    expect(cells.staging).toMatchObject({ definition: pinned, promotableChanges: ["definition"] });
    expect(cells.prod).toMatchObject({ definition: pinned, promotableChanges: ["image"] });
    expect(cells.prod.promotableChanges).toEqual(["image"]);
    const text = await run(["status"]);
    expect(text.stdout).toContain("promotable: settlement 1.8.0");
    expect(text.stdout).toContain("changing its definition: slipway promote settlement --to staging");
  });

  it("WHEN promoted THEN the edit reaches staging, then prod (both clusters, through the rollout)", async () => {
    const edited = head();
    const staging = await run(["promote", "settlement", "--to", "staging", "--open-pr"], { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url });
    expectExit(staging, 0);
    expect(clustersOf(changed("promote/staging/settlement"))).toEqual(["staging-use1"]);
    expect(repo.git("show", "promote/staging/settlement:clusters/staging-use1/staging/settlement/deployment-settlement.yaml")).toContain("memory: 384Mi");
    const body = github.pulls.at(-1)!.body;
    expect(body).toContain("definition now");
    expect(body).toContain(`\`${pinned.slice(0, 12)}\``);
    expect(body).toContain(`**\`${edited.slice(0, 12)}\`**`);
    merge("promote/staging/settlement");

    expectExit(await run(["promote", "settlement", "--to", "prod"]), 0);
    expect(clustersOf(changed("promote/prod/settlement"))).toEqual(["prod-euw1", "prod-use1"]);
    expect(lock("prod", "promote/prod/settlement").settlement!.definition).toBe(edited);
    merge("promote/prod/settlement");
  });
});

describe("the health gate", () => {
  const gated = () => ({ ARGOCD_SERVER: argocd.url, ARGOCD_AUTH_TOKEN: ARGOCD_TOKEN, GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url });
  const staged = (over: Partial<FakeApplication>) => [{ name: "staging-use1-staging-settlement", sync: "Synced", health: "Healthy", finishedMinutesAgo: 180, ...over }];

  beforeAll(async () => {
    // Staging gates what leaves it: 30 minutes Synced and Healthy.
    editFile(join(repo.dir, "environments/staging/environment.ts"), (text) => text.replace(/\n\}\);\s*$/, '\n  promotion: { soak: "30m" },\n});\n'));
    editFile(join(repo.dir, "apps/payments/settlement/app.ts"), (text) => text.replace('cpu: "200m"', 'cpu: "250m"'));
    repo.commit("staging soaks 30m; settlement: more cpu");
    expectExit(await run(["render"]), 0);
    repo.commit("render");
    // Into staging: dev has no soak, so no gate.
    expectExit(await run(["promote", "settlement", "--to", "staging"]), 0);
    merge("promote/staging/settlement");
  });

  it("refuses without an Argo CD to ask, and on an unhealthy or too young release", async () => {
    const blind = await run(["promote", "settlement", "--to", "prod"]);
    expectExit(blind, 1);
    expect(blind.stderr).toContain("no Argo CD to ask about staging: set ARGOCD_SERVER and ARGOCD_AUTH_TOKEN");

    argocd.applications = staged({ health: "Degraded" });
    const unhealthy = await run(["promote", "settlement", "--to", "prod"], gated());
    expectExit(unhealthy, 1);
    expect(unhealthy.stderr).toContain("the health gate of staging refuses");
    expect(unhealthy.stderr).toContain("staging-use1-staging-settlement is Degraded, not Healthy");
    expect(argocd.requests.at(-1)!.url).toBe(`/api/v1/applications?selector=${encodeURIComponent("slipway.dev/environment=staging,slipway.dev/app=settlement")}`);

    argocd.applications = staged({ sync: "OutOfSync", finishedMinutesAgo: 5 });
    const young = await run(["promote", "settlement", "--to", "prod"], gated());
    expectExit(young, 1);
    expect(young.stderr).toContain("is OutOfSync, not Synced");
    // Measured against Argo CD's clock (its Date header), so exactly the 5 minutes it reports.
    expect(young.stderr).toContain("last synced 5m ago, less than the 30m soak of staging");

    argocd.applications = staged({ images: [`${SETTLEMENT_IMAGE}:1.7.5@sha256:${"0".repeat(64)}`] });
    const other = await run(["promote", "settlement", "--to", "prod"], gated());
    expectExit(other, 1);
    expect(other.stderr).toMatch(/runs .*:1\.7\.5@sha256:0+, not 1\.8\.0/);

    argocd.applications = [];
    const missing = await run(["promote", "settlement", "--to", "prod"], gated());
    expectExit(missing, 1);
    expect(missing.stderr).toContain("staging-use1-staging-settlement: Argo CD has no such Application");

    const badToken = await run(["promote", "settlement", "--to", "prod"], { ...gated(), ARGOCD_AUTH_TOKEN: "wrong" });
    expectExit(badToken, 1);
    expect(badToken.stderr).toContain("refused the token (HTTP 401)");
    expect(repo.git("branch", "--list", "promote/prod/settlement").trim()).toBe("");
  });

  it("--override passes, recording who and why in the commit and the pull request", async () => {
    argocd.applications = staged({ health: "Degraded" });
    const empty = await run(["promote", "settlement", "--to", "prod", "--override", " "], gated());
    expectExit(empty, 2);
    const forced = await run(["promote", "settlement", "--to", "prod", "--override", "INC-42: staging's database is down, fix verified in dev", "--open-pr"], { ...gated(), GITHUB_ACTOR: "release-manager" });
    expectExit(forced, 0);
    expect(forced.stdout).toContain("health gate overridden by @release-manager: INC-42");
    const pull = github.pulls.find((p) => p.head === "promote/prod/settlement")!;
    expect(pull.body).toContain("**Health gate overridden** by @release-manager: INC-42: staging's database is down, fix verified in dev");
    expect(pull.body).toContain("staging-use1-staging-settlement is Degraded, not Healthy");
    expect(repo.git("log", "-1", "--format=%B", "promote/prod/settlement")).toContain("Health gate overridden by @release-manager: INC-42");
    repo.git("branch", "--quiet", "-D", "promote/prod/settlement");
  });

  it("passes a release Synced and Healthy past the soak, saying so in the pull request", async () => {
    argocd.applications = staged({ images: [`${SETTLEMENT_IMAGE}:1.8.0@${lock("staging").settlement!.digest}`] });
    const passed = await run(["promote", "settlement", "--to", "prod", "--open-pr"], gated());
    expectExit(passed, 0);
    expect(passed.stdout).toContain("health gate: 1 Application in staging (staging-use1) Synced and Healthy, each for at least 30m since its last sync");
    expect(github.pulls.find((p) => p.head === "promote/prod/settlement")!.body).toContain("Health gate: 1 Application in staging");
    merge("promote/prod/settlement");
    expect(lock("prod").settlement!.definition).toBe(lock("staging").settlement!.definition);
  });
});

describe("rollback", () => {
  it("restores the previous release of the environment from the lock file's history, with the rendered diff", async () => {
    const now = lock("prod").settlement!;
    const before = lock("prod", "HEAD~1").settlement!;
    expect(before.definition).not.toBe(now.definition);
    const dry = await run(["rollback", "settlement", "--env", "prod", "--dry-run"]);
    expectExit(dry, 0);
    expect(dry.stdout).toContain("Would rollback prod:");
    expect(dry.stdout).toContain("cpu: 250m → 200m");
    const back = await run(["rollback", "settlement", "--env", "prod", "--open-pr"], { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url });
    expectExit(back, 0);
    expect(lock("prod", "rollback/prod/settlement").settlement).toEqual(before);
    expect(clustersOf(changed("rollback/prod/settlement"))).toEqual(["prod-euw1", "prod-use1"]);
    const pull = github.pulls.find((p) => p.head === "rollback/prod/settlement")!;
    expect(pull.title).toBe("rollback(prod): settlement 1.8.0");
    expect(pull.body).toContain("## Roll back `prod`");
    expect(pull.body).toContain("deployment-settlement");
    merge("rollback/prod/settlement");
    expectExit(await run(["render", "--check"]), 0);

    const none = await run(["rollback", "reconcile", "--env", "prod"]);
    expectExit(none, 1);
    expect(none.stderr).toContain("prod has run no other release of `reconcile`");
  });
});

describe("retiring an app", () => {
  it("deletes its Applications with cascade, flagged by diff; preview finds no orphan", async () => {
    const set = "clusters/prod-use1/argocd/applicationset-prod-use1-rollout-prod-settlement.yaml";
    const retiring = parse(readFileSync(join(repo.dir, set), "utf8")) as { spec: { syncPolicy: unknown; template: { metadata: { finalizers: string[] } } } };
    expect(retiring.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: false, applicationsSync: "sync" });
    expect(retiring.spec.template.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);

    editFile(join(repo.dir, "environments/prod/releases.yaml"), (text) => text.replace(/\n {2}settlement:\n(?: {4}.*\n)+/, "\n"));
    expectExit(await run(["render"]), 0);
    expect(existsSync(join(repo.dir, set))).toBe(false);
    expect(existsSync(join(repo.dir, "clusters/prod-euw1/prod/settlement"))).toBe(false);
    repo.commit("retire settlement from prod");

    const diff = await run(["diff", "--base", "HEAD^1", "--head", "HEAD", "--output", "json"]);
    expectExit(diff, 0);
    expect(diff.stdout).toContain("retires clusters/prod-use1/prod/settlement: Argo CD deletes its Application and, with cascade, its workloads");
    expect(diff.stdout).toContain("retires clusters/prod-euw1/prod/settlement");
    const preview = await run(["argocd", "preview"]);
    expectExit(preview, 0);
    expect(preview.stdout).toContain("ON REMOVAL");
    expect(preview.stdout).not.toContain("orphaned");

    // An app set edited to preserve resources would orphan: preview says so.
    const other = "clusters/prod-use1/argocd/applicationset-prod-use1-rollout-prod-reconcile.yaml";
    editFile(join(repo.dir, other), (text) => text.replace("preserveResourcesOnDeletion: false", "preserveResourcesOnDeletion: true"));
    const orphaning = await run(["argocd", "preview", "--cluster", "prod-use1"]);
    expectExit(orphaning, 1);
    expect(orphaning.stderr).toContain("[orphans-on-removal]");
    writeFileSync(join(repo.dir, other), repo.git("show", `HEAD:${other}`));
  });
});
