import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderFleet } from "@slipway/render";
import { fixtureFleetRepo, type TempRepo } from "@slipway/testing";
import { slipway } from "../test-io";

let repo: TempRepo;
beforeAll(async () => {
  repo = await fixtureFleetRepo({ prepare: (root) => renderFleet({ root, mode: "write" }) });
});
afterAll(() => repo?.cleanup());

const DIGEST = `sha256:${"7e".repeat(32)}`;
const COMMIT = "7".repeat(40);

describe("slipway new app", () => {
  it("GIVEN a new app WHEN its printed next steps are run as written THEN the release branch renders it in the first environment", async () => {
    const created = await slipway(join(repo.dir, "apps/payments"), ["new", "app", "payments/refunds", "--kind", "worker"]);
    expect(created.code, created.stderr).toBe(0);
    const image = "210987654321.dkr.ecr.us-east-1.amazonaws.com/payments/refunds";
    expect(created.stdout).toBe(`created apps/payments/refunds/app.ts
add to .github/CODEOWNERS, in part 2 with tenant payments's lines: /clusters/*/*/refunds/ <its team>
next:
  1. fill in apps/payments/refunds/app.ts, then commit it (release works from the last commit, on a clean working tree):
       git add apps/payments/refunds/app.ts && git commit -m "payments/refunds: new app"
  2. record its first build in dev; this renders the fleet with it and commits the result on branch release/dev/refunds:
       npx slipway release refunds --env dev --image ${image}:<tag>@sha256:<digest> --commit <sha>
  3. open a pull request from release/dev/refunds (or add --open-pr to step 2, with GITHUB_TOKEN set, to push it and open one)
`);
    // The scaffold takes the tenant's registry, so its images pass the tenant's guardrails.
    expect(readFileSync(join(repo.dir, "apps/payments/refunds/app.ts"), "utf8")).toContain(`image: "${image}",`);

    const [gitStep, releaseStep] = created.stdout.split("\n").filter((line) => line.startsWith("       ")).map((line) => line.trim());
    execSync(gitStep!, { cwd: repo.dir, stdio: "pipe" });
    const argv = releaseStep!.replace(/^npx slipway /, "").replace("<tag>", "0.1.0").replace("sha256:<digest>", DIGEST).replace("<sha>", COMMIT).split(" ");
    const released = await slipway(repo.dir, argv);
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toContain("Committed ");
    expect(released.stdout).toContain("on branch release/dev/refunds.");
    const files = repo.git("diff", "--name-only", "main", "release/dev/refunds").trim().split("\n");
    expect(files).toContain("environments/dev/releases.yaml");
    expect(files).toContain("clusters/dev-use1/dev/refunds/deployment-refunds.yaml");
    expect(repo.git("show", "release/dev/refunds:clusters/dev-use1/dev/refunds/deployment-refunds.yaml")).toContain(`${image}:0.1.0@${DIGEST}`);
  });

  it("GIVEN an app that exists, a tenant without tenant.ts, or a bad name THEN it exits 2 and writes nothing", async () => {
    const again = await slipway(repo.dir, ["new", "app", "payments/settlement"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^apps\/payments\/settlement\/app\.ts already exists; slipway new never overwrites a definition\n\nUsage: slipway new/);

    const noTenant = await slipway(repo.dir, ["new", "app", "billing/invoices"]);
    expect(noTenant.code).toBe(2);
    expect(noTenant.stderr).toMatch(/^tenant `billing` does not exist \(no apps\/billing\/tenant\.ts\)\n {2}expected: payments \| shop\n {2}received: billing\n {2}fix: create the tenant first: `slipway new tenant billing --team @org\/team`\n/);
    expect(existsSync(join(repo.dir, "apps/billing"))).toBe(false);

    const nearTenant = await slipway(repo.dir, ["new", "app", "paymnts/invoices"]);
    expect(nearTenant.code).toBe(2);
    expect(nearTenant.stderr).toContain("fix: did you mean `payments`? Or create the tenant first: `slipway new tenant paymnts --team @org/team`");

    for (const argv of [["new", "app", "Payments/x"], ["new", "app", "payments"], ["new", "app", "payments/x", "--kind", "daemon"], ["new", "thing", "x"], ["new"], ["new", "tenant", "billing"]]) {
      const run = await slipway(repo.dir, argv);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stderr, argv.join(" ")).toContain("Usage: slipway new");
    }
    expect(repo.git("status", "--porcelain", "--", "apps")).toBe("");
  });
});

describe("slipway new tenant", () => {
  it("GIVEN a new tenant THEN it writes apps/<tenant>/tenant.ts and says what to do next", async () => {
    const run = await slipway(join(repo.dir, "clusters"), ["new", "tenant", "billing", "--team", "@fixture/billing"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("created apps/billing/tenant.ts\nadd to .github/CODEOWNERS, in part 2 (above the platform guardrails): /apps/billing/ @fixture/billing\nnext: run npx slipway render, and open a pull request with the definition, CODEOWNERS and the rendered tree\n");
    expect(readFileSync(join(repo.dir, "apps/billing/tenant.ts"), "utf8")).toContain('team: "@fixture/billing"');
    const rendered = await slipway(repo.dir, ["render", "--json"]);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(JSON.parse(rendered.stdout).written.some((path: string) => path.includes("/tenants/billing/"))).toBe(true);
  });
});

describe("slipway new and CODEOWNERS", () => {
  it("GIVEN a CODEOWNERS in three parts WHEN a tenant and then its app are scaffolded THEN their lines go at the end of part 2, before the platform guardrails, once", async () => {
    mkdirSync(join(repo.dir, ".github"), { recursive: true });
    const owners = join(repo.dir, ".github/CODEOWNERS");
    writeFileSync(owners, ["# 1. Platform defaults", "*  @acme/platform", "", "# 2. Tenants", "/apps/payments/  @fixture/payments", "", "# 3. Platform guardrails: keep this part last.", "/apps/*/tenant.ts  @acme/platform", ""].join("\n"));
    expect((await slipway(repo.dir, ["new", "tenant", "growth", "--team", "@acme/growth", "--registry", "210987654321.dkr.ecr.us-east-1.amazonaws.com"])).code).toBe(0);
    const app = await slipway(repo.dir, ["new", "app", "growth/referrals"]);
    expect(app.code, app.stderr).toBe(0);
    expect(app.stdout).toContain("updated .github/CODEOWNERS: clusters/*/*/referrals/ belongs to @acme/growth");
    expect(app.stdout).toContain("git add apps/growth/referrals/app.ts .github/CODEOWNERS && git commit");
    const lines = readFileSync(owners, "utf8").split("\n");
    const at = (pattern: string) => lines.findIndex((l) => l.split(/\s+/)[0] === pattern);
    expect(at("/apps/growth/")).toBeGreaterThan(at("/apps/payments/"));
    expect(at("/clusters/*/*/referrals/")).toBe(at("/apps/growth/") + 1);
    expect(at("/clusters/*/*/referrals/")).toBeLessThan(lines.findIndex((l) => l.startsWith("# 3. Platform guardrails")));
    expect(lines.filter((l) => l.startsWith("/apps/growth/"))).toHaveLength(1);
  });
});
