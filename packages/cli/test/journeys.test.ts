/**
 * Acceptance journeys: the shipped `slipway`, spawned as `npx slipway …` in a git repository
 * holding the fixture fleet (with a bare `origin` and a loopback GitHub API), for every command
 * the README and the workflows document. Each step asserts the exit code, what was printed and
 * the repository's state afterwards. The steps build on each other, in order.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeGitHub as startFakeUpstream } from "@slipway/addons/testing";
import { startFakeGitHub, type FakeGitHub } from "@slipway/diff/testing";
import { editFile, fingerprint, fixtureFleetRepo, type TempRepo } from "@slipway/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { documentedCommands } from "./documented-commands";
import { NODE_VERSION, runs, said, slipway, type Run } from "./slipway";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const REGISTRY = "210987654321.dkr.ecr.us-east-1.amazonaws.com";
const DIGEST = `sha256:${"5e".repeat(32)}`;
const SOURCE_COMMIT = "c0ffee".repeat(6) + "c0ff";

let repo: TempRepo;
let github: FakeGitHub;
const run = (argv: string[], options?: Parameters<typeof slipway>[2]) => slipway(repo.dir, argv, options);
const runIn = (subdir: string, argv: string[]) => slipway(join(repo.dir, subdir), argv);
const githubEnv = () => ({ GITHUB_TOKEN: "test-token", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url });

function expectExit(result: Run, code: number): void {
  expect(result.code, said(result)).toBe(code);
}

/** Uncommitted changes of the checkout (`git status --porcelain`), ignored files aside. */
const status = () => repo.git("status", "--porcelain").trim();
const branches = () => repo.git("branch", "--format=%(refname:short)").trim().split("\n").sort();
const lockFile = (env: string) => parse(readFileSync(join(repo.dir, "environments", env, "releases.yaml"), "utf8")) as { apps: Record<string, { tag: string; digest: string; commit: string; promotedFrom?: string }> };
/** A pull request merged: main fast-forwards to the branch the command committed on. */
function merge(branch: string): void {
  repo.git("merge", "--quiet", "--ff-only", branch);
  repo.git("branch", "--quiet", "-D", branch);
}

beforeAll(async () => {
  repo = await fixtureFleetRepo();
  github = await startFakeGitHub();
});
afterAll(async () => {
  await github?.close();
  repo?.cleanup();
});

