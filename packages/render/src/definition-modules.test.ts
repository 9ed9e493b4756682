import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { DefinitionError } from "@slipway/core";
import { afterAll, describe, expect, it } from "vitest";
import { DefinitionModules } from "./definition-modules";
import { removeFleet, REPO_ROOT } from "../test/test-fleet";

const made: string[] = [];
afterAll(() => made.forEach(removeFleet));

/** A directory inside the repository (so `@slipway/*` resolves) holding `files`. */
function project(files: Record<string, string>): string {
  const root = join(REPO_ROOT, ".slipway", "test-fleets", `definition-modules-${process.pid}-${made.length}`);
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const APP = (extra = "") => `import { defineApp } from "@slipway/core";\nimport { team } from "../../shared/team.ts";\n${extra}\nexport default defineApp({ name: "web", tenant: team, image: "x" } as never);\n`;

describe("definition modules", () => {
  it("GIVEN definitions importing a local helper and @slipway/core WHEN compiled in one run THEN each imports with its helper's values, and the compiled files are removed after", async () => {
    const root = project({
      "shared/team.ts": `export const team: string = "payments";\n`,
      "apps/web/app.ts": APP(),
      "apps/api/app.ts": APP().replace('"web"', '"api"'),
    });
    const modules = new DefinitionModules(root);
    await modules.compile(["apps/web/app.ts", "apps/api/app.ts"]);
    const web = await modules.import("apps/web/app.ts");
    const api = await modules.import("apps/api/app.ts");
    expect(web.default).toEqual({ kind: "app", input: { name: "web", tenant: "payments", image: "x" } });
    expect(api.default).toEqual({ kind: "app", input: { name: "api", tenant: "payments", image: "x" } });
    expect(modules.inputs("apps/web/app.ts")).toEqual(["apps/web/app.ts", "shared/team.ts"]);
    modules.dispose();
    // Compiled outside the repository: nothing is written into the checkout.
    expect(existsSync(join(root, ".slipway"))).toBe(false);
  });

  it("GIVEN a definition using import.meta.url WHEN imported THEN it names the definition's own file, not the compiled one", async () => {
    const root = project({ "apps/web/app.ts": "export default { where: import.meta.url };\n" });
    const modules = new DefinitionModules(root);
    const mod = (await modules.import("apps/web/app.ts")) as { default: { where?: string } };
    modules.dispose();
    expect(mod.default.where).toBe(pathToFileURL(join(root, "apps/web/app.ts")).href);
  });

  it("GIVEN a definition whose top-level code never ends, and one exporting a function WHEN loaded THEN each is stopped and named, and the next definition still loads", async () => {
    const root = project({
      "apps/spin/app.ts": "while (true) {}\nexport default {};\n",
      "apps/code/app.ts": "export default { compute: () => 1 };\n",
      "apps/fine/app.ts": "export default { name: \"fine\" };\n",
    });
    const modules = new DefinitionModules(root, {}, 500);
    const spin = (await modules.import("apps/spin/app.ts").catch((error: unknown) => error)) as DefinitionError;
    expect(spin).toBeInstanceOf(DefinitionError);
    expect(spin.message).toBe("did not finish loading within 0.5 s");
    expect(spin.details).toMatchObject({ file: "apps/spin/app.ts", hint: expect.stringMatching(/loop that never ends/) });
    const code = (await modules.import("apps/code/app.ts").catch((error: unknown) => error)) as DefinitionError;
    expect(code.message).toMatch(/^threw while it was loaded: its default export is not data/);
    expect((await modules.import("apps/fine/app.ts")).default).toEqual({ name: "fine" });
    modules.dispose();
  });

  it("GIVEN one definition with a syntax error and one whose helper has one WHEN compiled together THEN each names its problem and where, and the good one still imports", async () => {
    const root = project({
      "shared/team.ts": `export const team = "payments";\n`,
      "shared/broken.ts": `export const broken = {;\n`,
      "apps/web/app.ts": APP(),
      "apps/bad/app.ts": `import { defineApp } from "@slipway/core";\nexport default defineApp({ name: "bad", tenant: {{ } as never);\n`,
      "apps/uses-broken/app.ts": `import { defineApp } from "@slipway/core";\nimport { broken } from "../../shared/broken.ts";\nexport default defineApp(broken as never);\n`,
    });
    const modules = new DefinitionModules(root);
    await modules.compile(["apps/web/app.ts", "apps/bad/app.ts", "apps/uses-broken/app.ts"]);
    expect((await modules.import("apps/web/app.ts")).default).toMatchObject({ kind: "app" });
    const bad = await modules.import("apps/bad/app.ts").catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(DefinitionError);
    expect(String((bad as Error).message)).toMatch(/could not be loaded: .+ \(line 2, column \d+\)$/);
    const viaHelper = await modules.import("apps/uses-broken/app.ts").catch((error: unknown) => error);
    expect((viaHelper as DefinitionError).message).toMatch(/could not be loaded: .+ \(line 1, column \d+\) in shared\/broken\.ts$/);
    expect((viaHelper as DefinitionError).details.file).toBe("apps/uses-broken/app.ts");
    modules.dispose();
    expect(existsSync(join(root, ".slipway"))).toBe(false);
  });

  it("GIVEN a definition that throws, one importing a missing file and one with a syntax error WHEN imported THEN each gets a hint true to its problem", async () => {
    const root = project({
      "apps/throws/app.ts": `import { defineApp } from "@slipway/core";\nconst ttl: string | undefined = undefined;\nif (!ttl) throw new Error("TTL is required");\nexport default defineApp({} as never);\n`,
      "apps/missing/app.ts": `import { defineApp } from "@slipway/core";\nimport { x } from "./nowhere";\nexport default defineApp(x as never);\n`,
      "apps/syntax/app.ts": `export default {;\n`,
    });
    const modules = new DefinitionModules(root);
    const failure = async (file: string) => (await modules.import(file).catch((error: unknown) => error)) as DefinitionError;
    const throws = await failure("apps/throws/app.ts");
    expect(throws.message).toBe("threw while it was loaded: TTL is required");
    expect(throws.details.hint).toMatch(/top-level code runs when it is loaded/);
    const missing = await failure("apps/missing/app.ts");
    expect(missing.message).toMatch(/could not be loaded: Could not resolve "\.\/nowhere"/);
    expect(missing.details.hint).toMatch(/fix the import/);
    const syntax = await failure("apps/syntax/app.ts");
    expect(syntax.details.hint).toBe("fix the syntax at the line shown");
    for (const error of [throws, missing, syntax]) expect(error.details.hint).not.toMatch(/TypeScript error|typecheck/);
    modules.dispose();
  });

  it("GIVEN definitions reading the environment, the file system or the process WHEN loaded THEN only declared environment variables can be read, and each other read fails naming what it read", async () => {
    const root = project({
      "apps/declared/app.ts": `export default { ttl: process.env.SLIPWAY_TEST_TTL, unset: process.env.SLIPWAY_TEST_UNSET };\n`,
      "apps/undeclared/app.ts": `export default { ttl: process["env"].TTL };\n`,
      "apps/global/app.ts": `export default { ttl: globalThis.process.env.TTL };\n`,
      "apps/argv/app.ts": `export default { args: process.argv };\n`,
      "apps/files/app.ts": `import { readFileSync } from "node:fs";\nexport default { text: readFileSync("/etc/hostname", "utf8") };\n`,
      "apps/shell/app.ts": `import { execSync } from "child_process";\nexport default { out: String(execSync("id")) };\n`,
    });
    const modules = new DefinitionModules(root, { SLIPWAY_TEST_TTL: "30", SLIPWAY_TEST_UNSET: null });
    const failure = async (file: string) => (await modules.import(file).catch((error: unknown) => error)) as DefinitionError;
    expect((await modules.import("apps/declared/app.ts")).default).toEqual({ ttl: "30" });
    for (const file of ["apps/undeclared/app.ts", "apps/global/app.ts"]) {
      const error = await failure(file);
      expect(error).toBeInstanceOf(DefinitionError);
      expect(error.message).toMatch(/process\.env\.TTL is not declared/);
    }
    expect((await failure("apps/argv/app.ts")).message).toMatch(/cannot use process\.argv/);
    for (const [file, module] of [["apps/files/app.ts", "node:fs"], ["apps/shell/app.ts", "child_process"]]) {
      const error = await failure(file!);
      expect(error.message).toContain(`definitions cannot import "${module}"`);
      expect(error.details.hint).toMatch(/declare an environment variable/);
    }
    modules.dispose();
  });
});
