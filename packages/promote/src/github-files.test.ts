/**
 * The repository's .github files, checked as code: workflows parse, hold the least permissions,
 * pin third-party actions by commit, never run PR code with pull_request_target, pass inputs to
 * scripts only through env, install dependencies before any write token exists, push with a
 * GitHub App token minted per run, queue releases per app, test on every supported Node, and
 * call slipway commands with flags those commands accept. CODEOWNERS maps every tenant and app
 * to the right team and keeps the platform's guardrails last.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const GITHUB = join(ROOT, ".github");

type Step = { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; if?: string };
type Matrix = Record<string, unknown[]> & { include?: Record<string, unknown>[] };
type Job = { permissions?: Record<string, string>; "timeout-minutes"?: number; strategy?: { "fail-fast"?: boolean; matrix?: Matrix }; steps: Step[] };
type Concurrency = { group: string; "cancel-in-progress"?: boolean };
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; concurrency?: Concurrency; jobs: Record<string, Job> };

function workflowText(name: string): string {
  return readFileSync(join(GITHUB, "workflows", name), "utf8");
}
function workflow(name: string): Workflow {
  return parse(workflowText(name), { uniqueKeys: true }) as Workflow;
}
const workflows = readdirSync(join(GITHUB, "workflows")).filter((f) => /\.ya?ml$/.test(f)).sort();

/** Which jobs' GITHUB_TOKEN may do what. Writes to the repository go through the App token. */
const PERMISSIONS: Record<string, Record<string, Record<string, string>>> = {
  "fleet.yml": { validate: { contents: "read" } },
  "pr.yml": { "fleet-size": { contents: "read" }, check: { contents: "read" }, "render-shards": { contents: "read" }, "render-merged": { contents: "read" }, diff: { contents: "read", "pull-requests": "write" }, "addon-sources": { contents: "read" } },
  "promote.yml": { promote: { contents: "read" } },
  "release.yml": { release: { contents: "read" } },
};

/**
 * Each slipway command's usage text, as the shipped CLI prints it for `--help` (so documented and
 * scripted calls cannot drift from the flags the commands accept, wherever their code lives).
 */
