/**
 * Render's safety promises through the shipped CLI: kills at random operations (and during the
 * roll-backs that follow), two renders at once, planted files and links, a read-only checkout.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { changeEveryRelease, killTest } from "../scripts/kill-test";
import { fingerprint, renderedFleetCopies, REPO_ROOT } from "../test/test-fleet";

const CLI = join(REPO_ROOT, "packages/cli/bin/slipway.js");
const fleet = renderedFleetCopies("safety-");

function slipway(root: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
}

describe("render's safety promises", () => {
  it("GIVEN renders killed at random operations, and killed again while rolling back WHEN one render completes THEN the tree is exactly the clean one", () => {
    const result = killTest(fleet("kill"), { trials: 4, seed: 7, change: changeEveryRelease });
    expect(result.kills).toBeGreaterThanOrEqual(4);
    expect(result).toMatchObject({ lost: 0, wrong: 0, extra: 0 });
    // Some twenty renders of the fixture fleet, one after another: minutes on a loaded machine.
  }, 600_000);

  it("GIVEN two renders at once WHEN the second cannot wait THEN it is refused naming the holder, and the tree is correct", async () => {
    const root = fleet("concurrent");
    writeFileSync(join(root, "environments/dev/releases.yaml"), readFileSync(join(root, "environments/dev/releases.yaml"), "utf8").replace(/tag: "?([^"\n]+)"?/g, 'tag: "$1-c"'));
    const first = spawn(process.execPath, [CLI, "render"], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    const firstDone = new Promise<number>((resolve) => first.on("close", (code) => resolve(code ?? 1)));
    // Wait for the first render to hold the lock.
    for (let i = 0; i < 200 && !existsSync(join(root, ".slipway/lock")); i++) await new Promise((r) => setTimeout(r, 25));
    const second = slipway(root, ["render"], { SLIPWAY_LOCK_WAIT_MS: "0" });
    expect(await firstDone).toBe(0);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/another slipway command is changing this checkout: `slipway render` \(pid \d+/);
    expect(slipway(root, ["render", "--check"]).status).toBe(0);
  });

  it("GIVEN files Argo CD would sync that render does not own WHEN checked THEN each fails --check", () => {
    const planted: [string, string][] = [
      ["clusters/dev-use1/dev/storefront/pod-evil.json", '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"evil"}}'],
      ["clusters/dev-use1/dev/storefront/extra/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"],
      ["clusters/dev-use1/tenants/evil/clusterrolebinding.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: evil\n"],
    ];
    for (const [path, text] of planted) {
      const root = fleet("planted");
      mkdirSync(join(root, path, ".."), { recursive: true });
      writeFileSync(join(root, path), text);
      const check = slipway(root, ["render", "--check"]);
      expect(check.status, check.stdout + check.stderr).toBe(1);
      expect(check.stdout).toContain(`${path}: not rendered by slipway`);
    }
  });

  it("GIVEN a directory under clusters/ replaced by a link to a folder outside the repository WHEN rendered or checked THEN both refuse, and nothing outside is touched", () => {
    const root = fleet("symlink");
    const outside = join(tmpdir(), `slipway-outside-${process.pid}`);
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, "precious.txt"), "keep\n");
    spawnSync("rm", ["-rf", join(root, "clusters/dev-use1/dev/storefront")]);
    symlinkSync(outside, join(root, "clusters/dev-use1/dev/storefront"), "dir");
    const before = fingerprint(outside);
    for (const args of [["render"], ["render", "--check"]]) {
      const run = slipway(root, args);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/clusters\/dev-use1\/dev\/storefront is a symbolic link/);
    }
    expect(fingerprint(outside)).toEqual(before);
  });

  it("GIVEN a read-only checkout WHEN checked THEN --check works; render fails in one line", () => {
    const root = fleet("read-only");
    spawnSync("chmod", ["-R", "a-w", root]);
    try {
      const check = slipway(root, ["render", "--check"]);
      expect(check.status, check.stderr).toBe(0);
      // As root, permissions do not stop a write: the refusal is only observable for other users.
      const write = slipway(root, ["render"]);
      if (process.getuid?.() !== 0) {
        expect(write.status).toBe(1);
        expect(write.stderr).toMatch(/cannot write to this checkout/);
        expect(write.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      spawnSync("chmod", ["-R", "u+w", root]);
    }
  });
});
