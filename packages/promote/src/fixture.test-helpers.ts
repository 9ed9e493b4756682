/** A small fleet in a temporary git repository with a bare remote, and a stand-in for render. */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { createTempRepo, type TempRepo } from "@slipway/diff/testing";
import type { RenderStep } from "./apply";

const WORKSPACE_NODE_MODULES = resolve(dirname(fileURLToPath(import.meta.url)), "../../../node_modules");

export const digest = (c: string) => `sha256:${c.repeat(64)}`;
export const REGISTRY = "111122223333.dkr.ecr.us-east-1.amazonaws.com";

function environment(name: string, promotesFrom?: string): string {
  return `import { defineEnvironment } from "@slipway/core";

export default defineEnvironment({
  name: "${name}",${promotesFrom ? `\n  promotesFrom: "${promotesFrom}",` : ""}
  policy: { trustedRegistries: ["${REGISTRY}/"] },
});
`;
}

const TENANT = `import { defineTenant } from "@slipway/core";

export default defineTenant({
  name: "payments",
  team: "@acme/payments",
  groups: { viewers: ["payments-viewers"], developers: ["payments-developers"], operators: ["payments-oncall"] },
  registries: ["${REGISTRY}/payments/"],
});
`;

/** A worker app: the loader checks every definition, so the fixture's must be real ones. */
export function worker(name: string): string {
  return `import { defineApp } from "@slipway/core";

export default defineApp({
  name: "${name}",
  tenant: "payments",
  kind: "worker",
  image: "${REGISTRY}/payments/${name}",
  resources: { cpu: "100m", memory: "128Mi" },
  scaling: { min: 1, max: 2 },
});
`;
}

export function release(app: string, tag: string, d: string, commit: string, promotedFrom?: string) {
  return { image: `${REGISTRY}/payments/${app}`, tag, digest: digest(d), commit: commit.repeat(40 / commit.length), ...(promotedFrom ? { promotedFrom } : {}) };
}

/** dev runs checkout 1.1.0 and ledger 2.0.0; staging runs checkout 1.0.0; prod runs checkout 1.0.0. */
export function createFleetRepo(): TempRepo {
  const repo = createTempRepo({
    ".gitignore": "node_modules\n.slipway/\n",
    "environments/dev/environment.ts": environment("dev"),
    "environments/staging/environment.ts": environment("staging", "dev"),
    "environments/prod/environment.ts": environment("prod", "staging"),
    "environments/dev/releases.yaml": `# Release lock file for dev.\n${stringify({ apps: { checkout: release("checkout", "1.1.0", "b", "b"), ledger: release("ledger", "2.0.0", "c", "c") } })}`,
    "environments/staging/releases.yaml": `# Release lock file for staging.\n${stringify({ apps: { checkout: release("checkout", "1.0.0", "a", "a", "dev") } })}`,
    "environments/prod/releases.yaml": `# Release lock file for prod.\n${stringify({ apps: { checkout: release("checkout", "1.0.0", "a", "a", "staging") } })}`,
    "apps/payments/tenant.ts": TENANT,
    "apps/payments/checkout/app.ts": worker("checkout"),
    "apps/payments/ledger/app.ts": worker("ledger"),
    "apps/payments/refunds/app.ts": worker("refunds"),
  });
  symlinkSync(WORKSPACE_NODE_MODULES, join(repo.dir, "node_modules"), "dir");
  return repo;
}

/**
 * Stands in for `renderFleet`: one Deployment per app and environment, on cluster `<env>-use1`,
 * with the image of the lock file. Prunes what it no longer renders, as render does.
 */
export const fakeRender: RenderStep = async (root) => {
  rmSync(join(root, "clusters"), { recursive: true, force: true });
  for (const env of readdirSync(join(root, "environments")).sort()) {
    const file = join(root, "environments", env, "releases.yaml");
    if (!existsSync(file)) continue;
    const apps = ((parse(readFileSync(file, "utf8")) ?? {}) as { apps?: Record<string, { image: string; tag: string; digest: string }> }).apps ?? {};
    for (const [app, r] of Object.entries(apps)) {
      const path = join(root, "clusters", `${env}-use1`, env, app, `deployment-${app}.yaml`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(
        path,
        stringify({
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: app, namespace: `payments-${env}` },
          spec: { replicas: 2, template: { spec: { containers: [{ name: app, image: `${r.image}:${r.tag}@${r.digest}`, env: [{ name: "DB_PASSWORD", value: `pw-${r.tag}` }] }] } } },
        }),
      );
    }
  }
};

/** A fingerprint of everything git knows: HEAD, branches, index and working tree status, lock files. */
export function snapshot(repo: TempRepo): string {
  return [
    repo.git("rev-parse", "HEAD"),
    repo.git("for-each-ref", "--format=%(refname) %(objectname)"),
    repo.git("status", "--porcelain", "--untracked-files=all"),
    repo.git("worktree", "list", "--porcelain").replace(/\n\n[\s\S]*/, ""),
    ...["dev", "staging", "prod"].map((env) => readFileSync(join(repo.dir, "environments", env, "releases.yaml"), "utf8")),
    repo.git("ls-remote", repo.remote),
  ].join("\n--\n");
}
