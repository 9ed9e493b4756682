/**
 * `slipway promote` and `slipway release` as commands: what they print, and their exit codes
 * (0 done, 1 refused, 2 usage). Rendering is the promote fixture's stand-in; what the library
 * does to git and GitHub is tested in packages/promote.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TempRepo } from "@slipway/diff/testing";
import { createFleetRepo, digest, fakeRender, REGISTRY, snapshot } from "../../../promote/src/fixture.test-helpers";
import { slipway, slipwayWith, type RunOptions } from "../test-io";
import { promoteCommand, promoteHelp, releaseCommand, releaseHelp } from "./promote";

let repo: TempRepo;
// Each test either changes nothing (and proves it) or restores main's lock files' branches: one repository.
beforeAll(async () => {
  repo = createFleetRepo();
  await fakeRender(repo.dir);
  repo.commit("fleet");
  repo.git("push", "--quiet", "origin", "main");
});
afterAll(() => repo?.cleanup());

const deleteBranch = (branch: string) => repo.git("branch", "--quiet", "-D", branch);

/** `slipway promote …` run in `cwd` (default: the repository), rendering with the fixture's stand-in. */
const promote = (argv: string[], options: RunOptions & { cwd?: string } = {}) =>
  slipwayWith("promote", { help: promoteHelp, run: (a, io) => promoteCommand(a, io, { render: fakeRender }) }, options.cwd ?? repo.dir, argv, options);
const release = (argv: string[], options: RunOptions = {}) =>
  slipwayWith("release", { help: releaseHelp, run: (a, io) => releaseCommand(a, io, { render: fakeRender }) }, repo.dir, argv, options);

