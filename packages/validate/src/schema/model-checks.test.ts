import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { formatPath, pointerToPath, type PathSeg } from "../path";
import { checkNode, type CheckContext } from "./check";
import { SchemaRegistry } from "./registry";

const registry = new SchemaRegistry();

interface Walk {
  /** Paths the schema walk reported, formatted. */
  reported: string[];
  modelRejects: boolean;
}

function walk(obj: Record<string, unknown>, minor = 33): Walk {
  const reported: string[] = [];
  const ctx: CheckContext = { strict: true, minor, sink: { add: (_rule, path) => reported.push(formatPath(path)) }, modelRejects: false };
  const schema = registry.lookup(String(obj.apiVersion), String(obj.kind));
  if (!schema) throw new Error(`no schema for ${String(obj.apiVersion)} ${String(obj.kind)}`);
  checkNode(schema.node, obj, [], ctx);
  return { reported, modelRejects: ctx.modelRejects };
}

/** Errors of the kind's model validator that the walk did not report (at the path or above it). */
function modelOnlyErrors(obj: Record<string, unknown>, reported: readonly string[]): string[] {
  const compiled = registry.lookup(String(obj.apiVersion), String(obj.kind))?.compiled;
  if (!compiled || compiled(obj)) return [];
  const out: string[] = [];
  for (const e of compiled.errors ?? []) {
    const path = pointerToPath(e.instancePath, obj);
    if (e.keyword === "required") path.push(String(e.params.missingProperty));
    const p = formatPath(path);
    if (!reported.some((r) => p === r || p.startsWith(`${r}.`) || p.startsWith(`${r}[`))) out.push(`${p}: ${e.keyword}`);
  }
  return out;
}

const deployment = (): Record<string, unknown> => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop-prod" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "web:1", ports: [{ containerPort: 8080, protocol: "TCP" }] }] },
    },
  },
});

describe("the model validators' checks are folded into the schema walk", () => {
  it("GIVEN a custom resource checked first THEN ObjectMeta, which it shares with built-in kinds, still carries their model checks", () => {
    // Runs first in this file: ObjectMeta's checker is compiled through a kind without a model validator.
    const es = { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: { name: "db", namespace: "shop-prod", generation: 1.5 }, spec: {} };
    expect(registry.lookup(es.apiVersion, es.kind)?.compiled).toBeUndefined();
    walk(es);
    const o = deployment();
    (o.metadata as Record<string, unknown>).generation = 1.5;
    expect(walk(o).modelRejects).toBe(true);
  });

  it("GIVEN a valid object THEN the walk needs no model validator", () => {
    expect(walk(deployment()).modelRejects).toBe(false);
  });

  const cases: [string, (o: Record<string, unknown>) => void][] = [
    ["a float where an integer belongs", (o) => ((o.spec as Record<string, unknown>).replicas = 1.5)],
    ["an int32 field out of range", (o) => (port(o).containerPort = 2 ** 31)],
    ["null in an enum field", (o) => (port(o).protocol = null)],
    ["a date-time that is no date", (o) => ((o.metadata as Record<string, unknown>).creationTimestamp = "2024-02-30T12:00:00Z")],
    ["a non-object where the declarations allow anything", (o) => ((o.metadata as Record<string, unknown>).managedFields = [{ fieldsV1: "x" }])],
  ];
  for (const [what, change] of cases) {
    it(`GIVEN ${what} THEN the walk detects it and the model validator reports it`, () => {
      const o = deployment();
      change(o);
      const w = walk(o);
      expect(w.modelRejects).toBe(true);
      expect(modelOnlyErrors(o, w.reported)).not.toEqual([]);
    });
  }

  it("GIVEN seeded mutations of every fixture THEN every error only the model validator finds is detected", () => {
    const seeds: Record<string, unknown>[] = [];
    const root = join(import.meta.dirname, "..", "..", "fixtures");
    for (const sub of ["valid", "invalid"]) {
      for (const f of readdirSync(join(root, sub)).filter((n) => n.endsWith(".yaml")).sort()) {
        for (const d of parseAllDocuments(readFileSync(join(root, sub, f), "utf8"))) {
          const v = d.toJS() as unknown;
          if (isRecord(v) && typeof v.apiVersion === "string" && typeof v.kind === "string" && registry.lookup(v.apiVersion, v.kind)?.compiled) seeds.push(v);
        }
      }
    }
    expect(seeds.length).toBeGreaterThan(20);
    const random = seeded(20240229);
    const values: unknown[] = [null, 0.5, 2 ** 31, -1, 3, "", "x", "\u0000", true, [], {}, [null], { a: 1.5 }, "25%", "1Gi", "2024-13-01T00:00:00Z", "not base64!", 1e300, "8080", "TCP"];
    let detected = 0;
    for (let i = 0; i < 3000; i++) {
      const o = structuredClone(seeds[Math.floor(random() * seeds.length)] as Record<string, unknown>);
      for (let n = 0; n < 2; n++) {
        const targets = positions(o).filter((p) => p.length > 1 || (p[0] !== "apiVersion" && p[0] !== "kind"));
        if (targets.length === 0) break;
        const path = targets[Math.floor(random() * targets.length)] as PathSeg[];
        setAt(o, path, structuredClone(values[Math.floor(random() * values.length)]));
      }
      const w = walk(o);
      const missed = modelOnlyErrors(o, w.reported);
      if (missed.length > 0) {
        expect({ object: o, missed, modelRejects: w.modelRejects }).toMatchObject({ modelRejects: true });
        detected++;
      }
    }
    expect(detected).toBeGreaterThan(50);
  });
});

function port(o: Record<string, unknown>): Record<string, unknown> {
  const spec = (o.spec as { template: { spec: { containers: { ports: Record<string, unknown>[] }[] } } }).template.spec;
  return spec.containers[0]!.ports[0]!;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function positions(v: unknown, path: PathSeg[] = [], out: PathSeg[][] = []): PathSeg[][] {
  if (path.length > 0) out.push(path);
  if (Array.isArray(v)) v.forEach((x, i) => positions(x, [...path, i], out));
  else if (isRecord(v)) for (const k of Object.keys(v)) positions(v[k], [...path, k], out);
  return out;
}

function setAt(root: unknown, path: readonly PathSeg[], value: unknown): void {
  let cur = root as Record<PathSeg, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<PathSeg, unknown>;
  cur[path[path.length - 1] as PathSeg] = value;
}
