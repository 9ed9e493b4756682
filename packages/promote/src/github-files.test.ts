/**
 * The repository's .github files, checked as code: workflows parse, hold the least permissions,
 * pin third-party actions by commit, never run PR code with pull_request_target, pass inputs to
 * scripts only through env, and call slipway commands with flags those commands accept.
 * CODEOWNERS maps every tenant and app to the right team.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DIFF_USAGE } from "@slipway/diff";
import { PROMOTE_USAGE, RELEASE_USAGE, STATUS_USAGE } from "./commands";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const GITHUB = join(ROOT, ".github");

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; if?: string };
type Job = { permissions?: Record<string, string>; steps: Step[] };
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };

function workflow(name: string): Workflow {
  return parse(readFileSync(join(GITHUB, "workflows", name), "utf8"), { uniqueKeys: true }) as Workflow;
}
const workflows = readdirSync(join(GITHUB, "workflows")).filter((f) => /\.ya?ml$/.test(f)).sort();

/** Which jobs may write what: everything else is read-only. */
const WRITES: Record<string, Record<string, Record<string, string>>> = {
  "pr.yml": { check: { contents: "read" }, diff: { contents: "read", "pull-requests": "write" } },
  "promote.yml": { promote: { contents: "write", "pull-requests": "write" } },
  "release.yml": { release: { contents: "write", "pull-requests": "write" } },
};

/** Flags each slipway command accepts, from its own usage text (so the two cannot drift). */
const USAGE: Record<string, string> = { diff: DIFF_USAGE, promote: PROMOTE_USAGE, release: RELEASE_USAGE, status: STATUS_USAGE };

describe(".github/workflows", () => {
  it("has the three workflows", () => {
    expect(workflows).toEqual(["pr.yml", "promote.yml", "release.yml"]);
  });

  for (const file of workflows) {
    describe(file, () => {
      const wf = workflow(file);

      it("never uses pull_request_target", () => {
        expect(Object.keys(wf.on)).not.toContain("pull_request_target");
        expect(readFileSync(join(GITHUB, "workflows", file), "utf8")).not.toContain("pull_request_target:");
      });

      it("defaults to read-only and grants writes per job, only where needed", () => {
        expect(wf.permissions).toEqual({ contents: "read" });
        expect(Object.fromEntries(Object.entries(wf.jobs).map(([id, job]) => [id, job.permissions]))).toEqual(WRITES[file]);
      });

      it("pins every third-party action to a full commit SHA", () => {
        const uses = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => !!u));
        expect(uses.length).toBeGreaterThan(0);
        for (const u of uses) if (!u.startsWith("./")) expect(u, u).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
      });

      it("passes expressions to scripts only through env (no ${{ }} inside run)", () => {
        for (const job of Object.values(wf.jobs)) for (const step of job.steps) if (step.run) expect(step.run).not.toContain("${{");
      });

      it("calls slipway commands with flags they accept", () => {
        const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ""));
        for (const line of runs.flatMap((r) => r.split("\n")).filter((l) => l.includes("npx slipway "))) {
          const [command, ...rest] = line.slice(line.indexOf("npx slipway ") + "npx slipway ".length).split(/\s+/);
          expect(["render", "validate", "diff", "release", "promote", "status"]).toContain(command);
          const usage = USAGE[command!];
          if (!usage) continue; // render and validate belong to other packages and test their own flags
          for (const flag of rest.filter((w) => w.startsWith("--"))) expect(usage, `${command} ${flag}`).toContain(flag);
        }
      });
    });
  }

  it("pr.yml checks, renders, validates and posts the diff without persisting the token", () => {
    const wf = workflow("pr.yml");
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? "")).join("\n");
    for (const command of ["npm ci", "npm run typecheck", "npm test", "npx slipway render --check", "npx slipway validate --output github", "npx slipway diff"]) expect(runs).toContain(command);
    expect(runs).toMatch(/--comment-on-pr "\$PR_NUMBER"/);
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) expect(step.with?.["persist-credentials"]).toBe(false);
    }
  });

  it("promote.yml and release.yml take their inputs and open pull requests", () => {
    const promote = workflow("promote.yml");
    expect(Object.keys(promote.on)).toEqual(["workflow_dispatch"]);
    expect(JSON.stringify(promote.jobs.promote!.steps)).toContain('npx slipway promote \\"${apps[@]}\\" --to \\"$TARGET\\" --open-pr');
    const release = workflow("release.yml");
    expect(Object.keys(release.on).sort()).toEqual(["repository_dispatch", "workflow_dispatch"]);
    expect(JSON.stringify(release.jobs.release!.steps)).toContain("npx slipway release \\\"$APP\\\" --env dev");
  });
});

