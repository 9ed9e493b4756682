import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { SlipwayError } from "@slipway/core";
import { captureIo, startFakeGitHub, type FakeGitHub, type TempRepo } from "@slipway/diff/testing";
import { runPromoteCommand, runReleaseCommand } from "./commands";
import { createFleetRepo, digest, fakeRender, REGISTRY, snapshot, worker } from "./fixture.test-helpers";

let repo: TempRepo;
let github: FakeGitHub | undefined;
const deps = { render: fakeRender };

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

const lock = (env: string, ref = "HEAD") => parse(repo.git("show", `${ref}:environments/${env}/releases.yaml`)).apps;

describe("slipway promote", () => {
  describe("promotion", () => {
    freshRepoPerTest();

    it("copies the release from the previous environment, re-renders and commits on promote/<env>/<apps>, leaving the checkout alone", async () => {
      const before = repo.git("status", "--porcelain");
      const { io, stdout, stderr } = captureIo(repo.dir);
      expect(await runPromoteCommand(["checkout", "--to", "staging"], io, deps), stderr()).toBe(0);
      expect(stdout()).toContain("Promoted to staging from dev:");
      expect(stdout()).toContain("checkout  1.0.0 → 1.1.0");
      expect(stdout()).toContain("on branch promote/staging/checkout");

      const staged = lock("staging", "promote/staging/checkout");
      expect(staged.checkout).toEqual({ ...lock("dev").checkout, promotedFrom: "dev" });
      expect(repo.git("show", "promote/staging/checkout:clusters/staging-use1/staging/checkout/deployment-checkout.yaml")).toContain(`payments/checkout:1.1.0@${digest("b")}`);
      expect(repo.git("show", "promote/staging/checkout:environments/staging/releases.yaml")).toMatch(/^# Release lock file for staging\./);
      expect(repo.git("log", "-1", "--format=%s", "promote/staging/checkout").trim()).toBe("promote(staging): checkout 1.1.0 from dev");
      expect(repo.git("diff", "--name-only", "main", "promote/staging/checkout").trim().split("\n")).toEqual([
        "clusters/staging-use1/staging/checkout/deployment-checkout.yaml",
        "environments/staging/releases.yaml",
      ]);
      // The user's checkout: same branch, same files, no leftover worktree.
      expect(repo.git("symbolic-ref", "--short", "HEAD").trim()).toBe("main");
      expect(repo.git("status", "--porcelain")).toBe(before);
      expect(repo.git("worktree", "list").trim().split("\n")).toHaveLength(1);
    });

    it("is idempotent: promoting what is already there is a no-op that exits 0", async () => {
      const first = captureIo(repo.dir);
      expect(await runPromoteCommand(["checkout", "--to", "staging"], first.io, deps)).toBe(0);
      repo.git("merge", "--quiet", "--ff-only", "promote/staging/checkout");
      const state = snapshot(repo);
      const again = captureIo(repo.dir);
      expect(await runPromoteCommand(["checkout", "--to", "staging"], again.io, deps)).toBe(0);
      expect(again.stdout()).toBe("Nothing to promote: staging already runs checkout 1.1.0.\n");
      expect(snapshot(repo)).toBe(state);
    });

    it("--dry-run shows the release and the rendered diff (secrets masked) and changes nothing", async () => {
      const state = snapshot(repo);
      const { io, stdout } = captureIo(repo.dir);
      expect(await runPromoteCommand(["checkout", "ledger", "--to", "staging", "--dry-run"], io, deps)).toBe(0);
      const out = stdout();
      expect(out).toContain("Would promote to staging from dev:");
      expect(out).toContain("ledger    (new) → 2.0.0");
      expect(out).toContain(`~ spec.template.spec.containers[checkout].image:\n      -   ${REGISTRY}/payments/checkout:1.0.0@${digest("a")}\n      +   ${REGISTRY}/payments/checkout:1.1.0@${digest("b")}`);
      expect(out).toContain("+ Deployment payments-staging/ledger");
      expect(out).not.toContain("pw-1.1.0");
      expect(snapshot(repo)).toBe(state);
    });

    it("--all promotes every app the previous environment runs; --json reports it", async () => {
      const { io, stdout } = captureIo(repo.dir);
      expect(await runPromoteCommand(["--all", "--to", "staging", "--json"], io, deps)).toBe(0);
      const json = JSON.parse(stdout());
      expect(json).toMatchObject({ action: "promote", target: "staging", source: "dev", noop: false, branch: "promote/staging/all", diff: { added: 1, changed: 1, removed: 0 } });
      expect(json.moves.map((m: { app: string }) => m.app)).toEqual(["checkout", "ledger"]);
      expect(Object.keys(lock("staging", "promote/staging/all"))).toEqual(["checkout", "ledger"]);
    });

  });

  describe("refusals: a clear message, exit 1, and nothing changed", () => {
    // Refusals change nothing (each test proves it), so they share one repository.
    beforeAll(setUp);
    afterAll(tearDown);
    const cases: [string, string[], () => void, RegExp][] = [
      ["an unknown app", ["chekout", "--to", "staging"], () => {}, /unknown app `chekout`[\s\S]*did you mean `checkout`/],
      ["an unknown environment", ["checkout", "--to", "stagign"], () => {}, /unknown environment `stagign`[\s\S]*expected: dev → staging → prod[\s\S]*did you mean `--to staging`/],
      ["promoting into the first environment", ["checkout", "--to", "dev"], () => {}, /`dev` is the first environment of the chain[\s\S]*slipway release/],
      ["skipping a stage (--from dev --to prod)", ["checkout", "--to", "prod", "--from", "dev"], () => {}, /`prod` is promoted from `staging`, not `dev`: releases cannot skip a stage/],
      ["an app the previous environment does not run (out of order)", ["ledger", "--to", "prod"], () => {}, /`ledger` is not in staging yet[\s\S]*promote it to staging first: `slipway promote ledger --to staging`/],
      ["a release the previous environment does not run", ["checkout@1.1.0", "--to", "prod"], () => {}, /staging does not run checkout 1.1.0: it runs 1.0.0/],
      ["an app with no release anywhere", ["refunds", "--to", "staging"], () => {}, /`refunds` is not in dev yet[\s\S]*slipway release refunds --env dev/],
      [
        "a dirty working tree",
        ["checkout", "--to", "staging"],
        () => writeFileSync(join(repo.dir, "apps/payments/checkout/app.ts"), `${worker("checkout")}// edited\n`),
        /uncommitted changes[\s\S]*apps\/payments\/checkout\/app.ts/,
      ],
    ];
    for (const [what, argv, arrange, message] of cases) {
      it(`refuses ${what}`, async () => {
        arrange();
        try {
          const state = snapshot(repo);
          const { io, stderr, stdout } = captureIo(repo.dir);
          expect(await runPromoteCommand(argv, io, deps)).toBe(1);
          expect(stderr()).toMatch(message);
          expect(stdout()).toBe("");
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
      const { io, stderr } = captureIo(repo.dir);
      expect(await runPromoteCommand(["checkout", "--to", "staging"], io, { render: failing })).toBe(1);
      expect(stderr()).toContain("scaling.min: value is too small");
      expect(snapshot(repo)).toBe(state);
      expect(repo.git("worktree", "list").trim().split("\n")).toHaveLength(1);
    });

    it("accepts a pinned release the previous environment runs (last: it makes a branch)", async () => {
      const { io } = captureIo(repo.dir);
      expect(await runPromoteCommand([`checkout@${digest("b")}`, "--to", "staging"], io, deps)).toBe(0);
    });

    it("treats missing flags as usage errors (exit 2)", async () => {
      const { io, stderr } = captureIo(repo.dir);
      expect(await runPromoteCommand(["checkout"], io, deps)).toBe(2);
      expect(stderr()).toContain("missing --to <env>");
      expect(stderr()).toContain("Usage: slipway promote");
      const help = captureIo(repo.dir);
      expect(await runPromoteCommand(["--help"], help.io, deps)).toBe(0);
    });
  });
});

describe("promotion through the GitHub REST API", () => {
  freshRepoPerTest();

  it("pushes the branch and opens a pull request whose body is the release table and the diff; a re-run updates it", async () => {
    github = await startFakeGitHub();
    const env = { GITHUB_TOKEN: "ghs_test", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url };
    const { io, stdout, stderr } = captureIo(repo.dir, env);
    expect(await runPromoteCommand(["checkout", "--to", "staging", "--open-pr"], io, deps), stderr()).toBe(0);
    expect(stdout()).toContain("Opened pull request #1: https://github.example/pull/1");
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
    const again = captureIo(repo.dir, env);
    expect(await runPromoteCommand(["checkout", "--to", "staging", "--open-pr"], again.io, deps)).toBe(0);
    expect(again.stdout()).toContain("Updated pull request #1");
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
    const { io, stderr } = captureIo(repo.dir, env);
    expect(await runPromoteCommand(["--all", "--to", "staging", "--open-pr"], io, { render: bigRender }), stderr()).toBe(0);
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
    const { io, stderr } = captureIo(repo.dir, { GITHUB_REPOSITORY: "acme/fleet" });
    expect(await runPromoteCommand(["checkout", "--to", "staging", "--open-pr"], io, deps)).toBe(1);
    expect(stderr()).toContain("GITHUB_TOKEN is not set");
    expect(snapshot(repo)).toBe(state);
  });
});

describe("slipway release", () => {
  freshRepoPerTest();

  const image = `${REGISTRY}/payments/checkout:1.2.0@${digest("e")}`;

  it("records a new build in dev, re-renders and commits on release/dev/<app>", async () => {
    const { io, stdout, stderr } = captureIo(repo.dir);
    expect(await runReleaseCommand(["checkout", "--env", "dev", "--image", image, "--commit", "e".repeat(40)], io, deps), stderr()).toBe(0);
    expect(stdout()).toContain("Released to dev:");
    expect(lock("dev", "release/dev/checkout").checkout).toEqual({ image: `${REGISTRY}/payments/checkout`, tag: "1.2.0", digest: digest("e"), commit: "e".repeat(40) });
    expect(repo.git("show", "release/dev/checkout:environments/dev/releases.yaml")).toContain('tag: "1.2.0"');
  });

  it("is a no-op for the release already there, and refuses later environments, unknown apps and bad images", async () => {
    const same = captureIo(repo.dir);
    const current = `${REGISTRY}/payments/checkout:1.1.0@${digest("b")}`;
    expect(await runReleaseCommand(["checkout", "--env", "dev", "--image", current, "--commit", "b".repeat(40)], same.io, deps)).toBe(0);
    expect(same.stdout()).toBe("Nothing to release: dev already runs checkout 1.1.0.\n");
    const state = snapshot(repo);
    const refusals: [string[], RegExp][] = [
      [["checkout", "--env", "prod", "--image", image, "--commit", "e".repeat(40)], /new builds enter the chain at `dev`, not `prod`/],
      [["nope", "--env", "dev", "--image", image, "--commit", "e".repeat(40)], /unknown app `nope`/],
      [["checkout", "--env", "dev", "--image", `${REGISTRY}/payments/checkout:1.2.0`, "--commit", "e".repeat(40)], /the image has no digest/],
      [["checkout", "--env", "dev", "--image", image, "--commit", "main"], /not a git commit hash/],
      // A digest pins the image, but `latest` (or a branch, an environment) says nothing about which build it is.
      [["checkout", "--env", "dev", "--image", `${REGISTRY}/payments/checkout:latest@${digest("f")}`, "--commit", "e".repeat(40)], /the image tag is invalid: must name one build .* not a moving tag such as `latest`/],
      [["checkout", "--env", "dev", "--image", `${REGISTRY}/payments/checkout:main@${digest("f")}`, "--commit", "e".repeat(40)], /not a moving tag/],
    ];
    for (const [argv, message] of refusals) {
      const { io, stderr } = captureIo(repo.dir);
      expect(await runReleaseCommand(argv, io, deps)).toBe(1);
      expect(stderr()).toMatch(message);
    }
    expect(snapshot(repo)).toBe(state);
    expect(await runReleaseCommand(["checkout", "--env", "dev"], captureIo(repo.dir).io, deps)).toBe(2);
  });
});