const COMMANDS = ["render", "validate", "diff", "release", "promote", "status", "new", "argocd", "addons"] as const;
const usageCache = new Map<string, string>();
function usage(command: string): string {
  let text = usageCache.get(command);
  if (text === undefined) {
    const args = command === "argocd" ? ["argocd", "preview", "--help"] : command === "addons" ? ["addons", "check-sources", "--help"] : [command, "--help"];
    const result = spawnSync(process.execPath, [join(ROOT, "packages", "cli", "bin", "slipway.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(result.status, `slipway ${args.join(" ")}: ${result.stderr}`).toBe(0);
    text = result.stdout;
    expect(text, `slipway ${args.join(" ")}`).toContain(`Usage: slipway ${command}`);
    usageCache.set(command, text);
  }
  return text;
}

/** Every `slipway <command> …` call in a text: the command, the rest of the line (or code span), and its flags. */
function slipwayCalls(text: string): { call: string; command: string; flags: string[] }[] {
  return [...text.matchAll(new RegExp(`(?:npx )?slipway (${COMMANDS.join("|")})\\b([^\`\\n]*)`, "g"))].map(([call, command, rest]) => ({
    call,
    command: command!,
    flags: rest!.match(/--[a-z][a-z-]*/g) ?? [],
  }));
}

const SHA_PIN = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;
const APP_TOKEN_ACTION = /^actions\/create-github-app-token@[0-9a-f]{40}$/;
/** What puts a write-capable token in a step's reach. */
const TOKEN_EXPRESSION = /secrets\.|github\.token|steps\.[\w-]+\.outputs\.token/;

const isInstall = (s: Step) => /^npm ci\b/.test(s.run ?? "");
const isAppToken = (s: Step) => APP_TOKEN_ACTION.test(s.uses ?? "");
const pushes = (s: Step) => /npx slipway (release|promote)\b[^\n]*--open-pr/.test(s.run ?? "");

/**
 * Evaluates the `${{ … }}` parts of a string the way the runner would, for the expressions these
 * workflows use: dotted context paths joined by `||` (the first non-empty one wins).
 */
function evaluate(template: string, context: Record<string, string>): string {
  return template.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const operands = expression.split(/\s*\|\|\s*/);
    for (const operand of operands) if (!/^[\w-]+(\.[\w-]+)*$/.test(operand)) throw new Error(`cannot evaluate \`${expression}\` here`);
    return operands.map((o) => context[o] ?? "").find((v) => v !== "") ?? "";
  });
}

/** The combinations a job's matrix expands to (values and `include` extending matching ones). */
function combinations(matrix: Matrix | undefined): Record<string, unknown>[] {
  if (!matrix) return [{}];
  const { include = [], ...axes } = matrix;
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(axes)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  for (const extra of include) {
    const matching = combos.filter((c) => Object.entries(extra).every(([k, v]) => !(k in c) || c[k] === v));
    if (matching.length === 0) combos.push({ ...extra });
    for (const c of matching) Object.assign(c, extra);
  }
  return combos;
}

/**
 * Whether a step can run for one matrix combination (`if: matrix.x` or `if: matrix.x == 'v'`,
 * joined by `&&`); a `needs.…` condition depends on the run, not the combination, and is left open.
 */
function runsFor(step: Step, combo: Record<string, unknown>): boolean {
  if (step.if === undefined) return true;
  return step.if.split(/\s*&&\s*/).every((part) => {
    if (/^needs\.[\w-]+\.outputs\.[\w-]+ (==|!=) '[^']*'$/.test(part)) return true;
    const flag = /^matrix\.([\w-]+)$/.exec(part);
    if (flag) return Boolean(combo[flag[1]!]);
    const equals = /^matrix\.([\w-]+) == '([^']*)'$/.exec(part);
    if (equals) return String(combo[equals[1]!]) === equals[2];
    throw new Error(`cannot evaluate \`if: ${step.if}\` here`);
  });
}