// ---- CODEOWNERS -------------------------------------------------------------------------------

function codeowners(): { pattern: RegExp; owners: string[]; source: string }[] {
  return readFileSync(join(GITHUB, "CODEOWNERS"), "utf8")
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean)
    .map((line) => {
      const [source, ...owners] = line.split(/\s+/);
      return { pattern: globToRegExp(source!), owners, source: source! };
    });
}

/** The subset of gitignore-style patterns CODEOWNERS uses here. */
function globToRegExp(glob: string): RegExp {
  const anchored = glob.startsWith("/") || glob.slice(0, -1).includes("/");
  const body = glob
    .replace(/^\//, "")
    .replace(/[.+^$()|[\]{}]/g, "\\$&")
    .replace(/\*\*/g, "\u0000")
    .replace(/\*/g, "[^/]*")
    .replace(/\u0000/g, ".*");
  const tail = glob.endsWith("/") ? ".*" : "(/.*)?";
  return new RegExp(`^${anchored ? "" : "(.*/)?"}${body}${tail}$`);
}

function ownersOf(path: string): string[] {
  let owners: string[] = [];
  for (const rule of codeowners()) if (rule.pattern.test(path)) owners = rule.owners;
  return owners;
}

describe(".github/CODEOWNERS", () => {
  const tenants = readdirSync(join(ROOT, "apps")).filter((t) => existsSync(join(ROOT, "apps", t, "tenant.ts"))).sort();

  it("gives every tenant's apps to the team its tenant.ts names", () => {
    expect(tenants.length).toBeGreaterThan(0);
    for (const tenant of tenants) {
      const team = /team:\s*"(@[^"]+)"/.exec(readFileSync(join(ROOT, "apps", tenant, "tenant.ts"), "utf8"))?.[1];
      expect(team, tenant).toBeDefined();
      expect(ownersOf(`apps/${tenant}/some-app/app.ts`), tenant).toEqual([team]);
      for (const app of readdirSync(join(ROOT, "apps", tenant)).filter((a) => existsSync(join(ROOT, "apps", tenant, a, "app.ts")))) {
        expect(ownersOf(`apps/${tenant}/${app}/app.ts`), app).toEqual([team]);
        expect(ownersOf(`clusters/dev-use1/dev/${app}/deployment-${app}.yaml`), `rendered ${app}`).toEqual([team]);
        expect(ownersOf(`clusters/prod-use1/prod/${app}/deployment-${app}.yaml`), `rendered prod ${app}`).toEqual(["@acme/platform"]);
      }
      expect(ownersOf(`apps/${tenant}/tenant.ts`)).toEqual(["@acme/platform"]);
    }
  });

  it("gives production, the libraries and the add-ons to the platform team", () => {
    for (const path of [
      "environments/prod/environment.ts",
      "environments/prod/releases.yaml",
      "clusters/prod-use1/cluster.ts",
      "clusters/prod-euw1/argocd/applicationset-apps.yaml",
      "packages/diff/src/index.ts",
      "addons/karpenter.ts",
      ".github/workflows/pr.yml",
      "package.json",
    ]) {
      expect(ownersOf(path), path).toEqual(["@acme/platform"]);
    }
  });

  it("lets any reviewer approve routine releases outside production", () => {
    expect(ownersOf("environments/dev/releases.yaml")).toEqual([]);
    expect(ownersOf("environments/staging/releases.yaml")).toEqual([]);
    expect(ownersOf("environments/staging/environment.ts")).toEqual(["@acme/platform"]);
  });
});

describe(".github/pull_request_template.md", () => {
  it("asks for the rendered tree, validation and the risky changes", () => {
    const text = readFileSync(join(GITHUB, "pull_request_template.md"), "utf8");
    for (const needle of ["slipway render", "slipway validate", "risky change"]) expect(text).toContain(needle);
  });
});
