/**
 * Promotion and release as the library does them: plan from the chain, apply in a worktree,
 * commit on a branch, push and open a pull request; refusals throw before anything changes.
 * (What `slipway promote` and `slipway release` print and exit with: packages/cli.)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { SlipwayError, UsageError } from "@slipway/core";
import { startFakeGitHub, type FakeGitHub, type TempRepo } from "@slipway/diff/testing";
import { applyPlan, type ApplyResult, type RenderStep } from "./apply";
import { loadReleaseChain } from "./chain";
import { PromotionError } from "./errors";
import { createFleetRepo, digest, fakeRender, REGISTRY, snapshot, worker } from "./fixture.test-helpers";
import { parseImageReference } from "./lock-file";
import { planPromotion, planRelease, type Plan, type PromotionRequest } from "./plan";

let repo: TempRepo;
let github: FakeGitHub | undefined;

async function setUp(): Promise<void> {
  repo = createFleetRepo();
  await fakeRender(repo.dir);
  repo.commit("fleet");
  repo.git("push", "--quiet", "origin", "main");
}
async function tearDown(): Promise<void> {
  repo.cleanup();
  await github?.close();
  github = undefined;
}
/** A fresh repository per test. */
function freshRepoPerTest(): void {
  beforeEach(setUp);
  afterEach(tearDown);
}

interface ApplyFlags {
  readonly render?: RenderStep;
  readonly env?: NodeJS.ProcessEnv;
  readonly dryRun?: boolean;
  readonly openPr?: boolean;
}

const apply = (plan: Plan, flags: ApplyFlags = {}): Promise<ApplyResult> =>
  applyPlan({ root: repo.dir, plan, render: flags.render ?? fakeRender, env: flags.env ?? {}, dryRun: flags.dryRun ?? false, openPr: flags.openPr ?? false });

const promote = async (request: PromotionRequest, flags: ApplyFlags = {}) => apply(planPromotion(await loadReleaseChain(repo.dir), request), flags);

const release = async (app: string, env: string, image: string, commit: string, flags: ApplyFlags = {}) =>
  apply(planRelease(await loadReleaseChain(repo.dir), { app, env, image: parseImageReference(image), commit }), flags);

/** What a refused call threw. */
const refusal = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

const lock = (env: string, ref = "HEAD") => parse(repo.git("show", `${ref}:environments/${env}/releases.yaml`)).apps;