describe("slipway promote", () => {
  it("reports the promotion and the branch it committed on, from any directory of the repository, and exits 0", async () => {
    const run = await promote(["checkout", "--to", "staging"], { cwd: join(repo.dir, "apps/payments") });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const commit = repo.git("rev-parse", "promote/staging/checkout").trim();
    // The definition dev renders (the working tree, committed) is pinned at the fleet's HEAD.
    expect(run.stdout).toBe(`Promoted to staging from dev:
  checkout  1.0.0 → 1.1.0  sha256:bbbbbbb…  commit bbbbbbbbbbbb  definition ${repo.git("rev-parse", "HEAD").trim().slice(0, 12)}
Rendered: 0 to add, 1 to change, 0 to delete (2 files).
Committed ${commit.slice(0, 12)} on branch promote/staging/checkout.
Review it with \`git switch promote/staging/checkout\`; push it or re-run with --open-pr to propose it.
`);
    deleteBranch("promote/staging/checkout");
  });

  it("says so when there is nothing to promote, and exits 0", async () => {
    const run = await promote(["checkout", "--to", "prod"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("Nothing to promote: prod already runs checkout 1.0.0.\n");
  });

  it("--dry-run shows the release and the rendered diff (secrets masked) and changes nothing", async () => {
    const state = snapshot(repo);
    const run = await promote(["checkout", "ledger", "--to", "staging", "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Would promote to staging from dev:");
    expect(run.stdout).toContain("ledger    (new) → 2.0.0");
    expect(run.stdout).toContain(`~ spec.template.spec.containers[checkout].image:\n      -   ${REGISTRY}/payments/checkout:1.0.0@${digest("a")}\n      +   ${REGISTRY}/payments/checkout:1.1.0@${digest("b")}`);
    expect(run.stdout).toContain("+ Deployment payments-staging/ledger");
    expect(run.stdout).toContain("Dry run: nothing committed. Without --dry-run this commits on branch promote/staging/checkout+ledger.");
    expect(run.stdout).not.toContain("pw-1.1.0");
    expect(snapshot(repo)).toBe(state);
  });

  it("--all --json reports the promotion as JSON", async () => {
    const run = await promote(["--all", "--to", "staging", "--json", "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ action: "promote", target: "staging", source: "dev", dryRun: true, noop: false, branch: "promote/staging/all", commit: null, diff: { added: 1, changed: 1, removed: 0 }, pullRequest: null });
    expect(json.moves.map((m: { app: string }) => m.app)).toEqual(["checkout", "ledger"]);
  });

  it("exits 1 for a refusal, with the message and no usage, changing nothing", async () => {
    const state = snapshot(repo);
    const cases: [string[], RegExp][] = [
      [["checkout", "--to", "dev"], /^environments\/dev\/environment\.ts: `dev` is the first environment of the chain: nothing is promoted into it\n {2}fix: new builds enter dev with `slipway release <app> --env dev /],
      [["checkout", "--to", "prod", "--from", "dev"], /^`prod` is promoted from `staging`, not `dev`: releases cannot skip a stage\n/],
      [["ledger", "--to", "prod"], /^environments\/staging\/releases\.yaml: `ledger` is not in staging yet/],
      [["checkout@1.1.0", "--to", "prod"], /^staging does not run checkout 1\.1\.0: it runs 1\.0\.0/],
    ];
    for (const [argv, message] of cases) {
      const run = await promote(argv);
      expect(run.code, argv.join(" ")).toBe(1);
      expect(run.stderr, argv.join(" ")).toMatch(message);
      expect(run.stderr).not.toContain("Usage:");
      expect(run.stdout).toBe("");
    }
    expect(snapshot(repo)).toBe(state);
  });

  it("exits 2 for usage errors — an unknown environment or app, a missing flag — with the message, then the usage", async () => {
    const state = snapshot(repo);
    const cases: [string[], RegExp][] = [
      [["checkout", "--to", "nope"], /^unknown environment `nope`\n {2}expected: dev → staging → prod\n {2}received: nope\n {2}fix: environments are the folders environments\/<env>\/ holding an environment\.ts\n/],
      [["checkout", "--to", "stagign"], /^unknown environment `stagign`\n[\s\S]*fix: did you mean `--to staging`\?\n/],
      [["checkout", "--to", "prod", "--from", "qa"], /^unknown environment `qa`\n/],
      [["chekout", "--to", "staging"], /^unknown app `chekout`\n {2}expected: checkout, ledger, refunds\n {2}received: chekout\n {2}fix: did you mean `checkout`\?\n/],
      [["checkout"], /^missing --to <env>\n {2}fix: say which environment to promote into, e.g. `--to staging`\n/],
      [["--to", "staging"], /^name the apps to promote, or pass --all \(or --addon <addon>\)\n/],
      [["checkout", "--to", "staging", "--dryrun"], /^Unknown option '--dryrun'\n {2}fix: did you mean `--dry-run`\?\n/],
    ];
    for (const [argv, message] of cases) {
      const run = await promote(argv);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stderr, argv.join(" ")).toMatch(message);
      expect(run.stderr, argv.join(" ")).toContain("\n\nUsage: slipway promote");
    }
    expect(snapshot(repo)).toBe(state);
    const help = await promote(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: slipway promote/);
  });

  it("runs through main with the real render step wired in (its usage errors need no render)", async () => {
    const run = await slipway(repo.dir, ["promote", "checkout", "--to", "nope"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^unknown environment `nope`\n/);
  });
});

describe("slipway release", () => {
  const image = `${REGISTRY}/payments/checkout:1.2.0@${digest("e")}`;

  it("reports the release and its branch, and exits 0; the release already there is a no-op", async () => {
    const run = await release(["checkout", "--env", "dev", "--image", image, "--commit", "e".repeat(40)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Released to dev:\n {2}checkout {2}1\.1\.0 → 1\.2\.0 {2}sha256:eeeeeee… {2}commit eeeeeeeeeeee\n/);
    expect(run.stdout).toContain("on branch release/dev/checkout.");
    deleteBranch("release/dev/checkout");
    const same = await release(["checkout", "--env", "dev", "--image", `${REGISTRY}/payments/checkout:1.1.0@${digest("b")}`, "--commit", "b".repeat(40)]);
    expect(same.code).toBe(0);
    expect(same.stdout).toBe("Nothing to release: dev already runs checkout 1.1.0.\n");
  });

  it("exits 1 for refusals and 2 for usage errors (an unknown environment or app, a missing flag)", async () => {
    const state = snapshot(repo);
    const refusals: [string[], RegExp][] = [
      [["checkout", "--env", "prod", "--image", image, "--commit", "e".repeat(40)], /^new builds enter the chain at `dev`, not `prod`/],
      [["checkout", "--env", "dev", "--image", `${REGISTRY}/payments/checkout:1.2.0`, "--commit", "e".repeat(40)], /^the image has no digest/],
      [["checkout", "--env", "dev", "--image", image, "--commit", "main"], /^the source commit is not a git commit hash/],
    ];
    for (const [argv, message] of refusals) {
      const run = await release(argv);
      expect(run.code, argv.join(" ")).toBe(1);
      expect(run.stderr).toMatch(message);
    }
    const usage: [string[], RegExp][] = [
      [["checkout", "--env", "nope", "--image", image, "--commit", "e".repeat(40)], /^unknown environment `nope`\n {2}expected: dev → staging → prod\n/],
      [["checkout", "--env", "de", "--image", image, "--commit", "e".repeat(40)], /fix: did you mean `--env dev`\?/],
      [["nope", "--env", "dev", "--image", image, "--commit", "e".repeat(40)], /^unknown app `nope`\n/],
      [["checkout", "--env", "dev"], /^missing --image\n/],
      [["checkout", "ledger", "--env", "dev"], /^one app per release, received checkout, ledger\n/],
    ];
    for (const [argv, message] of usage) {
      const run = await release(argv);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stderr, argv.join(" ")).toMatch(message);
      expect(run.stderr).toContain("\n\nUsage: slipway release");
    }
    expect(snapshot(repo)).toBe(state);
  });
});
