/**
 * Value layering, in one place: library defaults → environment → cluster → the app's own
 * values → the app's per-environment overrides. Objects merge field by field; arrays and
 * scalars replace. The merged result is checked against the full schema, then against the
 * environment's policy.
 */
import { RUN_TO_COMPLETION_KINDS } from "./batch-schema";
import { ResolvedAppSchema, type AppOverrides, type ResolvedApp } from "./app-schema";
import { PolicyError } from "./errors";
import type { Cluster, Environment } from "./fleet-schema";
import { parseDefinition } from "./zod-errors";

export type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Merges layers left to right; later layers win. Inputs are never mutated. */
export function layer(...layers: readonly (PlainObject | undefined)[]): PlainObject {
  const out: PlainObject = {};
  for (const source of layers) {
    if (!source) continue;
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined) continue;
      const current = out[key];
      out[key] = isPlainObject(current) && isPlainObject(value) ? layer(current, value) : value;
    }
  }
  return out;
}

/** An app definition as loaded: its base intent and per-environment overrides, and where it came from. */
export interface LoadedApp {
  readonly file: string;
  readonly base: PlainObject;
  readonly environments: Readonly<Record<string, AppOverrides>>;
}

export function resolveApp(app: LoadedApp, environment: Environment, cluster: Cluster): ResolvedApp {
  const merged = layer(
    environment.appDefaults as PlainObject,
    cluster.appDefaults as PlainObject,
    app.base,
    app.environments[environment.name] as PlainObject | undefined,
  );
  const location = { file: app.file, app: String(app.base.name), environment: environment.name, cluster: cluster.name };
  const resolved = parseDefinition(ResolvedAppSchema, merged, location);
  enforcePolicy(resolved, environment, location);
  return Object.freeze(resolved);
}

function enforcePolicy(app: ResolvedApp, environment: Environment, location: { file: string; app: string; environment: string; cluster: string }): void {
  const { minReplicas } = environment.policy;
  if (!RUN_TO_COMPLETION_KINDS.includes(app.kind) && app.scaling.min < minReplicas) {
    throw new PolicyError(`environment ${environment.name} requires at least ${minReplicas} replicas`, {
      ...location,
      field: "scaling.min",
      expected: `>= ${minReplicas}`,
      received: String(app.scaling.min),
      hint: `set \`environments: { ${environment.name}: { scaling: { min: ${minReplicas} } } }\` in ${location.file}`,
    });
  }
  if (app.scaling.max !== undefined && app.scaling.max < minReplicas && !RUN_TO_COMPLETION_KINDS.includes(app.kind)) {
    throw new PolicyError(`environment ${environment.name} requires at least ${minReplicas} replicas, but scaling.max is lower`, {
      ...location,
      field: "scaling.max",
      expected: `>= ${minReplicas}`,
      received: String(app.scaling.max),
      hint: `raise \`scaling.max\` for ${environment.name} in ${location.file}`,
    });
  }
}