describe(".github/workflows", () => {
  it("has the four workflows", () => {
    expect(workflows).toEqual(["fleet.yml", "pr.yml", "promote.yml", "release.yml"]);
  });

  for (const file of workflows) {
    describe(file, () => {
      const wf = workflow(file);
      const jobs = Object.entries(wf.jobs);

      it("never uses pull_request_target", () => {
        expect(Object.keys(wf.on)).not.toContain("pull_request_target");
        expect(workflowText(file)).not.toContain("pull_request_target:");
      });

      it("grants nothing by default and each job's GITHUB_TOKEN only what it needs", () => {
        expect(wf.permissions).toEqual({});
        expect(Object.fromEntries(jobs.map(([id, job]) => [id, job.permissions]))).toEqual(PERMISSIONS[file]);
      });

      it("pins every third-party action to a full commit SHA, with the release it is as a comment", () => {
        const uses = jobs.flatMap(([, j]) => j.steps.map((s) => s.uses).filter((u): u is string => !!u));
        expect(uses.length).toBeGreaterThan(0);
        for (const u of uses) if (!u.startsWith("./")) expect(u, u).toMatch(SHA_PIN);
        const lines = workflowText(file).split("\n").filter((l) => /^\s*(- )?uses:/.test(l));
        expect(lines.length).toBe(uses.length);
        for (const line of lines) expect(line, line).toMatch(/@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/);
      });

      it("passes expressions to scripts only through env (no ${{ }} inside run)", () => {
        for (const [, job] of jobs) for (const step of job.steps) if (step.run) expect(step.run).not.toContain("${{");
      });

      it("never persists the job's token into the checkout", () => {
        const checkouts = jobs.flatMap(([, j]) => j.steps.filter((s) => s.uses?.startsWith("actions/checkout@")));
        expect(checkouts.length).toBe(jobs.length);
        for (const step of checkouts) expect(step.with?.["persist-credentials"]).toBe(false);
      });

      it("installs dependencies before any step can reach a token, and mints App tokens only after", () => {
        // Jobs that run none of the project's code (no npm, no npx) install nothing.
        for (const [id, job] of jobs.filter(([, j]) => j.steps.some((s) => /\bnpx? /.test(s.run ?? "")))) {
          const install = job.steps.findIndex(isInstall);
          expect(install, `${id}: npm ci`).toBeGreaterThan(-1);
          for (const step of job.steps.slice(0, install + 1)) {
            expect(JSON.stringify({ env: step.env, with: step.with }), `${id}: ${step.name ?? step.uses}`).not.toMatch(TOKEN_EXPRESSION);
          }
          job.steps.forEach((step, i) => {
            if (isAppToken(step)) expect(i, `${id}: App token after npm ci`).toBeGreaterThan(install);
          });
        }
      });

      it("calls slipway commands with flags they accept", () => {
        const runs = jobs.flatMap(([, j]) => j.steps.map((s) => s.run ?? "")).join("\n");
        const lines = runs.split("\n").filter((l) => l.includes("npx slipway "));
        const calls = slipwayCalls(runs);
        expect(calls.length).toBe(lines.length);
        for (const { call, command, flags } of calls) for (const flag of flags) expect(usage(command), call).toContain(flag);
      });
    });
  }

  it("pr.yml checks, renders, validates and posts the diff without persisting the token", () => {
    const wf = workflow("pr.yml");
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? "")).join("\n");
    for (const command of ["npm ci", "npm run typecheck", "npm test", "npx slipway render --check", "npx slipway validate --changed-from HEAD^1 --output github", "npx slipway diff"]) expect(runs).toContain(command);
    expect(runs).toMatch(/--comment-on-pr "\$PR_NUMBER"/);
    expect(runs).toContain('npx slipway diff --base HEAD^1 --head HEAD --output markdown >> "$GITHUB_STEP_SUMMARY"');
    expect(wf.concurrency).toEqual({ group: "pr-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
  });

  it("pr.yml tests on the Node floor and both LTS lines, and checks the fleet once, on the floor", () => {
    const floor = /^>=\s*(\d+\.\d+)/.exec((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node)?.[1];
    expect(floor).toBe("20.19");
    const check = workflow("pr.yml").jobs.check!;
    expect(check.strategy?.["fail-fast"]).toBe(false);
    expect(check.strategy?.matrix?.node).toEqual([floor, "22", "24"]);
    expect(check.steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"]).toBe("${{ matrix.node }}");

    const combos = combinations(check.strategy?.matrix);
    expect(combos.map((c) => c.node)).toEqual([floor, "22", "24"]);
    const nodesRunning = (command: string) => {
      const step = check.steps.find((s) => s.run?.startsWith(command));
      expect(step, command).toBeDefined();
      return combos.filter((c) => runsFor(step!, c)).map((c) => c.node);
    };
    for (const command of ["npm ci", "npm test"]) expect(nodesRunning(command), command).toEqual([floor, "22", "24"]);
    for (const command of ["npm run typecheck", "npx slipway render --check", "npx slipway validate"]) expect(nodesRunning(command), command).toEqual([floor]);
    // The diff comment is posted once per push, from the floor.
    const diff = workflow("pr.yml").jobs.diff!;
    expect(diff.strategy).toBeUndefined();
    expect(diff.steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"]).toBe(floor);
  });

  it("pr.yml renders above the documented fleet size as a matrix of shards, merged and compared by a final job", () => {
    const wf = workflow("pr.yml") as Workflow & { env: Record<string, string> };
    expect(Number(wf.env.SHARD_ABOVE)).toBeGreaterThan(0);
    const size = wf.jobs["fleet-size"]! as Job & { outputs: Record<string, string> };
    expect(Object.keys(size.outputs).sort()).toEqual(["instances", "sharded", "shards"]);
    const check = wf.jobs.check! as Job & { needs: string };
    expect(check.needs).toBe("fleet-size");
    expect(check.steps.find((s) => s.run === "npx slipway render --check")?.if).toBe("matrix.fleet && needs.fleet-size.outputs.sharded != 'true'");
    const shards = wf.jobs["render-shards"]! as Job & { if: string; strategy: { matrix: { shard: string } } };
    expect(shards.if).toBe("needs.fleet-size.outputs.sharded == 'true'");
    expect(shards.strategy.matrix.shard).toBe("${{ fromJSON(needs.fleet-size.outputs.shards) }}");
    expect(JSON.stringify(shards.steps)).toContain('npx slipway render --shard \\"$SHARD\\" --json');
    const merged = wf.jobs["render-merged"]! as Job & { if: string; needs: string[] };
    expect(merged.needs).toEqual(["fleet-size", "render-shards"]);
    expect(merged.if).toBe(shards.if);
    expect(JSON.stringify(merged.steps)).toContain("git status --porcelain -- clusters");
  });

  it("fleet.yml validates the whole fleet on a schedule and on demand", () => {
    const wf = workflow("fleet.yml");
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect((wf.on.schedule as { cron: string }[])[0]!.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    const runs = wf.jobs.validate!.steps.map((s) => s.run ?? "");
    expect(runs).toEqual(expect.arrayContaining(["npx slipway render --check", "npx slipway validate --output github", "npx slipway argocd preview"]));
  });

  it("pr.yml checks the add-ons' CRD sources against GitHub when an add-on changes, and only then", () => {
    const job = workflow("pr.yml").jobs["addon-sources"]!;
    const detect = job.steps.find((s) => s.run?.includes("git diff --quiet HEAD^1 HEAD -- addons packages/addons"));
    expect(detect, "a step that tells whether addons/** or packages/addons/** changed").toBeDefined();
    const check = job.steps.find((s) => s.run === "npx slipway addons check-sources")!;
    expect(check.if).toBe("steps.changed.outputs.addons == 'true'");
    expect(check.env).toEqual({ GITHUB_TOKEN: "${{ secrets.GITHUB_TOKEN }}" });
  });

  it("promote.yml and release.yml take their inputs and open pull requests", () => {
    const promote = workflow("promote.yml");
    expect(Object.keys(promote.on)).toEqual(["workflow_dispatch"]);
    expect(JSON.stringify(promote.jobs.promote!.steps)).toContain('npx slipway promote \\"${apps[@]}\\" --to \\"$TARGET\\" --open-pr');
    const release = workflow("release.yml");
    expect(Object.keys(release.on).sort()).toEqual(["repository_dispatch", "workflow_dispatch"]);
    expect(JSON.stringify(release.jobs.release!.steps)).toContain('npx slipway release \\"$APP\\" --env dev --image \\"$IMAGE\\" --commit \\"$SOURCE_COMMIT\\" --open-pr');
  });

  it("release.yml queues releases per app: another app's release neither waits nor replaces a pending one", () => {
    const { concurrency } = workflow("release.yml");
    expect(concurrency?.["cancel-in-progress"]).toBe(false);
    const group = (context: Record<string, string>) => evaluate(concurrency!.group, context);
    const dispatched = (app: string) => group({ "github.event.client_payload.app": app });
    const byHand = (app: string) => group({ "inputs.app": app });
    expect(dispatched("checkout")).not.toBe(dispatched("ledger"));
    expect(byHand("checkout")).not.toBe(byHand("ledger"));
    // Both triggers of one app share its group, so two releases of an app never run at once.
    expect(dispatched("checkout")).toBe(byHand("checkout"));
    expect(dispatched("checkout")).toContain("checkout");
  });

  it("promote.yml queues promotions per target environment and set of apps", () => {
    const { concurrency } = workflow("promote.yml");
    expect(concurrency?.["cancel-in-progress"]).toBe(false);
    const group = (to: string, apps: string) => evaluate(concurrency!.group, { "inputs.to": to, "inputs.apps": apps });
    expect(group("staging", "checkout")).not.toBe(group("staging", "ledger"));
    expect(group("staging", "checkout")).not.toBe(group("prod", "checkout"));
  });

  describe.each([
    ["release.yml", "release"],
    ["promote.yml", "promote"],
  ])("%s pushes with a GitHub App token minted for the run", (file, jobId) => {
    const job = workflow(file).jobs[jobId]!;
    const tokenIndex = job.steps.findIndex(isAppToken);
    const token = job.steps[tokenIndex];
    const pushIndex = job.steps.findIndex(pushes);
    const push = job.steps[pushIndex];

    it("mints the token with actions/create-github-app-token from a variable and a secret, scoped to what it needs", () => {
      expect(token, "a create-github-app-token step").toBeDefined();
      expect(token!.id).toMatch(/^[\w-]+$/);
      const inputs = token!.with ?? {};
      expect(String(inputs["client-id"] ?? inputs["app-id"])).toMatch(/^\$\{\{ vars\.[A-Z0-9_]+ \}\}$/);
      expect(String(inputs["private-key"])).toMatch(/^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/);
      // No owner or repositories: the token is for this repository only.
      expect(Object.keys(inputs).filter((k) => k === "owner" || k === "repositories")).toEqual([]);
      expect(Object.fromEntries(Object.entries(inputs).filter(([k]) => k.startsWith("permission-")))).toEqual({
        "permission-contents": "write",
        "permission-pull-requests": "write",
      });
    });

    it("hands the App token, and no other, to the step that pushes and opens the pull request", () => {
      expect(push, "a step running --open-pr").toBeDefined();
      expect(pushIndex).toBeGreaterThan(tokenIndex);
      expect(push!.env?.GITHUB_TOKEN).toBe(`\${{ steps.${token!.id}.outputs.token }}`);
      expect(workflowText(file)).not.toMatch(/SLIPWAY_BOT_TOKEN|secrets\.GITHUB_TOKEN|github\.token/);
    });

    it("never writes a token into git's configuration", () => {
      // slipway gives GITHUB_TOKEN to its own git push; no step stores credentials for git.
      for (const step of job.steps) {
        expect(step.run ?? "", step.name).not.toMatch(/git (config|remote)\b[^\n]*(credential|extraheader|insteadof|url\.|set-url)/i);
        expect(Object.keys(step.env ?? {}).filter((k) => k.startsWith("GIT_CONFIG")), step.name).toEqual([]);
      }
    });

    it("finishes within the token's hour", () => {
      expect(job["timeout-minutes"]).toBeLessThanOrEqual(60);
    });
  });
});

// ---- CODEOWNERS -------------------------------------------------------------------------------

type Rule = { pattern: RegExp; owners: string[]; source: string; line: number };

const GUARDRAILS_HEADING = "# 3. Platform guardrails";

function codeowners(text = readFileSync(join(GITHUB, "CODEOWNERS"), "utf8")): Rule[] {
  return text
    .split("\n")
    .map((raw, line) => ({ text: raw.replace(/#.*/, "").trim(), line }))
    .filter((l) => l.text)
    .map(({ text: rule, line }) => {
      const [source, ...owners] = rule.split(/\s+/);
      return { pattern: globToRegExp(source!), owners, source: source!, line };
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

function ownersOf(path: string, rules = codeowners()): string[] {
  let owners: string[] = [];
  for (const rule of rules) if (rule.pattern.test(path)) owners = rule.owners;
  return owners;
}

/** CODEOWNERS with lines inserted where the README says a new tenant's lines go. */
function withTenantLines(lines: string[]): Rule[] {
  const text = readFileSync(join(GITHUB, "CODEOWNERS"), "utf8").split("\n");
  const heading = text.findIndex((l) => l.startsWith(GUARDRAILS_HEADING));
  return codeowners([...text.slice(0, heading), ...lines, "", ...text.slice(heading)].join("\n"));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(ROOT, path).split("\\").join("/")];
  });
}

describe(".github/CODEOWNERS", () => {
  const tenants = readdirSync(join(ROOT, "apps")).filter((t) => existsSync(join(ROOT, "apps", t, "tenant.ts"))).sort();
  const teamOf = (tenant: string) => /team:\s*"(@[^"]+)"/.exec(readFileSync(join(ROOT, "apps", tenant, "tenant.ts"), "utf8"))?.[1];
  const appsOf = (tenant: string) => readdirSync(join(ROOT, "apps", tenant)).filter((a) => existsSync(join(ROOT, "apps", tenant, a, "app.ts")));

  it("gives every tenant's apps to the team its tenant.ts names", () => {
    expect(tenants.length).toBeGreaterThan(0);
    for (const tenant of tenants) {
      const team = teamOf(tenant);
      expect(team, tenant).toBeDefined();
      expect(ownersOf(`apps/${tenant}/some-app/app.ts`), tenant).toEqual([team]);
      for (const app of appsOf(tenant)) {
        expect(ownersOf(`apps/${tenant}/${app}/app.ts`), app).toEqual([team]);
        expect(ownersOf(`clusters/dev-use1/dev/${app}/deployment-${app}.yaml`), `rendered ${app}`).toEqual([team]);
        expect(ownersOf(`clusters/staging-use1/staging/${app}/deployment-${app}.yaml`), `rendered staging ${app}`).toEqual([team]);
        expect(ownersOf(`clusters/prod-use1/prod/${app}/deployment-${app}.yaml`), `rendered prod ${app}`).toEqual(["@acme/platform"]);
        // prod on a cluster not named prod-* is still the platform's.
        expect(ownersOf(`clusters/shared-use1/prod/${app}/deployment-${app}.yaml`), `rendered prod ${app} elsewhere`).toEqual(["@acme/platform"]);
      }
      expect(ownersOf(`apps/${tenant}/tenant.ts`)).toEqual(["@acme/platform"]);
    }
  });

  it("gives every rendered file in the repository to the right owner", () => {
    const environments = readdirSync(join(ROOT, "environments"));
    const teamOfApp = new Map(tenants.flatMap((t) => appsOf(t).map((a) => [a, teamOf(t)] as const)));
    const files = existsSync(join(ROOT, "clusters")) ? filesUnder(join(ROOT, "clusters")) : [];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const [, cluster, top, app] = file.split("/");
      let expected: string[];
      if (cluster!.startsWith("prod-") || top === "prod") expected = ["@acme/platform"];
      else if (top === "rendered.json" || top === "README.md") expected = [];
      else if (environments.includes(top!) && teamOfApp.has(app!)) expected = [teamOfApp.get(app!)!];
      else expected = ["@acme/platform"];
      expect(ownersOf(file), file).toEqual(expected);
    }
  });

  it("keeps the platform guardrails after every tenant line, whatever an app is called", () => {
    const rules = codeowners();
    const text = readFileSync(join(GITHUB, "CODEOWNERS"), "utf8").split("\n");
    const heading = text.findIndex((l) => l.startsWith(GUARDRAILS_HEADING));
    expect(heading, GUARDRAILS_HEADING).toBeGreaterThan(-1);
    for (const rule of rules.filter((r) => r.owners.some((o) => o !== "@acme/platform"))) expect(rule.line, rule.source).toBeLessThan(heading);
    for (const tenant of tenants) {
      for (const app of appsOf(tenant)) {
        // An app named like an add-on or a tenant must not capture their rendered directories.
        for (const path of [`clusters/dev-use1/addons/${app}/deployment-${app}.yaml`, `clusters/dev-use1/tenants/${app}/namespace-${app}.yaml`, `clusters/dev-use1/argocd/${app}/x.yaml`]) {
          expect(ownersOf(path), path).toEqual(["@acme/platform"]);
        }
      }
    }
  });

  it("keeps a new tenant's quotas with the platform when its lines go where the README says", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(`above the \`${GUARDRAILS_HEADING}\` heading`);
    const rules = withTenantLines(["/apps/billing/                      @acme/billing", "/clusters/*/*/refunds/              @acme/billing"]);
    expect(ownersOf("apps/billing/refunds/app.ts", rules)).toEqual(["@acme/billing"]);
    expect(ownersOf("clusters/dev-use1/dev/refunds/deployment-refunds.yaml", rules)).toEqual(["@acme/billing"]);
    expect(ownersOf("apps/billing/tenant.ts", rules)).toEqual(["@acme/platform"]);
    expect(ownersOf("clusters/dev-use1/tenants/billing/namespace-billing-dev.yaml", rules)).toEqual(["@acme/platform"]);
    expect(ownersOf("clusters/prod-use1/prod/refunds/deployment-refunds.yaml", rules)).toEqual(["@acme/platform"]);
    // The same line at the end of the file would hand the tenant its own guardrails.
    const appended = codeowners(readFileSync(join(GITHUB, "CODEOWNERS"), "utf8") + "/apps/billing/ @acme/billing\n");
    expect(ownersOf("apps/billing/tenant.ts", appended)).toEqual(["@acme/billing"]);
  });

  it("gives production, the libraries and the add-ons to the platform team", () => {
    for (const path of [
      "environments/prod/environment.ts",
      "environments/prod/releases.yaml",
      "clusters/prod-use1/cluster.ts",
      "clusters/prod-use1/rendered.json",
      "clusters/prod-euw1/argocd/applicationset-apps.yaml",
      "clusters/dev-use1/cluster.ts",
      "clusters/dev-use1/aws-resources/awsresources-dev-use1.yaml",
      "packages/diff/src/index.ts",
      "addons/karpenter.ts",
      ".github/workflows/pr.yml",
      ".github/CODEOWNERS",
      "package.json",
    ]) {
      expect(ownersOf(path), path).toEqual(["@acme/platform"]);
    }
  });

  it("lets any reviewer approve routine releases and generated indexes outside production", () => {
    expect(ownersOf("environments/dev/releases.yaml")).toEqual([]);
    expect(ownersOf("environments/staging/releases.yaml")).toEqual([]);
    expect(ownersOf("clusters/dev-use1/rendered.json")).toEqual([]);
    expect(ownersOf("clusters/staging-use1/README.md")).toEqual([]);
    expect(ownersOf("environments/staging/environment.ts")).toEqual(["@acme/platform"]);
  });

  it("uses only pattern syntax GitHub supports (no negation, character ranges or escapes)", () => {
    for (const rule of codeowners()) {
      expect(rule.source, rule.source).not.toMatch(/^!|[[\]\\]/);
      for (const owner of rule.owners) expect(owner, rule.source).toMatch(/^@[\w.-]+(\/[\w.-]+)?$/);
    }
  });
});

describe(".github/pull_request_template.md", () => {
  it("asks for the rendered tree, validation and the risky changes", () => {
    const text = readFileSync(join(GITHUB, "pull_request_template.md"), "utf8");
    for (const needle of ["slipway render", "slipway validate", "risky change"]) expect(text).toContain(needle);
  });
});

// ---- README.md and CONTRIBUTING.md ----------------------------------------------------------------

describe("README.md and CONTRIBUTING.md", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const docs = ["README.md", "CONTRIBUTING.md"].map((f) => [f, readFileSync(join(ROOT, f), "utf8")] as const);

  it("keep the two set-up commands: install and render, and the tests", () => {
    expect(readme).toMatch(/^npm ci && npm run render\b/m);
    expect(readme).toMatch(/^npm test\b/m);
  });

  it("call every slipway command with flags it accepts, and release with every flag it needs", () => {
    for (const [file, text] of docs) {
      const calls = slipwayCalls(text);
      expect(calls.length, file).toBeGreaterThan(0);
      for (const { call, command, flags } of calls) {
        for (const flag of flags) expect(usage(command), `${file}: ${call}`).toContain(flag);
        // A release command written out (not just named) carries every flag release requires.
        if (command === "release" && flags.length > 0) for (const flag of ["--env", "--image", "--commit"]) expect(flags, `${file}: ${call}`).toContain(flag);
      }
    }
  });

  it("link the app field reference", () => {
    expect(readme).toContain("(packages/core/README.md)");
  });
});