describe(`slipway as shipped, on Node ${NODE_VERSION}`, () => {
  describe("render", () => {
    it("renders the fleet from nothing, and the second render writes nothing", async () => {
      const first = await run(["render"]);
      expectExit(first, 0);
      expect(first.stdout).toMatch(/^rendered \d+ objects: [1-9]\d* written, 0 deleted, 0 unchanged/m);
      expect(existsSync(join(repo.dir, "clusters/dev-use1/dev/storefront"))).toBe(true);
      repo.commit("render");
      const again = await run(["render"]);
      expectExit(again, 0);
      expect(again.stdout).toMatch(/: 0 written, 0 deleted, \d+ unchanged/);
      expect(status()).toBe("");
    });

    it("--check passes on the committed tree, from the root and from any subdirectory", async () => {
      for (const where of [".", "apps/payments", "clusters/dev-use1/dev"]) {
        const check = await runIn(where, ["render", "--check"]);
        expectExit(check, 0);
        expect(check.stdout).toMatch(/clusters\/ is up to date/);
      }
    });

    it("--check fails naming a hand-edited or hand-added file and changes nothing; --repair puts the tree right", async () => {
      const file = "clusters/dev-use1/dev/storefront/configmap-storefront-config.yaml";
      editFile(join(repo.dir, file), (text) => text.replace('FEATURED_PRODUCTS: "12"', 'FEATURED_PRODUCTS: "99"'));
      writeFileSync(join(repo.dir, "clusters/dev-use1/dev/storefront/pod-extra.json"), "{}\n");
      const before = fingerprint(join(repo.dir, "clusters"));
      const check = await run(["render", "--check"]);
      expectExit(check, 1);
      expect(check.stdout).toContain(`${file}: differs`);
      expect(check.stdout).toContain("clusters/dev-use1/dev/storefront/pod-extra.json: not rendered by slipway");
      expect(check.stdout).toMatch(/slipway render --repair/);
      expect(fingerprint(join(repo.dir, "clusters"))).toEqual(before);
      const repaired = await run(["render", "--repair"]);
      expectExit(repaired, 0);
      expect(repaired.stdout).toContain(`wrote   ${file}`);
      expect(repaired.stdout).toContain("deleted clusters/dev-use1/dev/storefront/pod-extra.json");
      expect(status()).toBe("");
      expectExit(await run(["render", "--check", "--repair"]), 2);
    });

    it("filters by cluster, environment and app; an unknown one is a usage error naming the known ones", async () => {
      expectExit(await run(["render", "--cluster", "dev-use1"]), 0);
      expectExit(await run(["render", "--env", "staging"]), 0);
      expectExit(await run(["render", "--app", "settlement", "--check"]), 0);
      for (const [flag, value, known] of [["--cluster", "nope", "dev-use1"], ["--env", "nope", "staging"], ["--app", "nope", "storefront"]] as const) {
        const wrong = await run(["render", flag, value]);
        expectExit(wrong, 2);
        expect(wrong.stderr).toContain(`\`${value}\``);
        expect(wrong.stderr).toContain(known);
      }
      expect(status()).toBe("");
    });

    it("--json prints a machine-readable summary", async () => {
      const json = await run(["render", "--json"]);
      expectExit(json, 0);
      expect(JSON.parse(json.stdout)).toMatchObject({ mode: "write", written: [], deleted: [] });
    });

    it("--shard renders one shard's clusters, as pr.yml's matrix runs it (the union of shards: pr-checks.test.ts)", async () => {
      const shard = await run(["render", "--shard", "1/1", "--json"]);
      expectExit(shard, 0);
      const result = JSON.parse(shard.stdout) as { shard: unknown; clusters: string[]; written: string[] };
      expect(result).toMatchObject({ shard: { index: 1, count: 1 }, written: [] });
      expect(result.clusters).toEqual(["dev-use1", "prod-euw1", "prod-use1", "staging-use1"]);
      expect(status()).toBe("");
    });
  });

  describe("validate", () => {
    it("validates the rendered fleet in every output format", async () => {
      const pretty = await run(["validate"]);
      expectExit(pretty, 0);
      const json = await run(["validate", "--output", "json"]);
      expectExit(json, 0);
      expect(JSON.parse(json.stdout)).toMatchObject({ summary: { errors: 0 } });
      const junit = await run(["validate", "--output", "junit"]);
      expectExit(junit, 0);
      expect(junit.stdout).toMatch(/^<\?xml[\s\S]*<testsuites[\s\S]*<\/testsuites>\s*$/);
      expectExit(await run(["validate", "--output", "github"]), 0);
      expectExit(await run(["validate", "--summary"]), 0);
    });

    it("--changed-from validates what changed since a revision, as pr.yml runs it (equivalence: pr-checks.test.ts)", async () => {
      const clean = await run(["validate", "--changed-from", "HEAD", "--output", "github"]);
      expectExit(clean, 0);
      expect(clean.stderr).toContain("changes since HEAD: 0 file(s) validated");
      const bad = await run(["validate", "--changed-from", "nope"]);
      expectExit(bad, 1);
      expect(bad.stderr).toContain("unknown git revision `nope`");
    });

    it("finds the problem in a manifest given on stdin or as a file, with its rule and where", async () => {
      const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: evil\n  namespace: default\nspec:\n  containers:\n    - name: x\n      image: nginx\n      securityContext:\n        privileged: true\n";
      const stdin = await run(["validate", "--policy", "prod", "-"], { input: pod });
      expectExit(stdin, 1);
      expect(stdin.stdout + stdin.stderr).toMatch(/SW-GR-PRIVILEGED/);
      writeFileSync(join(repo.dir, "pod.yaml"), pod);
      const file = await run(["validate", "--policy", "prod", "pod.yaml", "--output", "github"]);
      expectExit(file, 1);
      expect(file.stdout).toMatch(/::error file=pod\.yaml,line=\d+/);
      repo.remove("pod.yaml");
    });

    it("rejects a wrong option as a usage error", async () => {
      const wrong = await run(["validate", "--output", "nope"]);
      expectExit(wrong, 2);
      expect(wrong.stderr).toMatch(/nope/);
    });
  });

  describe("argocd preview", () => {
    it("lists the Applications of every cluster, or of one, as a table or JSON", async () => {
      const all = await run(["argocd", "preview"]);
      expectExit(all, 0);
      expect(all.stdout).toMatch(/dev-use1-dev-storefront/);
      expect(all.stdout).toMatch(/No problems in 4 clusters/);
      const one = await run(["argocd", "preview", "--cluster", "prod-use1", "--json"]);
      expectExit(one, 0);
      const preview = JSON.parse(one.stdout) as { clusters: { cluster: string; applications: { name: string }[] }[] };
      expect(preview.clusters.map((c) => c.cluster)).toEqual(["prod-use1"]);
      expect(preview.clusters[0]!.applications.map((a) => a.name)).toContain("prod-euw1-prod-storefront");
      const wrong = await run(["argocd", "preview", "--cluster", "nope"]);
      expectExit(wrong, 2);
      expect(wrong.stderr).toContain("dev-use1");
    });
  });

  describe("addons check-sources", () => {
    it("checks each pinned add-on's CRD source against GitHub (a loopback one, with the recorded upstream listings)", async () => {
      const upstream = await startFakeUpstream();
      try {
        const check = await run(["addons", "check-sources"], { env: { GITHUB_API_URL: upstream.url, GITHUB_TOKEN: "test-token" } });
        expectExit(check, 0);
        expect(check.stdout).toMatch(/✓ cert-manager v1\.18\.2: cert-manager\/cert-manager release v1\.18\.2: cert-manager\.crds\.yaml \(1 file, 6 CRDs\)/);
        expect(check.stdout).toMatch(/✓ external-secrets v0\.18\.2: .*\(21 files, 21 CRDs\)/);
        expect(check.stdout).toContain("Every CRD source resolves to the CRDs its add-on needs (3 checked).");
        expect(upstream.requests.every((r) => r.headers.authorization === "Bearer test-token")).toBe(true);
        expectExit(await run(["addons", "check-sources", "--addon", "cert-managr"]), 2);
      } finally {
        await upstream.close();
      }
    });
  });

  describe("new", () => {
    it("scaffolds a tenant and an app that render and validate as written, and never overwrites", async () => {
      const start = repo.git("rev-parse", "HEAD").trim();
      try {
        const tenant = await run(["new", "tenant", "growth", "--team", "@acme/growth", "--registry", REGISTRY]);
        expectExit(tenant, 0);
        expect(existsSync(join(repo.dir, "apps/growth/tenant.ts"))).toBe(true);
        const app = await run(["new", "app", "growth/referrals", "--kind", "web-service", "--registry", REGISTRY]);
        expectExit(app, 0);
        expect(app.stdout).toMatch(/slipway release referrals --env \S+ --image \S+ --commit/);
        const written = readFileSync(join(repo.dir, "apps/growth/referrals/app.ts"), "utf8");
        const again = await run(["new", "app", "growth/referrals"]);
        expect(again.code, said(again)).not.toBe(0);
        expect(again.stderr).toMatch(/already exists/);
        expect(readFileSync(join(repo.dir, "apps/growth/referrals/app.ts"), "utf8")).toBe(written);
        const orphan = await run(["new", "app", "nobody/thing"]);
        expectExit(orphan, 2);
        expect(orphan.stderr).toMatch(/slipway new tenant nobody/);
        // As the README goes on: commit the definitions, record a first release, merge its pull request.
        repo.commit("growth: a tenant and its first app");
        const release = await run(["release", "referrals", "--env", "dev", "--image", `${REGISTRY}/growth/referrals:0.1.0@${DIGEST}`, "--commit", SOURCE_COMMIT]);
        expectExit(release, 0);
        merge("release/dev/referrals");
        expect(existsSync(join(repo.dir, "clusters/dev-use1/dev/referrals/deployment-referrals.yaml"))).toBe(true);
        expectExit(await run(["render", "--check"]), 0);
        expectExit(await run(["validate"]), 0);
        expectExit(await run(["argocd", "preview"]), 0);
      } finally {
        repo.git("reset", "--quiet", "--hard", start);
        repo.git("clean", "--quiet", "-fd");
      }
      expect(status()).toBe("");
    });
  });

  describe("release → promote dev → staging → prod", () => {
    const image = `${REGISTRY}/payments/settlement:1.9.0@${DIGEST}`;

    it("refuses a release without its source commit, and an unknown app, as usage errors", async () => {
      const noCommit = await run(["release", "settlement", "--env", "dev", "--image", image]);
      expectExit(noCommit, 2);
      expect(noCommit.stderr).toMatch(/--commit/);
      const unknown = await run(["release", "nope", "--env", "dev", "--image", image, "--commit", SOURCE_COMMIT]);
      expectExit(unknown, 2);
      expect(unknown.stderr).toMatch(/unknown app `nope`[\s\S]*expected: reconcile, settlement, storefront/);
      expect(branches()).toEqual(["main"]);
    });

    it("release --dry-run shows the change and commits nothing", async () => {
      const dry = await run(["release", "settlement", "--env", "dev", "--image", image, "--commit", SOURCE_COMMIT, "--dry-run"]);
      expectExit(dry, 0);
      expect(dry.stdout).toMatch(/1\.9\.0/);
      expect(branches()).toEqual(["main"]);
      expect(status()).toBe("");
    });

    it("release records the build in dev on its own branch, re-rendered, and leaves the checkout alone", async () => {
      const head = repo.git("rev-parse", "HEAD").trim();
      const released = await run(["release", "settlement", "--env", "dev", "--image", image, "--commit", SOURCE_COMMIT]);
      expectExit(released, 0);
      expect(branches()).toEqual(["main", "release/dev/settlement"]);
      expect(repo.git("rev-parse", "HEAD").trim()).toBe(head);
      expect(status()).toBe("");
      const changed = repo.git("diff", "--name-only", "main", "release/dev/settlement").trim().split("\n");
      expect(changed).toContain("environments/dev/releases.yaml");
      expect(changed.some((f) => f.startsWith("clusters/dev-use1/dev/settlement/"))).toBe(true);
      expect(changed.every((f) => f === "environments/dev/releases.yaml" || f.startsWith("clusters/dev-use1/"))).toBe(true);
      merge("release/dev/settlement");
      expect(lockFile("dev").apps.settlement).toMatchObject({ tag: "1.9.0", digest: DIGEST, commit: SOURCE_COMMIT });
      expectExit(await run(["render", "--check"]), 0);
      const again = await run(["release", "settlement", "--env", "dev", "--image", image, "--commit", SOURCE_COMMIT]);
      expectExit(again, 0);
      expect(again.stdout).toMatch(/Nothing to release/);
      expect(branches()).toEqual(["main"]);
    });

    it("status shows what runs where and what is promotable, in every format", async () => {
      const text = await run(["status"]);
      expectExit(text, 0);
      expect(text.stdout).toMatch(/settlement\s+1\.9\.0/);
      expect(text.stdout).toMatch(/slipway promote settlement --to staging/);
      const markdown = await run(["status", "--output", "markdown"]);
      expectExit(markdown, 0);
      expect(markdown.stdout).toMatch(/^\|/m);
      const json = await run(["status", "--json"]);
      expectExit(json, 0);
      expect(JSON.parse(json.stdout)).toBeTypeOf("object");
    });

    it("promote refuses to skip a stage, and changes nothing", async () => {
      const skip = await run(["promote", "settlement", "--from", "dev", "--to", "prod"]);
      expectExit(skip, 1);
      expect(skip.stderr).toMatch(/staging/);
      const untested = await run(["promote", "settlement@1.9.0", "--to", "prod"]);
      expectExit(untested, 1);
      expect(untested.stderr).toMatch(/1\.9\.0/);
      const unknownEnv = await run(["promote", "settlement", "--to", "qa"]);
      expect(unknownEnv.code, said(unknownEnv)).not.toBe(0);
      expect(branches()).toEqual(["main"]);
      expect(status()).toBe("");
    });

    it("promote --dry-run shows the move and the rendered diff, and commits nothing", async () => {
      const dry = await run(["promote", "settlement", "--to", "staging", "--dry-run"]);
      expectExit(dry, 0);
      expect(dry.stdout).toMatch(/1\.8\.0.*1\.9\.0|1\.9\.0/);
      expect(dry.stdout).toMatch(/Dry run: nothing committed/);
      expect(branches()).toEqual(["main"]);
    });

    it("promote to staging commits on promote/staging/<app>; promoting again does nothing", async () => {
      const promoted = await run(["promote", "settlement", "--to", "staging"]);
      expectExit(promoted, 0);
      expect(branches()).toEqual(["main", "promote/staging/settlement"]);
      merge("promote/staging/settlement");
      expect(lockFile("staging").apps.settlement).toMatchObject({ tag: "1.9.0", digest: DIGEST, promotedFrom: "dev" });
      const again = await run(["promote", "settlement", "--to", "staging"]);
      expectExit(again, 0);
      expect(again.stdout).toMatch(/Nothing to promote/);
      expect(branches()).toEqual(["main"]);
    });

    it("promote to prod --open-pr pushes the branch and opens a pull request whose body is the release and the diff", async () => {
      const opened = await run(["promote", "settlement", "--to", "prod", "--open-pr"], { env: githubEnv() });
      expectExit(opened, 0);
      expect(repo.git("ls-remote", "--heads", "origin", "promote/prod/settlement").trim()).not.toBe("");
      const pull = github.pulls.find((p) => p.head === "promote/prod/settlement");
      expect(pull, JSON.stringify(github.pulls)).toBeDefined();
      expect(pull!.base).toBe("main");
      expect(pull!.body).toMatch(/settlement/);
      expect(pull!.body).toMatch(/1\.9\.0/);
      expect(github.calls.every((c) => c.headers.authorization === "Bearer test-token")).toBe(true);
    });

    it("never force-pushes over a reviewer's commit on the pull request's branch", async () => {
      const reviewer = join(repo.dir, "..", "reviewer");
      repo.git("clone", "--quiet", "--branch", "promote/prod/settlement", repo.remote, reviewer);
      writeFileSync(join(reviewer, "NOTES.md"), "a reviewer's fix-up\n");
      const identity = ["-c", "user.name=Reviewer", "-c", "user.email=reviewer@example.com"];
      repo.git("-C", reviewer, "add", "NOTES.md");
      repo.git("-C", reviewer, ...identity, "commit", "--quiet", "-m", "fix-up from review");
      repo.git("-C", reviewer, "push", "--quiet", "origin", "promote/prod/settlement");
      const theirs = repo.git("-C", reviewer, "rev-parse", "HEAD").trim();
      repo.git("branch", "--quiet", "-D", "promote/prod/settlement");
      const again = await run(["promote", "settlement", "--to", "prod", "--open-pr"], { env: githubEnv() });
      expectExit(again, 1);
      expect(again.stderr).toMatch(/commits slipway did not write/);
      expect(repo.git("ls-remote", "--heads", "origin", "promote/prod/settlement").split(/\s/)[0]).toBe(theirs);
      repo.git("fetch", "--quiet", "origin", "+promote/prod/settlement:promote/prod/settlement");
      merge("promote/prod/settlement");
      expect(lockFile("prod").apps.settlement).toMatchObject({ tag: "1.9.0", promotedFrom: "staging" });
      expectExit(await run(["render", "--check"]), 0);
    });

    it("pushes nothing when the GitHub API refuses the pull request", async () => {
      const next = `${REGISTRY}/payments/reconcile:0.7.0@sha256:${"7a".repeat(32)}`;
      const refused = await run(["release", "reconcile", "--env", "dev", "--image", next, "--commit", SOURCE_COMMIT, "--open-pr"], { env: { ...githubEnv(), GITHUB_TOKEN: "" } });
      expectExit(refused, 1);
      expect(refused.stderr).toMatch(/GITHUB_TOKEN/);
      const unreachable = await run(["release", "reconcile", "--env", "dev", "--image", next, "--commit", SOURCE_COMMIT, "--open-pr"], { env: { ...githubEnv(), GITHUB_API_URL: "http://127.0.0.1:9" } });
      expectExit(unreachable, 1);
      expect(repo.git("ls-remote", "--heads", "origin", "release/dev/reconcile").trim()).toBe("");
      repo.git("branch", "--quiet", "-D", "release/dev/reconcile");
    });

    it("the workflows' release and promote commands work as written (release.yml, promote.yml)", async () => {
      const next = `${REGISTRY}/payments/reconcile:0.7.0@sha256:${"7a".repeat(32)}`;
      const released = await run(["release", "reconcile", "--env", "dev", "--image", next, "--commit", SOURCE_COMMIT, "--open-pr"], { env: githubEnv() });
      expectExit(released, 0);
      expect(github.pulls.some((p) => p.head === "release/dev/reconcile")).toBe(true);
      merge("release/dev/reconcile");
      const promoted = await run(["promote", "reconcile", "--to", "staging", "--open-pr"], { env: githubEnv() });
      expectExit(promoted, 0);
      expect(github.pulls.some((p) => p.head === "promote/staging/reconcile")).toBe(true);
      merge("promote/staging/reconcile");
      const all = await run(["promote", "--all", "--to", "prod", "--dry-run"]);
      expectExit(all, 0);
      expect(all.stdout).toMatch(/reconcile/);
    });

    it("status exits 1 when the rendered tree drifts from the lock files", async () => {
      editFile(join(repo.dir, "clusters/staging-use1/staging/settlement/deployment-settlement.yaml"), (text) => text.replace(DIGEST, `sha256:${"00".repeat(32)}`));
      const drift = await run(["status"]);
      expectExit(drift, 1);
      expect(drift.stdout + drift.stderr).toMatch(/drift/i);
      repo.git("checkout", "--quiet", "--", "clusters");
      expectExit(await run(["status"]), 0);
    });
  });

  describe("diff", () => {
    it("shows a reviewer what a change renders to, as text, markdown and JSON, and as pull request comments", async () => {
      editFile(join(repo.dir, "apps/shop/storefront/app.ts"), (text) => text.replace('FEATURED_PRODUCTS: "12"', 'FEATURED_PRODUCTS: "24"'));
      expectExit(await run(["render"]), 0);
      const text = await run(["diff"]);
      expectExit(text, 0);
      expect(text.stdout).toMatch(/FEATURED_PRODUCTS/);
      const exitCode = await run(["diff", "--exit-code"]);
      expectExit(exitCode, 1);
      repo.commit("storefront: more featured products");
      const markdown = await run(["diff", "--base", "HEAD^1", "--head", "HEAD", "--output", "markdown"]);
      expectExit(markdown, 0);
      expect(markdown.stdout).toMatch(/storefront/);
      const json = await run(["diff", "--base", "HEAD^1", "--head", "HEAD", "--output", "json"]);
      expectExit(json, 0);
      expect(JSON.parse(json.stdout)).toBeTypeOf("object");
      const posted = await run(["diff", "--base", "HEAD^1", "--head", "HEAD", "--comment-on-pr", "7"], { env: githubEnv() });
      expectExit(posted, 0);
      expect(posted.stdout).toMatch(/1 created/);
      expect(github.comments.get(7)?.[0]?.body).toMatch(/FEATURED_PRODUCTS/);
      const reposted = await run(["diff", "--base", "HEAD^1", "--head", "HEAD", "--comment-on-pr", "7"], { env: githubEnv() });
      expectExit(reposted, 0);
      expect(reposted.stdout).toMatch(/0 created/);
      expect(github.comments.get(7)).toHaveLength(1);
      const wrong = await run(["diff", "--output", "nope"]);
      expectExit(wrong, 2);
    });
  });

  describe("the commands the README and the workflows document", () => {
    it("were each run above, with the same flags, and none was a usage error", () => {
      const documented = documentedCommands(REPO_ROOT);
      expect(documented.length).toBeGreaterThan(10);
      const missing = documented.filter(
        (doc) => !runs.some((r) => r.code !== 2 && doc.command.every((word, i) => r.argv[i] === word) && doc.flags.every((flag) => r.argv.some((a) => a === flag || a.startsWith(`${flag}=`)))),
      );
      expect(missing.map((m) => `${m.source}: ${m.text}`)).toEqual([]);
    });
  });
});
