/**
 * The promotion chain and its lock files: `environments/<env>/environment.ts` says which
 * environment each one promotes from; `environments/<env>/releases.yaml` says which release
 * of each app runs there.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseDocument } from "yaml";
import {
  DefinitionError,
  EnvironmentSchema,
  FleetConsistencyError,
  ReleasesFileSchema,
  isDefinition,
  parseDefinition,
  type Release,
} from "@slipway/core";

export interface ChainEnvironment {
  readonly name: string;
  readonly promotesFrom?: string;
  /** Repository-relative path of environment.ts. */
  readonly file: string;
  /** Repository-relative path of releases.yaml. */
  readonly releasesFile: string;
  readonly releases: Readonly<Record<string, Release>>;
}

export interface ReleaseChain {
  /** In promotion order, the entry environment first. */
  readonly environments: readonly ChainEnvironment[];
  /** App name → tenant, from `apps/<tenant>/<app>/app.ts`. */
  readonly apps: ReadonlyMap<string, string>;
}

export function environmentNamed(chain: ReleaseChain, name: string): ChainEnvironment | undefined {
  return chain.environments.find((e) => e.name === name);
}

function subdirectories(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}

/** Loads every environment definition and lock file under `root` and orders them along the chain. */
export async function loadReleaseChain(root: string): Promise<ReleaseChain> {
  const found: ChainEnvironment[] = [];
  for (const dir of subdirectories(join(root, "environments"))) {
    const file = `environments/${dir}/environment.ts`;
    if (!existsSync(join(root, file))) continue;
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(join(root, file)).href)) as { default?: unknown };
    } catch (error) {
      throw new DefinitionError(`could not be loaded: ${(error as Error).message.split("\n")[0]}`, { file, hint: "fix the TypeScript error (run `npm run typecheck` for details)" });
    }
    const value = mod.default;
    if (!isDefinition(value) || value.kind !== "environment") {
      throw new DefinitionError("must `export default defineEnvironment({ ... })`", { file, hint: 'import { defineEnvironment } from "@slipway/core" and export its result as default' });
    }
    const def = parseDefinition(EnvironmentSchema, value.input, { file });
    const releasesFile = `environments/${dir}/releases.yaml`;
    found.push({ name: def.name, ...(def.promotesFrom ? { promotesFrom: def.promotesFrom } : {}), file, releasesFile, releases: readReleasesFile(root, releasesFile) });
  }
  return { environments: orderChain(found), apps: findApps(root) };
}

/** Parses a lock file; a missing one is an environment with no releases yet. */
export function readReleasesFile(root: string, file: string): Record<string, Release> {
  const path = join(root, file);
  if (!existsSync(path)) return {};
  const doc = parseDocument(readFileSync(path, "utf8"), { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new DefinitionError(`is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`, { file, hint: "fix the YAML syntax at the line shown" });
  }
  return { ...parseDefinition(ReleasesFileSchema, doc.toJS() ?? {}, { file }).apps };
}

function orderChain(environments: ChainEnvironment[]): ChainEnvironment[] {
  const byName = new Map(environments.map((e) => [e.name, e]));
  for (const env of environments) {
    if (env.promotesFrom && !byName.has(env.promotesFrom)) {
      throw new FleetConsistencyError(`promotes from unknown environment \`${env.promotesFrom}\``, {
        file: env.file, field: "promotesFrom", expected: [...byName.keys()].join(" | "), hint: "name an environment under environments/",
      });
    }
  }
  const ordered: ChainEnvironment[] = [];
  const roots = environments.filter((e) => !e.promotesFrom);
  const queue = [...roots];
  while (queue.length > 0) {
    const env = queue.shift()!;
    ordered.push(env);
    queue.push(...environments.filter((e) => e.promotesFrom === env.name));
  }
  if (ordered.length !== environments.length) {
    const stuck = environments.filter((e) => !ordered.includes(e));
    throw new FleetConsistencyError("environments promote from each other in a cycle", {
      file: stuck[0]!.file, field: "promotesFrom", received: stuck.map((e) => `${e.name} ← ${e.promotesFrom}`).join(", "), hint: "exactly one environment (the first, e.g. dev) has no `promotesFrom`",
    });
  }
  return ordered;
}

function findApps(root: string): Map<string, string> {
  const apps = new Map<string, string>();
  for (const tenant of subdirectories(join(root, "apps"))) {
    for (const app of subdirectories(join(root, "apps", tenant))) {
      if (existsSync(join(root, "apps", tenant, app, "app.ts"))) apps.set(app, tenant);
    }
  }
  return apps;
}
