/**
 * release → render → diff → status → promote over the fixture fleet of @slipway/testing, each a
 * `slipway` command through main with the real renderer, in a git repository with a bare remote
 * and a loopback GitHub.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startFakeGitHub, type FakeGitHub } from "@slipway/diff/testing";
import { renderFleet } from "@slipway/render";
import { fixtureFleetRepo, type TempRepo } from "@slipway/testing";
import { snapshot } from "../../promote/src/fixture.test-helpers";
import { slipway } from "./test-io";

const NEW_DIGEST = `sha256:${"5e".repeat(32)}`;

let repo: TempRepo;
let github: FakeGitHub;

beforeAll(async () => {
  // main starts from the fixture fleet and exactly the tree render produces from it, pushed to origin.
  repo = await fixtureFleetRepo({ prepare: (root) => renderFleet({ root, mode: "write" }) });
  github = await startFakeGitHub();
});
afterAll(async () => {
  repo?.cleanup();
  await github?.close();
});

const lock = (env: string, ref: string) => parse(repo.git("show", `${ref}:environments/${env}/releases.yaml`)).apps;

describe("end to end with the real render", () => {
  it("records a release in dev, re-rendering the dev Deployment", async () => {
    const current = lock("dev", "HEAD").storefront;
    const image = `${current.image}:2.99.0@${NEW_DIGEST}`;
    const run = await slipway(repo.dir, ["release", "storefront", "--env", "dev", "--image", image, "--commit", "5".repeat(40)]);
    expect(run.code, run.stderr).toBe(0);
    const changed = repo.git("diff", "--name-only", "main", "release/dev/storefront").trim().split("\n");
    expect(changed).toContain("environments/dev/releases.yaml");
    expect(changed.some((f) => /^clusters\/[^/]+\/dev\/storefront\/deployment-storefront\.yaml$/.test(f))).toBe(true);
    expect(changed.every((f) => f.startsWith("environments/dev/") || /^clusters\/[^/]+\/(dev|argocd)\//.test(f) || f.endsWith("rendered.json"))).toBe(true);
    repo.git("merge", "--quiet", "--ff-only", "release/dev/storefront");
  });

  it("shows the release as a field-level diff between the two revisions", async () => {
    const run = await slipway(repo.dir, ["diff", "--base", "main~1", "--head", "main", "--output", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const diff = JSON.parse(run.stdout);
    const deployment = diff.resources.find((r: { kind: string; group: string; environment: string }) => r.kind === "Deployment" && r.group === "storefront" && r.environment === "dev");
    expect(deployment.status).toBe("changed");
    const image = deployment.changes.find((c: { path: string }) => /containers\[[^\]]+\]\.image$/.test(c.path));
    expect(image.after).toContain(`:2.99.0@${NEW_DIGEST}`);
    // The rendered tree on main is what render produces: check mode finds nothing to change.
    expect((await renderFleet({ root: repo.dir, mode: "check" })).differences).toEqual([]);
  });

  it("reports the new release as promotable to staging", async () => {
    const run = await slipway(repo.dir, ["status", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status.environments).toEqual(["dev", "staging", "prod"]);
    expect(status.cells.storefront.staging.promotable.tag).toBe("2.99.0");
    expect(status.cells.storefront.dev.drift).toEqual([]);
  });

  it("refuses to take the new release to prod before staging runs it, changing nothing", async () => {
    const state = snapshot(repo);
    const run = await slipway(repo.dir, ["promote", "storefront@2.99.0", "--to", "prod"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("staging does not run storefront 2.99.0");
    expect(snapshot(repo)).toBe(state);
  });

  it("promotes it to staging and opens a pull request with the release table and the rendered diff", async () => {
    const env = { GITHUB_TOKEN: "ghs_e2e", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url };
    const run = await slipway(repo.dir, ["promote", "storefront", "--to", "staging", "--open-pr"], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Opened pull request #1");
    expect(lock("staging", "promote/staging/storefront").storefront).toMatchObject({ tag: "2.99.0", digest: NEW_DIGEST, promotedFrom: "dev" });
    expect(repo.git("ls-remote", "origin", "promote/staging/storefront")).not.toBe("");
    const pull = github.pulls[0]!;
    expect(pull).toMatchObject({ head: "promote/staging/storefront", base: "main", title: "promote(staging): storefront 2.99.0 from dev" });
    expect(pull.body).toContain("**`2.99.0`**");
    expect(pull.body).toMatch(/staging-[^`]*` \/ staging/);
    expect(pull.body).toContain(`:2.99.0@${NEW_DIGEST}`);
    // The branch's rendered tree is exactly what render produces from its lock files.
    repo.git("switch", "--quiet", "promote/staging/storefront");
    expect((await renderFleet({ root: repo.dir, mode: "check" })).differences).toEqual([]);
    repo.git("switch", "--quiet", "main");
  });
});
