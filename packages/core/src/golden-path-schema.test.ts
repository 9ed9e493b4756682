import { describe, expect, it } from "vitest";
import { ResolvedAppSchema } from "./app-schema";
import { DefinitionError } from "./errors";
import { shutdownTimings } from "./golden-path-schema";
import { parseDefinition } from "./zod-errors";

const FILE = "apps/data/events-store/app.ts";
const IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/data/proxy";
const stateful = {
  name: "events-store",
  tenant: "data",
  kind: "stateful-service",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/data/events-store",
  ports: [{ name: "client", port: 9092 }],
  volumes: [{ name: "log", mountPath: "/var/lib/events", size: "50Gi" }],
};
const worker = { name: "mailer", tenant: "data", kind: "worker", image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/data/mailer" };
const sidecar = { name: "proxy", image: `${IMAGE}:1.4.2`, resources: { cpu: "50m", memory: "64Mi" }, probe: { type: "exec", command: ["/ok"] } };

function errorOf(input: unknown): string {
  try {
    parseDefinition(ResolvedAppSchema, input, { file: FILE });
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as DefinitionError).format();
  }
  throw new Error("expected the definition to be rejected");
}

describe("golden-path intent fields", () => {
  it("GIVEN a stateful service WHEN resolved THEN volumes default to the gp3 class and placement to on-demand amd64", () => {
    const app = ResolvedAppSchema.parse(stateful);
    expect(app.volumes).toEqual([{ name: "log", mountPath: "/var/lib/events", size: "50Gi", storageClass: "gp3" }]);
    expect(app.placement).toEqual({ capacity: "on-demand", architecture: "amd64" });
    expect(app.sidecars).toEqual([]);
    expect(app.patches).toEqual([]);
    expect(app.backup).toBeUndefined();
    expect(ResolvedAppSchema.parse({ ...stateful, backup: {} }).backup).toEqual({ schedule: "0 1 * * *", ttl: "720h" });
  });

  it("GIVEN one drain setting THEN preStop and deregistration follow it and the grace period is above both", () => {
    for (const drain of [1, 15, 300]) {
      const t = shutdownTimings(drain);
      expect(t.preStopSleepSeconds).toBe(drain);
      expect(t.deregistrationDelaySeconds).toBe(drain);
      expect(t.terminationGracePeriodSeconds).toBeGreaterThan(t.preStopSleepSeconds + t.deregistrationDelaySeconds);
    }
  });

  const rejected: [string, unknown, RegExp[]][] = [
    ["a stateful service without volumes", { ...stateful, volumes: [] }, [/apps\/data\/events-store\/app\.ts: volumes: a stateful-service needs at least one volume/]],
    ["a stateful service without ports", { ...stateful, ports: [] }, [/ports: a stateful-service needs at least one port/]],
    ["an autoscaled stateful service", { ...stateful, scaling: { min: 3, max: 6 } }, [/scaling\.max: a stateful-service does not autoscale/]],
    ["volumes on a worker", { ...worker, volumes: stateful.volumes }, [/volumes: only a stateful-service has persistent volumes; this app is a worker/]],
    ["a backup on a worker", { ...worker, backup: {} }, [/backup: only a stateful-service has data to back up/]],
    ["an unknown capacity", { ...worker, placement: { capacity: "reserved" } }, [/placement\.capacity: value is not one of the allowed values/, /"on-demand" \| "spot" \| "any"/]],
    ["an unknown architecture", { ...worker, placement: { architecture: "x86" } }, [/placement\.architecture/, /"amd64" \| "arm64" \| "multi"/]],
    ["a sidecar image without a tag", { ...worker, sidecars: [{ ...sidecar, image: IMAGE }] }, [/sidecars\[0\]\.image: must name a version tag or a digest/]],
    ["a sidecar image tagged latest", { ...worker, sidecars: [{ ...sidecar, image: `${IMAGE}:latest` }] }, [/sidecars\[0\]\.image: must name a version tag or a digest/, /received: string ".*:latest"/]],
    ["a sidecar without resources", { ...worker, sidecars: [{ ...sidecar, resources: undefined }] }, [/sidecars\[0\]\.resources: required field is missing/]],
    ["a sidecar probing a port it does not have", { ...worker, sidecars: [{ ...sidecar, probe: { type: "tcp", port: "admin" } }] }, [/sidecars\[0\]\.probe\.port: port `admin` is not one of the sidecar's ports \(none\)/]],
    ["a sidecar named like the app", { ...worker, sidecars: [{ ...sidecar, name: "mailer" }] }, [/sidecars\[0\]\.name: container name `mailer` is used twice/]],
    ["a drain longer than five minutes", { ...worker, shutdown: { drainSeconds: 900 } }, [/shutdown\.drainSeconds: value is too large/, /expected: at most 300/]],
    ["a JSON patch with a bad pointer", { ...worker, patches: [{ target: { kind: "Deployment", name: "mailer" }, type: "json", patch: [{ op: "add", path: "spec/x", value: 1 }], reason: "why" }] }, [/patches\[0\]\.patch\[0\]\.path: value must be a JSON pointer/]],
    ["a patch without a reason", { ...worker, patches: [{ target: { kind: "Deployment", name: "mailer" }, type: "merge", patch: {} }] }, [/patches\[0\]\.reason: required field is missing/]],
    ["a volume named like a scratch volume", { ...stateful, volumes: [{ ...stateful.volumes[0], name: "scratch-0" }] }, [/volumes\[0\]\.name: volume name `scratch-0` is reserved/]],
    ["a scratch size that is not a quantity", { ...worker, scratchPaths: [{ path: "/tmp", sizeLimit: "lots" }] }, [/scratchPaths\[0\]/]],
  ];
  it.each(rejected)("GIVEN %s WHEN resolved THEN the error names the file, the field and what is expected", (_what, input, patterns) => {
    const message = errorOf(input);
    for (const pattern of patterns) expect(message).toMatch(pattern);
  });
});
