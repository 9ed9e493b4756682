/**
 * release → render → diff → promote over a copy of the real example fleet, with the real
 * renderer, in a git repository with a bare remote and a loopback GitHub.
 */
import { cpSync, existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runDiffCommand } from "@slipway/diff";
import { captureIo, createTempRepo, startFakeGitHub, type FakeGitHub, type TempRepo } from "@slipway/diff/testing";
import { renderFleet } from "@slipway/render";
import { runPromoteCommand, runReleaseCommand, runStatusCommand } from "./commands";
import { snapshot } from "./fixture.test-helpers";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const NEW_DIGEST = `sha256:${"5e".repeat(32)}`;

let repo: TempRepo;
let github: FakeGitHub;

beforeAll(async () => {
  repo = createTempRepo({ ".gitignore": "node_modules\n.slipway/\n" });
  for (const dir of ["apps", "environments", "addons", "clusters"]) {
    if (existsSync(join(REPO_ROOT, dir))) cpSync(join(REPO_ROOT, dir), join(repo.dir, dir), { recursive: true });
  }
  symlinkSync(join(REPO_ROOT, "node_modules"), join(repo.dir, "node_modules"), "dir");
  // Start from a tree that is exactly what render produces, whatever state the shared checkout is in.
  await renderFleet({ root: repo.dir, mode: "write" });
  repo.commit("example fleet");
  repo.git("push", "--quiet", "origin", "main");
  github = await startFakeGitHub();
});
afterAll(async () => {
  repo?.cleanup();
  await github?.close();
});

const lock = (env: string, ref: string) => parse(repo.git("show", `${ref}:environments/${env}/releases.yaml`)).apps;

describe("end to end with the real render", () => {
  it("records a release in dev, re-rendering the dev Deployment", async () => {
    const current = lock("dev", "HEAD").checkout;
    const image = `${current.image}:2.99.0@${NEW_DIGEST}`;
    const { io, stderr } = captureIo(repo.dir);
    expect(await runReleaseCommand(["checkout", "--env", "dev", "--image", image, "--commit", "5".repeat(40)], io), stderr()).toBe(0);
    const changed = repo.git("diff", "--name-only", "main", "release/dev/checkout").trim().split("\n");
    expect(changed).toContain("environments/dev/releases.yaml");
    expect(changed.some((f) => /^clusters\/[^/]+\/dev\/checkout\/deployment-checkout\.yaml$/.test(f))).toBe(true);
    expect(changed.every((f) => f.startsWith("environments/dev/") || /^clusters\/[^/]+\/(dev|argocd)\//.test(f) || f.endsWith("rendered.json"))).toBe(true);
    repo.git("merge", "--quiet", "--ff-only", "release/dev/checkout");
  });

  it("shows the release as a field-level diff between the two revisions", async () => {
    const { io, stdout } = captureIo(repo.dir);
    expect(await runDiffCommand(["--base", "main~1", "--head", "main", "--output", "json"], io)).toBe(0);
    const diff = JSON.parse(stdout());
    const deployment = diff.resources.find((r: { kind: string; group: string; environment: string }) => r.kind === "Deployment" && r.group === "checkout" && r.environment === "dev");
    expect(deployment.status).toBe("changed");
    const image = deployment.changes.find((c: { path: string }) => /containers\[[^\]]+\]\.image$/.test(c.path));
    expect(image.after).toContain(`:2.99.0@${NEW_DIGEST}`);
    // The rendered tree on main is what render produces: check mode finds nothing to change.
    expect((await renderFleet({ root: repo.dir, mode: "check" })).differences).toEqual([]);
  });

  it("reports the new release as promotable to staging", async () => {
    const { io, stdout } = captureIo(repo.dir);
    expect(await runStatusCommand(["--json"], io)).toBe(0);
    const status = JSON.parse(stdout());
    expect(status.environments).toEqual(["dev", "staging", "prod"]);
    expect(status.cells.checkout.staging.promotable.tag).toBe("2.99.0");
    expect(status.cells.checkout.dev.drift).toEqual([]);
  });

  it("refuses to take the new release to prod before staging runs it, changing nothing", async () => {
    const state = snapshot(repo);
    const { io, stderr } = captureIo(repo.dir);
    expect(await runPromoteCommand(["checkout@2.99.0", "--to", "prod"], io)).toBe(1);
    expect(stderr()).toContain("staging does not run checkout 2.99.0");
    expect(snapshot(repo)).toBe(state);
  });

  it("promotes it to staging and opens a pull request with the release table and the rendered diff", async () => {
    const env = { GITHUB_TOKEN: "ghs_e2e", GITHUB_REPOSITORY: "acme/fleet", GITHUB_API_URL: github.url };
    const { io, stdout, stderr } = captureIo(repo.dir, env);
    expect(await runPromoteCommand(["checkout", "--to", "staging", "--open-pr"], io), stderr()).toBe(0);
    expect(stdout()).toContain("Opened pull request #1");
    expect(lock("staging", "promote/staging/checkout").checkout).toMatchObject({ tag: "2.99.0", digest: NEW_DIGEST, promotedFrom: "dev" });
    expect(repo.git("ls-remote", "origin", "promote/staging/checkout")).not.toBe("");
    const pull = github.pulls[0]!;
    expect(pull).toMatchObject({ head: "promote/staging/checkout", base: "main", title: "promote(staging): checkout 2.99.0 from dev" });
    expect(pull.body).toContain("**`2.99.0`**");
    expect(pull.body).toMatch(/staging-[^`]*` \/ staging/);
    expect(pull.body).toContain(`:2.99.0@${NEW_DIGEST}`);
    // The branch's rendered tree is exactly what render produces from its lock files.
    repo.git("switch", "--quiet", "promote/staging/checkout");
    expect((await renderFleet({ root: repo.dir, mode: "check" })).differences).toEqual([]);
    repo.git("switch", "--quiet", "main");
  });
});
