import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateGenerator, expandDirectories, matchPath } from "./generators";
import { renderString, renderTemplate, TemplateError } from "./template";

const root = mkdtempSync(join(tmpdir(), "slipway-gen-"));
for (const d of ["c/dev/a", "c/dev/b", "c/dev/.hidden", "c/tenants/x", "c/argocd"]) mkdirSync(join(root, d), { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));
const local = (url: string) => url === "repo";

describe("git directory generator", () => {
  it("matches one segment per `*`, skips dot-directories, and lets excludes win", () => {
    expect(expandDirectories(root, "c/*")).toEqual(["c/argocd", "c/dev", "c/tenants"]);
    expect(expandDirectories(root, "c/dev/*")).toEqual(["c/dev/a", "c/dev/b"]);
    const result = evaluateGenerator(root, { git: { repoURL: "repo", revision: "main", directories: [{ path: "c/dev/b", exclude: true }, { path: "c/dev/*" }] } }, local);
    expect(result.problems).toEqual([]);
    expect(result.params).toEqual([{ path: { path: "c/dev/a", basename: "a", basenameNormalized: "a", segments: ["c", "dev", "a"] } }]);
  });

  it("reports an include path that matches nothing, and repositories it cannot read", () => {
    expect(evaluateGenerator(root, { git: { repoURL: "repo", directories: [{ path: "c/dve/*" }] } }, local).problems).toEqual(["generator path `c/dve/*` matches no directory"]);
    expect(evaluateGenerator(root, { git: { repoURL: "other", directories: [{ path: "c/*" }] } }, local).problems[0]).toContain("not this repository");
    expect(evaluateGenerator(root, { matrix: {} }, local).problems[0]).toContain("not evaluated");
  });

  it("follows path.Match: character classes, no crossing of `/`", () => {
    expect(matchPath("c/dev/[ab]", "c/dev/b")).toBe(true);
    expect(matchPath("c/*", "c/dev/a")).toBe(false);
    expect(matchPath("/c/dev/*", "c/dev/a")).toBe(true);
  });

  it("passes list elements through", () => {
    expect(evaluateGenerator(root, { list: { elements: [{ addon: "x" }] } }, local)).toEqual({ params: [{ addon: "x" }], problems: [] });
  });
});

describe("Go template subset", () => {
  it("renders field references and fails on missing keys", () => {
    expect(renderString("x-{{.path.basename}}-{{ .n }}", { path: { basename: "a" }, n: 1 })).toBe("x-a-1");
    expect(() => renderString("{{.nope}}", {})).toThrow(TemplateError);
    expect(() => renderString("{{ upper .a }}", { a: "x" })).toThrow(/unsupported/);
    expect(renderTemplate({ labels: { "{{.k}}": ["{{.k}}"] }, n: 2 }, { k: "v" })).toEqual({ labels: { v: ["v"] }, n: 2 });
  });
});