describe("promotion", () => {
  describe("applied", () => {
    freshRepoPerTest();

    it("copies the release from the previous environment, re-renders and commits on promote/<env>/<apps>, leaving the checkout alone", async () => {
      const before = repo.git("status", "--porcelain");
      const result = await promote({ apps: ["checkout"], to: "staging" });
      expect(result).toMatchObject({ noop: false, pushed: false, plan: { branch: "promote/staging/checkout" } });
      expect(result.plan.moves.map((m) => `${m.app} ${m.before?.tag} → ${m.after.tag}`)).toEqual(["checkout 1.0.0 → 1.1.0"]);
      expect(repo.git("rev-parse", "promote/staging/checkout").trim()).toBe(result.commit);

      const staged = lock("staging", "promote/staging/checkout");
      // The definition is pinned at the fleet commit promoted from (dev follows the working tree).
      expect(staged.checkout).toEqual({ ...lock("dev").checkout, definition: repo.git("rev-parse", "HEAD").trim(), promotedFrom: "dev" });
      expect(repo.git("show", "promote/staging/checkout:clusters/staging-use1/staging/checkout/deployment-checkout.yaml")).toContain(`payments/checkout:1.1.0@${digest("b")}`);
      expect(repo.git("show", "promote/staging/checkout:environments/staging/releases.yaml")).toMatch(/^# Release lock file for staging\./);
      expect(repo.git("log", "-1", "--format=%s", "promote/staging/checkout").trim()).toBe("promote(staging): checkout 1.1.0 from dev");
      const changed = ["clusters/staging-use1/staging/checkout/deployment-checkout.yaml", "environments/staging/releases.yaml"];
      expect(repo.git("diff", "--name-only", "main", "promote/staging/checkout").trim().split("\n")).toEqual(changed);
      expect(result.files).toEqual(changed);
      // The user's checkout: same branch, same files, no leftover worktree.
      expect(repo.git("symbolic-ref", "--short", "HEAD").trim()).toBe("main");
      expect(repo.git("status", "--porcelain")).toBe(before);
      expect(repo.git("worktree", "list").trim().split("\n")).toHaveLength(1);
    });

    it("is idempotent: promoting what is already there is a no-op that changes nothing", async () => {
      await promote({ apps: ["checkout"], to: "staging" });
      repo.git("merge", "--quiet", "--ff-only", "promote/staging/checkout");
      const state = snapshot(repo);
      const again = await promote({ apps: ["checkout"], to: "staging" });
      expect(again).toMatchObject({ noop: true, files: [], pushed: false, plan: { unchanged: ["checkout"], moves: [] } });
      expect(snapshot(repo)).toBe(state);
    });

    it("a dry run computes the rendered diff (secrets masked) and changes nothing", async () => {
      const state = snapshot(repo);
      const result = await promote({ apps: ["checkout", "ledger"], to: "staging" }, { dryRun: true });
      expect(result.commit).toBeUndefined();
      expect(result.plan.moves.map((m) => `${m.app} ${m.before?.tag ?? "(new)"} → ${m.after.tag}`)).toEqual(["checkout 1.0.0 → 1.1.0", "ledger (new) → 2.0.0"]);
      const byKind = result.diff!.resources.map((r) => `${r.status} ${r.kind} ${r.namespace}/${r.name}`);
      expect(byKind).toEqual(["changed Deployment payments-staging/checkout", "added Deployment payments-staging/ledger"]);
      expect(JSON.stringify(result.diff)).not.toContain("pw-1.1.0");
      expect(snapshot(repo)).toBe(state);
    });

    it("`all` promotes every app the previous environment runs", async () => {
      const result = await promote({ apps: [], all: true, to: "staging" });
      expect(result.plan).toMatchObject({ action: "promote", branch: "promote/staging/all" });
      expect(result.plan.moves.map((m) => m.app)).toEqual(["checkout", "ledger"]);
      expect(Object.keys(lock("staging", "promote/staging/all"))).toEqual(["checkout", "ledger"]);
    });
  });

  describe("refusals: a clear error and nothing changed", () => {
    // Refusals change nothing (each test proves it), so they share one repository.
    beforeAll(setUp);
    afterAll(tearDown);
    const cases: [string, PromotionRequest, () => void, typeof SlipwayError, RegExp][] = [
      ["an unknown app (a usage error)", { apps: ["chekout"], to: "staging" }, () => {}, UsageError, /unknown app `chekout`[\s\S]*did you mean `checkout`/],
      ["an unknown environment (a usage error)", { apps: ["checkout"], to: "stagign" }, () => {}, UsageError, /unknown environment `stagign`[\s\S]*expected: dev → staging → prod[\s\S]*did you mean `--to staging`/],
      ["an unknown --from environment (a usage error)", { apps: ["checkout"], to: "prod", from: "qa" }, () => {}, UsageError, /unknown environment `qa`/],
      ["promoting into the first environment", { apps: ["checkout"], to: "dev" }, () => {}, PromotionError, /`dev` is the first environment of the chain[\s\S]*slipway release/],
      ["skipping a stage (--from dev --to prod)", { apps: ["checkout"], to: "prod", from: "dev" }, () => {}, PromotionError, /`prod` is promoted from `staging`, not `dev`: releases cannot skip a stage/],
      ["an app the previous environment does not run (out of order)", { apps: ["ledger"], to: "prod" }, () => {}, PromotionError, /`ledger` is not in staging yet[\s\S]*promote it to staging first: `slipway promote ledger --to staging`/],
      ["a release the previous environment does not run", { apps: ["checkout@1.1.0"], to: "prod" }, () => {}, PromotionError, /staging does not run checkout 1.1.0: it runs 1.0.0/],
      ["an app with no release anywhere", { apps: ["refunds"], to: "staging" }, () => {}, PromotionError, /`refunds` is not in dev yet[\s\S]*slipway release refunds --env dev/],
      [
        "a dirty working tree",
        { apps: ["checkout"], to: "staging" },
        () => writeFileSync(join(repo.dir, "apps/payments/checkout/app.ts"), `${worker("checkout")}// edited\n`),
        PromotionError,
        /uncommitted changes[\s\S]*apps\/payments\/checkout\/app.ts/,
      ],
    ];
    for (const [what, request, arrange, kind, message] of cases) {
      it(`refuses ${what}`, async () => {
        arrange();
        try {
          const state = snapshot(repo);
          const error = await refusal(promote(request));
          expect(error).toBeInstanceOf(kind);
          expect((error as SlipwayError).format()).toMatch(message);
          expect(snapshot(repo)).toBe(state);
        } finally {
          repo.git("checkout", "--quiet", "--", ".");
        }
      });
    }

    it("leaves everything as it was when the render fails", async () => {
      const state = snapshot(repo);
      const failing = async () => {
        throw new SlipwayError("app.ts: scaling.min: value is too small");
      };
      const error = await refusal(promote({ apps: ["checkout"], to: "staging" }, { render: failing }));
      expect((error as SlipwayError).message).toContain("scaling.min: value is too small");
      expect(snapshot(repo)).toBe(state);
      expect(repo.git("worktree", "list").trim().split("\n")).toHaveLength(1);
    });

    it("accepts a pinned release the previous environment runs (last: it makes a branch)", async () => {
      const result = await promote({ apps: [`checkout@${digest("b")}`], to: "staging" });
      expect(result.commit).toBeDefined();
    });
  });
});

describe("promotion through the GitHub REST API", () => {
  freshRepoPerTest();

  it("pushes the branch and opens a pull request whose body is the release table and the diff; a re-run updates it", async () => {
    github = await startFakeGitHub();
    const env = { GITHUB_TOKEN: "ghs_test", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url };
    const result = await promote({ apps: ["checkout"], to: "staging" }, { env, openPr: true });
    expect(result.pullRequest).toMatchObject({ created: true, number: 1, url: "https://github.example/pull/1" });
    expect(repo.git("ls-remote", "origin", "refs/heads/promote/staging/checkout")).toContain(repo.git("rev-parse", "promote/staging/checkout").trim());

    const shapes = github.calls.map((c) => `${c.method} ${c.url}`);
    expect(shapes).toEqual([
      "GET /repos/acme/fleet/pulls?state=open&head=acme%3Apromote%2Fstaging%2Fcheckout&base=main",
      "POST /repos/acme/fleet/pulls",
      "GET /repos/acme/fleet/issues/1/comments?per_page=100&page=1",
    ]);
    for (const call of github.calls) {
      expect(call.headers.authorization).toBe("Bearer ghs_test");
      expect(call.headers.accept).toBe("application/vnd.github+json");
      expect(call.headers["x-github-api-version"]).toBe("2022-11-28");
    }
    const create = github.calls[1]!.body as Record<string, unknown>;
    expect(Object.keys(create).sort()).toEqual(["base", "body", "head", "maintainer_can_modify", "title"]);
    expect(create).toMatchObject({ title: "promote(staging): checkout 1.1.0 from dev", head: "promote/staging/checkout", base: "main" });
    const body = String(create.body);
    expect(body).toContain("| `checkout` | `1.0.0` | **`1.1.0`** | `sha256:bbbbbbb…` | `bbbbbbbbbbbb` |");
    expect(body).toContain("<!-- slipway:diff part=1 -->");
    expect(body).toContain("~ spec.template.spec.containers[checkout].image:");
    expect(body).not.toContain("pw-1.1.0");

    // Running it again updates the same pull request instead of opening another.
    github.calls.length = 0;
    const again = await promote({ apps: ["checkout"], to: "staging" }, { env, openPr: true });
    expect(again.pullRequest).toMatchObject({ created: false, number: 1 });
    expect(github.calls.map((c) => c.method)).toEqual(["GET", "PATCH", "GET"]);
    expect(github.pulls).toHaveLength(1);
  });

  it("puts diff parts that do not fit in the body into comments", async () => {
    // A render that also writes a large ConfigMap per app and environment, so the staging diff exceeds one GitHub body.
    const bigRender = async (root: string) => {
      await fakeRender(root);
      for (const env of ["dev", "staging"]) {
        for (const app of Object.keys(parse(readFileSync(join(root, `environments/${env}/releases.yaml`), "utf8")).apps ?? {})) {
          const file = join(root, `clusters/${env}-use1/${env}/${app}/configmap-${app}.yaml`);
          writeFileSync(file, stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: app, namespace: `payments-${env}` }, data: { "settings.ini": `${app} setting line\n`.repeat(150) } }));
        }
      }
    };
    const apps: Record<string, unknown> = {};
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      const app = `svc-${String(i).padStart(3, "0")}`;
      apps[app] = { image: `${REGISTRY}/payments/${app}`, tag: "1.0.0", digest: digest("d"), commit: "d".repeat(40) };
      files[`apps/payments/${app}/app.ts`] = worker(app);
    }
    const dev = parse(readFileSync(join(repo.dir, "environments/dev/releases.yaml"), "utf8"));
    files["environments/dev/releases.yaml"] = stringify({ apps: { ...dev.apps, ...apps } });
    repo.write(files);
    await bigRender(repo.dir);
    repo.commit("more apps");
    github = await startFakeGitHub();
    const env = { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url };
    await promote({ apps: [], all: true, to: "staging" }, { env, openPr: true, render: bigRender });
    const pull = github.pulls[0]!;
    expect(pull.body.length).toBeLessThanOrEqual(65_536);
    const comments = github.comments.get(pull.number)!;
    expect(comments.length).toBeGreaterThan(0);
    for (const c of comments) expect(c.body.length).toBeLessThanOrEqual(65_536);
    const all = pull.body + comments.map((c) => c.body).join("");
    expect(all.length).toBeGreaterThan(65_536);
    for (const app of Object.keys(apps)) expect(all).toContain(`<code>payments-staging/${app}</code> added`);
  });

  it("fails before changing anything when GITHUB_TOKEN is missing", async () => {
    const state = snapshot(repo);
    const error = await refusal(promote({ apps: ["checkout"], to: "staging" }, { env: { GITHUB_REPOSITORY: "acme/fleet" }, openPr: true }));
    expect((error as SlipwayError).message).toContain("GITHUB_TOKEN is not set");
    expect(snapshot(repo)).toBe(state);
  });
});

