import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startFakeGitHub as startFakeUpstream } from "@slipway/addons/testing";
import { SlipwayError, UsageError } from "@slipway/core";
import { renderFleet } from "@slipway/render";
import { editFile, fixtureFleetCopies, fixtureFleetRepo, type TempRepo } from "@slipway/testing";
import { main, runCommand, type Command } from "./main";
import { recordingIO, slipway } from "./test-io";

const BIN = fileURLToPath(new URL("../bin/slipway.js", import.meta.url));
const HERE = fileURLToPath(new URL(".", import.meta.url));

function spawned(cwd: string, args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("dispatch", () => {
  it("GIVEN no command THEN it prints usage and exits 2; --help exits 0", async () => {
    const io = recordingIO(HERE);
    expect(await main([], io)).toBe(2);
    expect(io.out.join("\n")).toMatch(/Usage: slipway <command>/);
    expect(await main(["--help"], recordingIO(HERE))).toBe(0);
  });

  it("GIVEN an unknown command or option THEN it exits 2 with the message, a suggestion and the usage", async () => {
    const command = await slipway(HERE, ["rendr"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^unknown command `rendr`\n {2}expected: render \| validate \| diff \| release \| promote \| rollback \| status \| argocd \| addons \| new\n {2}received: rendr\n {2}fix: did you mean `slipway render`\?\n\nUsage: slipway <command>/);
    const option = await slipway(HERE, ["render", "--chek"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^Unknown option '--chek'\n {2}fix: did you mean `--check`\?\n\nUsage: slipway render/);
  });

  it("every command answers --help with exit 0, from anywhere", async () => {
    const io = recordingIO(HERE);
    await main(["--help"], io);
    const names = [...io.out.join("\n").matchAll(/^  ([a-z]+)  /gm)].map((m) => m[1]!);
    expect(names).toEqual(["render", "validate", "diff", "release", "promote", "rollback", "status", "argocd", "addons", "new"]);
    for (const name of names) {
      const run = await slipway("/", [name, "--help"]);
      expect(run.code, name).toBe(0);
      expect(run.stdout, name).toMatch(/^Usage: slipway /);
      expect(run.stdout, name).toMatch(/Exit codes: 0 /);
    }
  });
});

describe("errors become exit codes in one place", () => {
  const command = (run: Command["run"]): Command => ({ help: "Usage: slipway fake [--flag]", run });
  const fake = async (run: Command["run"], env: NodeJS.ProcessEnv = {}) => {
    const io = recordingIO(HERE, "", env);
    const code = await runCommand("fake", command(run), [], io);
    return { code, out: io.out.join("\n"), err: io.err.join("\n") };
  };

  it("GIVEN a command's own status THEN it is the exit code: 0, or 1 for findings", async () => {
    expect((await fake(async () => 0)).code).toBe(0);
    expect((await fake(async () => 1)).code).toBe(1);
  });

  it("GIVEN a UsageError, from a command or a library THEN exit 2: the message in the one format, then the usage", async () => {
    const r = await fake(async () => {
      throw new UsageError("unknown cluster `nope`", { expected: "a | b", received: "nope", hint: "did you mean `--cluster a`?" });
    });
    expect(r).toEqual({ code: 2, out: "", err: "unknown cluster `nope`\n  expected: a | b\n  received: nope\n  fix: did you mean `--cluster a`?\n\nUsage: slipway fake [--flag]" });
  });

  it("GIVEN a flag parseArgs refuses THEN exit 2 with its message (no advice on positionals) and the usage", async () => {
    const r = await fake(async () => {
      const { parseArgs } = await import("node:util");
      parseArgs({ args: ["--flga"], options: { flag: { type: "boolean" } }, strict: true });
      return 0;
    });
    expect(r).toEqual({ code: 2, out: "", err: "Unknown option '--flga'\n  fix: did you mean `--flag`?\n\nUsage: slipway fake [--flag]" });
  });

  it("GIVEN any other SlipwayError THEN exit 1 with error.format() alone", async () => {
    const error = new SlipwayError("value is too small", { file: "apps/a/b/app.ts", field: "scaling.min", expected: "at least 1", received: "0", hint: "set scaling.min to 1 or more" });
    const r = await fake(async () => {
      throw error;
    });
    expect(r).toEqual({ code: 1, out: "", err: error.format() });
    expect(r.err).toBe("apps/a/b/app.ts: scaling.min: value is too small\n  expected: at least 1\n  received: 0\n  fix: set scaling.min to 1 or more");
  });

  it("GIVEN anything else THEN exit 1 with one line, and the stack only with SLIPWAY_DEBUG=1", async () => {
    const boom = async (): Promise<0> => {
      throw new TypeError("cannot read properties of undefined\n    at somewhere");
    };
    const quiet = await fake(boom);
    expect(quiet).toEqual({ code: 1, out: "", err: "slipway fake: unexpected error: cannot read properties of undefined (SLIPWAY_DEBUG=1 prints the stack trace)" });
    const loud = await fake(boom, { SLIPWAY_DEBUG: "1" });
    expect(loud.code).toBe(1);
    expect(loud.err).toMatch(/^slipway fake: TypeError: cannot read properties of undefined\n[\s\S]*main\.test\.ts/);
  });
});

describe("every command: 0 ok, 1 findings or failure, 2 usage; `--cluster nope` (and --env, --app, --to) is a usage error", () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = await fixtureFleetRepo({ prepare: (root) => renderFleet({ root, mode: "write" }) });
  });
  afterAll(() => repo?.cleanup());
  const restore = () => repo.git("checkout", "--quiet", "--", ".");
  const dev = () => (parse(repo.git("show", "HEAD:environments/dev/releases.yaml")) as { apps: Record<string, { image: string; tag: string; digest: string; commit: string }> }).apps.storefront!;

  const expectCode = async (argv: string[], code: number, cwd = join(repo.dir, "apps/shop"), env?: NodeJS.ProcessEnv) => {
    const run = await slipway(cwd, argv, env ? { env } : {});
    expect(run.code, `slipway ${argv.join(" ")}\n${run.stderr}`).toBe(code);
    if (code === 2) expect(run.stderr, argv.join(" ")).toMatch(/\n\nUsage: slipway /);
    return run;
  };

  it("render", async () => {
    await expectCode(["render", "--check"], 0);
    editFile(join(repo.dir, "clusters/dev-use1/dev/storefront/service-storefront.yaml"), (t) => t.replace("type: ClusterIP", "type: NodePort"));
    await expectCode(["render", "--check"], 1);
    restore();
    for (const argv of [["--cluster", "nope"], ["--env", "nope"], ["--app", "nope"]]) await expectCode(["render", ...argv], 2);
  });

  it("validate", async () => {
    await expectCode(["validate"], 0);
    const bad = await slipway(repo.dir, ["validate", "-"], { stdin: "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n    - port: 80\n      targetPort: \"8080\"\n" });
    expect(bad.code).toBe(1);
    await expectCode(["validate", "--output", "xml"], 2);
    await expectCode(["validate", "--policy", "nope", "-"], 2);
  });

  it("diff", async () => {
    await expectCode(["diff", "--exit-code"], 0);
    await expectCode(["diff", "--base", "no-such-ref"], 1);
    await expectCode(["diff", "--output", "xml"], 2);
  });

  it("release", async () => {
    const r = dev();
    const same = ["release", "storefront", "--image", `${r.image}:${r.tag}@${r.digest}`, "--commit", r.commit];
    await expectCode([...same, "--env", "dev"], 0);
    await expectCode([...same, "--env", "prod"], 1);
    await expectCode([...same, "--env", "nope"], 2);
    await expectCode(["release", "nope", ...same.slice(2), "--env", "dev"], 2);
  });

  it("promote", async () => {
    await expectCode(["promote", "storefront", "--to", "staging"], 0);
    await expectCode(["promote", "storefront", "--to", "dev"], 1);
    await expectCode(["promote", "storefront", "--to", "nope"], 2);
    await expectCode(["promote", "nope", "--to", "staging"], 2);
  });

  it("rollback", async () => {
    // One commit of the lock file: nothing earlier to restore.
    await expectCode(["rollback", "storefront", "--env", "prod", "--dry-run"], 1);
    // A second commit with another release: the first comes back.
    editFile(join(repo.dir, "environments/prod/releases.yaml"), (t) => t.replace(/tag: "2\.3\.2"/, 'tag: "2.3.1"'));
    repo.commit("prod: storefront 2.3.1");
    await expectCode(["rollback", "storefront", "--env", "prod", "--dry-run"], 0);
    repo.git("reset", "--quiet", "--hard", "HEAD~1");
    await expectCode(["rollback", "storefront", "--env", "nope"], 2);
    await expectCode(["rollback", "storefront"], 2);
  });

  it("status", async () => {
    await expectCode(["status"], 0);
    editFile(join(repo.dir, "environments/prod/releases.yaml"), (t) => t.replace(/tag: "2\.3\.2"/, 'tag: "2.3.1"'));
    const drift = await expectCode(["status"], 1);
    expect(drift.stdout).toContain("drift: storefront in prod rendered image");
    restore();
    await expectCode(["status", "--output", "html"], 2);
  });

  it("argocd", async () => {
    await expectCode(["argocd", "preview"], 0);
    editFile(join(repo.dir, "clusters/dev-use1/argocd/applicationset-dev-use1-dev-shop.yaml"), (t) => t.replace("clusters/dev-use1/dev/storefront", "clusters/dev-use1/dev/storefrnt"));
    await expectCode(["argocd", "preview"], 1);
    restore();
    await expectCode(["argocd", "preview", "--cluster", "nope"], 2);
    await expectCode(["argocd", "show"], 2);
  });

  it("addons", async () => {
    const upstream = await startFakeUpstream();
    const env = { GITHUB_API_URL: upstream.url };
    try {
      await expectCode(["addons", "check-sources"], 0, undefined, env);
      editFile(join(repo.dir, "addons/crds/cert-manager/v1.18.2/kustomization.yaml"), (t) => t.replace("download/v1.18.2/", "download/v1.17.0/"));
      await expectCode(["addons", "check-sources"], 1, undefined, env);
      restore();
      await expectCode(["addons", "check-sources", "--addon", "nope"], 2, undefined, env);
      await expectCode(["addons", "list"], 2);
    } finally {
      await upstream.close();
    }
  });

  it("new", async () => {
    await expectCode(["new", "app", "nope/x"], 2);
    await expectCode(["new", "tenant", "billing", "--team", "@fixture/billing"], 0);
    await expectCode(["new", "tenant", "billing", "--team", "@fixture/billing"], 2);
    repo.remove("apps/billing");
    await expectCode(["new", "tenant", "billing", "--team", "@fixture/billing"], 1, "/");
  });
});

describe("the shipped binary", () => {
  const fleet = fixtureFleetCopies("cli-", { prepare: (root) => renderFleet({ root, mode: "write" }) });

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

  it("GIVEN a process THEN its exit code is main's: 0, 1 naming a hand-edited file (no colour when piped), 2 for --cluster nope", () => {
    const root = fleet("check");
    expect(spawned(root, ["render", "--check"]).code).toBe(0);
    editFile(join(root, "clusters/prod-use1/prod/storefront/service-storefront.yaml"), (t) => t.replace("type: ClusterIP", "type: NodePort"));
    const result = spawned(join(root, "apps"), ["render", "--check"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("clusters/prod-use1/prod/storefront/service-storefront.yaml: differs from what render produces");
    expect(result.stdout).not.toMatch(/\u001b\[/);
    const nope = spawned(root, ["render", "--cluster", "nope"]);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toMatch(/^unknown cluster `nope`\n/);
  });
});
