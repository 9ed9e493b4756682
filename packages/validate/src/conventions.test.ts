import { describe, expect, it } from "vitest";
import { Annotations as CoreAnnotations, Labels as CoreLabels } from "../../core/src/conventions";
import { Annotations, Labels } from "./conventions";
import { parseQuantity, quantityProblem } from "./quantity";
import { portNameProblem, qualifiedNameProblem } from "./names";
import { imageParts, trustedImage } from "./guardrails";

describe("conventions mirror @slipway/core", () => {
  it("GIVEN core's label and annotation keys THEN the validator reads the same ones", () => {
    for (const [k, v] of Object.entries(Labels)) expect(CoreLabels[k as keyof typeof CoreLabels]).toBe(v);
    for (const [k, v] of Object.entries(Annotations)) expect(CoreAnnotations[k as keyof typeof CoreAnnotations]).toBe(v);
  });
});

describe("quantities", () => {
  it("GIVEN the API server's grammar THEN exactly those forms parse", () => {
    for (const ok of ["1", "0.5", ".5", "1.", "250m", "1Gi", "1e3", "1E-3", "+2k", "100n"]) expect(parseQuantity(ok), ok).toBeDefined();
    for (const bad of ["1GB", "1 Gi", "Gi", "1.5.5", "1Ki2", "1da", "1Y", "1h", ""]) expect(parseQuantity(bad), bad).toBeUndefined();
    expect(parseQuantity("1.5Gi")?.value).toBe(1.5 * 2 ** 30);
  });
  it("GIVEN a resource name THEN the unit must suit it", () => {
    expect(quantityProblem("cpu", "100Mi")).toMatch(/binary/);
    expect(quantityProblem("memory", "100m")).toMatch(/fraction of a byte/);
    expect(quantityProblem("cpu", "-1")).toMatch(/negative/);
    expect(quantityProblem("memory", "1Gi")).toBeUndefined();
  });
});

describe("names", () => {
  it("GIVEN IANA service names THEN ≤ 15 chars, a letter, no '--'", () => {
    expect(portNameProblem("http")).toBeUndefined();
    expect(portNameProblem("8080")).toMatch(/letter/);
    expect(portNameProblem("a--b")).toMatch(/--/);
    expect(portNameProblem("-http")).toBeDefined();
    expect(portNameProblem("sixteen-chars-xx")).toMatch(/15/);
  });
  it("GIVEN label keys THEN prefix and name are checked", () => {
    expect(qualifiedNameProblem("app.kubernetes.io/name")).toBeUndefined();
    expect(qualifiedNameProblem("Example.com/x")).toMatch(/prefix/);
    expect(qualifiedNameProblem("/x")).toMatch(/empty prefix/);
    expect(qualifiedNameProblem("a".repeat(64))).toMatch(/63/);
  });
});

describe("images", () => {
  it("GIVEN references THEN registry, tag and digest are split like the runtime does", () => {
    expect(imageParts("nginx")).toEqual({ registry: "docker.io" });
    expect(imageParts("localhost:5000/a/b:1.2")).toEqual({ registry: "localhost:5000", tag: "1.2" });
    expect(imageParts("public.ecr.aws/a/b@sha256:ab")).toEqual({ registry: "public.ecr.aws", digest: "sha256:ab" });
    expect(trustedImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1", ["*.dkr.ecr.*.amazonaws.com/"])).toBe(true);
    expect(trustedImage("evil.com/123.dkr.ecr.x.amazonaws.com/x:1", ["*.dkr.ecr.*.amazonaws.com/"])).toBe(false);
  });
});

describe("README", () => {
  it("GIVEN the rule catalogue THEN the README's table documents every rule", async () => {
    const { readFileSync } = await import("node:fs");
    const { RULES } = await import("./rules");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const r of RULES) expect(readme).toContain(`| \`${r.id}\` | ${r.title} |`);
  });
});
