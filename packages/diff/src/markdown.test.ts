import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { diffTrees } from "./diff";
import { formatMarkdown, GITHUB_COMMENT_LIMIT, PART_MARKER_PATTERN } from "./markdown";
import { createTempRepo, type TempRepo } from "./testing";
import { loadTreeFromDir, loadTreeFromGit } from "./tree";

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

describe("markdown larger than one GitHub comment", () => {
  it("splits a >65,536-character diff on resource boundaries, every part under the limit, nothing lost", () => {
    repo = createTempRepo();
    repo.commit("empty");
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) {
      const name = `app-${String(i).padStart(3, "0")}`;
      files[`clusters/dev-eu/dev/${name}/configmap-${name}.yaml`] = stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "payments-dev" }, data: { config: `line of configuration ${name}\n`.repeat(40) } });
    }
    repo.write(files);
    repo.commit("many apps");
    const diff = diffTrees(loadTreeFromGit(repo.dir, "HEAD~1"), loadTreeFromGit(repo.dir, "HEAD"));
    const parts = formatMarkdown(diff);
    const total = parts.reduce((n, p) => n + p.length, 0);
    expect(total).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((part, i) => {
      expect(part.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(PART_MARKER_PATTERN.exec(part)?.[1]).toBe(String(i + 1));
      expect(part).toContain(`Part ${i + 1} of ${parts.length}`);
      // Resource boundaries: every collapsible section opened in a part is closed in it.
      expect(part.match(/<details>/g)?.length).toBe(part.match(/<\/details>/g)?.length);
      expect((part.match(/^```/gm) ?? []).length % 2).toBe(0);
    });
    const all = parts.join("\n");
    for (let i = 0; i < 120; i++) expect(all).toContain(`<code>payments-dev/app-${String(i).padStart(3, "0")}</code> added`);
    expect(parts.slice(1).every((p) => p.includes("(continued)"))).toBe(true);
  });

  it("continues a single resource larger than a comment over several parts", () => {
    repo = createTempRepo();
    repo.commit("empty");
    const big = Array.from({ length: 4000 }, (_, i) => `row ${i} ${"x".repeat(30)}`).join("\n");
    repo.write({ "clusters/dev-eu/dev/big/configmap-big.yaml": stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big", namespace: "n" }, data: { big } }) });
    const diff = diffTrees(loadTreeFromGit(repo.dir, "HEAD"), loadTreeFromDir(repo.dir));
    const parts = formatMarkdown(diff, { maxChars: 20_000 });
    expect(parts.length).toBeGreaterThan(5);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(20_000);
    const all = parts.join("");
    for (const i of [0, 1999, 3999]) expect(all).toContain(`row ${i} `);
  });
});
