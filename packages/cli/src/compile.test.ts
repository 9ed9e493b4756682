import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compiledCli, fingerprint } from "../build/compile.mjs";

const scratch = mkdtempSync(join(tmpdir(), "slipway-compile-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), text);
}

describe("compiled CLI", () => {
  it("GIVEN package sources WHEN one changes THEN the fingerprint changes; tests and golden files do not count", () => {
    write("core/package.json", `{"name":"@slipway/core"}`);
    write("core/src/index.ts", "export const a = 1;\n");
    write("core/src/index.test.ts", "// a test\n");
    write("render/package.json", `{"name":"@slipway/render"}`);
    write("render/src/render.ts", "export const b = 2;\n");
    const before = fingerprint(scratch + sep);
    write("core/src/index.test.ts", "// another test\n");
    write("render/src/__golden__/x.yaml", "a: 1\n");
    expect(fingerprint(scratch + sep)).toBe(before);
    write("render/src/render.ts", "export const b = 3;\n");
    const afterSource = fingerprint(scratch + sep);
    expect(afterSource).not.toBe(before);
    write("render/package.json", `{"name":"@slipway/render","dependencies":{"yaml":"*"}}`);
    expect(fingerprint(scratch + sep)).not.toBe(afterSource);
  });

  it("GIVEN the same sources in another place WHEN fingerprinted THEN the fingerprint differs (the bundle names its sources' locations)", () => {
    write("one/core/package.json", `{"name":"@slipway/core"}`);
    write("one/core/src/index.ts", "export const a = 1;\n");
    write("two/core/package.json", `{"name":"@slipway/core"}`);
    write("two/core/src/index.ts", "export const a = 1;\n");
    expect(fingerprint(join(scratch, "one"))).not.toBe(fingerprint(join(scratch, "two")));
  });

  it("GIVEN this repository WHEN the CLI is asked for THEN it is the bundle of the current sources, and it runs", async () => {
    const url = await compiledCli();
    expect(url).toBeDefined();
    expect(fileURLToPath(url!)).toContain(join("cli", "dist", fingerprint(), "main.js"));
    expect(await compiledCli()).toBe(url);
    const { main } = (await import(url!)) as { main: (argv: string[]) => Promise<number> };
    expect(typeof main).toBe("function");
  });
});
