import { execFileSync, spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, exampleFleetCopies, fingerprint } from "../../render/src/test-fleet";
import { main } from "./main";
import { recordingIO } from "./test-io";

const fleet = exampleFleetCopies("cli-");

const BIN = join(REPO_ROOT, "packages/cli/bin/slipway.js");
function slipway(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("slipway CLI", () => {
  it("GIVEN a reader that stops early (| head) WHEN the CLI prints THEN it ends with its own status, no EPIPE error", async () => {
    const root = fleet("pipe");
    const child = spawn(process.execPath, [BIN, "render", "--json"], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    // The reader is gone before the render prints its result.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("GIVEN no command THEN it prints usage and exits 2; --help exits 0", async () => {
    const io = recordingIO(REPO_ROOT);
    expect(await main([], io)).toBe(2);
    expect(io.out.join("\n")).toMatch(/Usage: slipway <command>/);
    expect(await main(["--help"], recordingIO(REPO_ROOT))).toBe(0);
  });

  it("GIVEN an unknown command or option THEN it exits 2 with the usage", async () => {
    const io = recordingIO(REPO_ROOT);
    expect(await main(["rendr"], io)).toBe(2);
    expect(io.err.join("\n")).toMatch(/unknown command `rendr`/);
    const io2 = recordingIO(REPO_ROOT);
    expect(await main(["render", "--chek"], io2)).toBe(2);
    expect(io2.err.join("\n")).toMatch(/Unknown option '--chek'/);
  });

  it("every command answers --help with exit 0", async () => {
    const io = recordingIO(REPO_ROOT);
    await main(["--help"], io);
    const names = [...io.out.join("\n").matchAll(/^  ([a-z]+)  /gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) {
      const commandIO = recordingIO(REPO_ROOT);
      expect(await main([name, "--help"], commandIO), name).toBe(0);
      expect(commandIO.out.join("\n"), name).toMatch(/Usage: slipway /);
    }
  });

  it("GIVEN the committed tree WHEN `render --check` runs as a process THEN it exits 0, and 1 naming a hand-edited file", () => {
    const root = fleet("check");
    expect(slipway(root, ["render", "--check"]).code).toBe(0);
    const file = join(root, "clusters/prod-euw1/prod/checkout/service-checkout.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("type: ClusterIP", "type: NodePort"));
    const result = slipway(root, ["render", "--check"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("clusters/prod-euw1/prod/checkout/service-checkout.yaml: differs from what render produces");
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it("GIVEN a broken definition WHEN render runs as a process THEN it exits 1 with file and field and clusters/ is untouched", () => {
    const root = fleet("broken");
    const app = join(root, "apps/payments/ledger/app.ts");
    writeFileSync(app, readFileSync(app, "utf8").replace('memoryLimit: "768Mi"', 'memoryLimit: "768MB"'));
    const before = fingerprint(join(root, "clusters"));
    const result = slipway(root, ["render"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/apps\/payments\/ledger\/app\.ts: resources\.memoryLimit: value must be a memory quantity/);
    expect(result.stderr).toMatch(/received: string "768MB"/);
    expect(fingerprint(join(root, "clusters"))).toEqual(before);
  });

  it("GIVEN --json WHEN rendering THEN the summary is machine-readable", () => {
    const root = fleet("json");
    const result = slipway(root, ["render", "--json"]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ mode: "write", written: [], deleted: [] });
    expect(summary.objects).toBeGreaterThan(100);
  });

  it("GIVEN `new app` WHEN the scaffold is released and rendered THEN the app appears in dev", async () => {
    const root = fleet("new");
    const io = recordingIO(root);
    expect(await main(["new", "app", "payments/refunds", "--kind", "worker"], io)).toBe(0);
    expect(io.out[0]).toBe("created apps/payments/refunds/app.ts");
    expect(await main(["new", "app", "payments/refunds"], recordingIO(root))).toBe(2);
    const releases = join(root, "environments/dev/releases.yaml");
    writeFileSync(
      releases,
      `${readFileSync(releases, "utf8")}  refunds:\n    image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/refunds\n    tag: "0.1.0"\n    digest: sha256:${"c".repeat(64)}\n    commit: ${"d".repeat(40)}\n`,
    );
    const result = slipway(root, ["render"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("clusters/dev-use1/dev/refunds/deployment-refunds.yaml");
    execFileSync("test", ["-f", join(root, "clusters/dev-use1/dev/refunds/deployment-refunds.yaml")]);
  });
});
