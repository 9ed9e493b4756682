import { describe, expect, it } from "vitest";
import { AppDefinitionSchema, ResolvedAppSchema } from "./app-schema";
import { DefinitionError } from "./errors";
import { parseDefinition } from "./zod-errors";

const FILE = "apps/storefront/web/app.ts";
const base = {
  name: "web",
  tenant: "storefront",
  kind: "web-service",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/storefront/web",
  ports: [{ name: "http", port: 8080 }],
};

/** Parses `input` as a resolved app and returns the formatted error it must raise. */
function errorOf(input: unknown, schema: typeof ResolvedAppSchema | typeof AppDefinitionSchema = ResolvedAppSchema): string {
  try {
    parseDefinition(schema, input, { file: FILE });
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as DefinitionError).format();
  }
  throw new Error("expected the definition to be rejected");
}

describe("app definitions", () => {
  it("GIVEN a minimal web service WHEN resolved THEN library defaults fill the rest", () => {
    const app = ResolvedAppSchema.parse(base);
    expect(app.scaling).toEqual({ min: 1, cpuTargetPercent: 70, metrics: [], scaleDownStabilizationSeconds: 300 });
    expect(app.resources).toEqual({ cpu: "100m", memory: "128Mi" });
    expect(app.automountServiceAccountToken).toBe(false);
    expect(app.scratchPaths).toEqual(["/tmp"]);
  });

  const malformed: [string, unknown, RegExp[]][] = [
    ["a misspelled field", { ...base, replicas: 3 }, [/apps\/storefront\/web\/app\.ts: \(top level\): unknown field `replicas`/, /fix: remove `replicas`/]],
    ["a near-miss field name", { ...base, scaling: { min: 1, maxx: 3 } }, [/scaling: unknown field `maxx`/, /did you mean `max`\?/]],
    ["a missing image", { ...base, image: undefined }, [/image: required field is missing/, /expected: string/, /fix: add `image`/]],
    ["a tag in the image repository", { ...base, image: "nginx:latest" }, [/image: value must be an image repository without tag or digest/, /received: string "nginx:latest"/]],
    ["an unknown kind", { ...base, kind: "daemon" }, [/kind: value is not one of the allowed values/, /expected: "web-service" \| "worker" \| "cron-job"/, /received: string "daemon"/]],
    ["a CPU quantity with a memory unit", { ...base, resources: { cpu: "100Mi" } }, [/resources\.cpu: value must be a CPU quantity/, /received: string "100Mi"/]],
    ["a memory quantity in GB", { ...base, resources: { memory: "1GB" } }, [/resources\.memory: .*`MB`\/`GB` are not Kubernetes units/]],
    ["a numeric-only port name", { ...base, ports: [{ name: "8080", port: 8080 }] }, [/ports\[0\]\.name: .*at least one letter/]],
    ["a port out of range", { ...base, ports: [{ name: "http", port: 70000 }] }, [/ports\[0\]\.port: value is too large/, /expected: at most 65535/]],
    ["zero replicas", { ...base, scaling: { min: 0 } }, [/scaling\.min: value is too small/, /expected: at least 1/, /received: number 0/]],
    ["max below min", { ...base, scaling: { min: 3, max: 2 } }, [/scaling\.max: scaling\.max \(2\) must be at least scaling\.min \(3\)/]],
    ["a public ingress without approval", { ...base, ingress: { exposure: "public", host: "shop.example.com" } }, [/ingress\.approval: a public ingress needs `approval`/]],
    ["an unknown AWS identity", { ...base, aws: { identity: "kiam", roleArn: "arn:aws:iam::111122223333:role/x" } }, [/aws\.identity: `identity` selects the variant/, /expected: "irsa" \| "pod-identity"/]],
    ["a malformed role ARN", { ...base, aws: { identity: "irsa", roleArn: "role/x" } }, [/aws\.roleArn: value must be an IAM role ARN/]],
    ["a worker with an ingress", { ...base, kind: "worker", ingress: { exposure: "internal", host: "w.example.com" } }, [/ingress: a worker cannot have an ingress/]],
    ["a cron job without schedule", { ...base, kind: "cron-job", ports: [] }, [/schedule: a cron-job needs `schedule/]],
    ["a probe on an unknown port", { ...base, probes: { readiness: { type: "http", path: "/ready", port: "admin" } } }, [/probes\.readiness\.port: port `admin` is not one of the app's ports \(http\)/]],
    ["a secret without env or mount", { ...base, secrets: [{ name: "db", from: "team/db" }] }, [/secrets\[0\]: a secret needs `env`/]],
    ["a web service without ports", { ...base, ports: [] }, [/ports: a web-service needs at least one port/]],
    ["a lower-case env var with a dash", { ...base, env: { "log-level": "info" } }, [/env\.log-level: .*environment variable name/]],
  ];

  it.each(malformed)("GIVEN %s WHEN parsed THEN the error names the file, the field and the fix", (_case, input, patterns) => {
    const message = errorOf(input);
    for (const pattern of patterns) expect(message).toMatch(pattern);
    expect(message.startsWith(FILE)).toBe(true);
  });

  it("GIVEN per-environment overrides with an unknown field WHEN the definition is parsed THEN the override path is named", () => {
    const message = errorOf({ ...base, environments: { prod: { scalling: { min: 2 } } } }, AppDefinitionSchema);
    expect(message).toMatch(/environments\.prod: unknown field `scalling`/);
    expect(message).toMatch(/did you mean `scaling`\?/);
  });

  it("GIVEN several mistakes WHEN parsed THEN all are reported at once", () => {
    const message = errorOf({ ...base, kind: "daemon", scaling: { min: 0 } });
    expect(message).toMatch(/kind:/);
    expect(message).toMatch(/scaling\.min:/);
  });
});