describe("release", () => {
  freshRepoPerTest();

  const image = `${REGISTRY}/payments/checkout:1.2.0@${digest("e")}`;

  it("records a new build in dev, re-renders and commits on release/dev/<app>", async () => {
    const result = await release("checkout", "dev", image, "e".repeat(40));
    expect(result.plan).toMatchObject({ action: "release", branch: "release/dev/checkout" });
    expect(lock("dev", "release/dev/checkout").checkout).toEqual({ image: `${REGISTRY}/payments/checkout`, tag: "1.2.0", digest: digest("e"), commit: "e".repeat(40) });
    expect(repo.git("show", "release/dev/checkout:environments/dev/releases.yaml")).toContain('tag: "1.2.0"');
  });

  it("is a no-op for the release already there, and refuses later environments, unknown apps and environments, and bad images", async () => {
    const same = await release("checkout", "dev", `${REGISTRY}/payments/checkout:1.1.0@${digest("b")}`, "b".repeat(40));
    expect(same).toMatchObject({ noop: true, plan: { unchanged: ["checkout"] } });
    const state = snapshot(repo);
    const refusals: [() => Promise<unknown>, typeof SlipwayError, RegExp][] = [
      [() => release("checkout", "prod", image, "e".repeat(40)), PromotionError, /new builds enter the chain at `dev`, not `prod`/],
      [() => release("nope", "dev", image, "e".repeat(40)), UsageError, /unknown app `nope`/],
      [() => release("checkout", "qa", image, "e".repeat(40)), UsageError, /unknown environment `qa`\n {2}expected: dev → staging → prod/],
      [() => release("checkout", "dev", `${REGISTRY}/payments/checkout:1.2.0`, "e".repeat(40)), PromotionError, /the image has no digest/],
      [() => release("checkout", "dev", image, "main"), PromotionError, /not a git commit hash/],
      // A digest pins the image, but `latest` (or a branch, an environment) says nothing about which build it is.
      [() => release("checkout", "dev", `${REGISTRY}/payments/checkout:latest@${digest("f")}`, "e".repeat(40)), PromotionError, /the image tag is invalid: must name one build .* not a moving tag such as `latest`/],
      [() => release("checkout", "dev", `${REGISTRY}/payments/checkout:main@${digest("f")}`, "e".repeat(40)), PromotionError, /not a moving tag/],
    ];
    for (const [call, kind, message] of refusals) {
      const error = await refusal(call());
      expect(error).toBeInstanceOf(kind);
      expect((error as SlipwayError).format()).toMatch(message);
    }
    expect(snapshot(repo)).toBe(state);
  });
});
