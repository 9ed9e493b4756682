/**
 * Stage 1: load the fleet. Every definition module is compiled and imported by one loader
 * (definition-modules.ts), checked against its schema in the context of its file, and the
 * definitions are checked against each other (fleet-checks.ts). All problems found are reported
 * together. `slipway.config.ts` is loaded first: it declares the environment variables the other
 * definitions may read.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import {
  AddonChoiceSchema,
  AppDefinitionSchema,
  ClusterSchema,
  DefinitionError,
  EnvironmentSchema,
  FleetConsistencyError,
  FleetSettingsSchema,
  RESERVED_CLUSTER_DIRS,
  SETTINGS_FILE,
  SlipwayError,
  TenantSchema,
  checkDefinition,
  parseDefinition,
  throwIfAny,
  type DefinitionKind,
  type Fleet,
  type FleetApp,
  type FleetSettings,
  type LoadedEnvironment,
  type Sourced,
} from "@slipway/core";
import type { z, ZodType } from "zod";
import { DefinitionCache } from "./definition-cache";
import { DefinitionModules } from "./definition-modules";
import { withPinnedAddons } from "./pinned-addons";
import { checkConsistency, expectName, orderByChain } from "./fleet-checks";
import { loadPinnedDefinitions } from "./pinned-definitions";
import { readReleases } from "./releases";

function subdirectories(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

export interface LoadOptions {
  /**
   * Keep checked definitions under `.slipway/cache/` and reuse those whose sources are unchanged.
   * @default false
   */
  readonly cache?: boolean;
  /** Filled in with how many definitions came from the cache (`hits`) and how many were loaded (`misses`). */
  readonly stats?: { hits: number; misses: number };
}

/** Imports a definition module (or takes its checked value from the cache) and checks it against `schema`. */
async function loadModule<S extends ZodType>(modules: DefinitionModules, file: string, kind: DefinitionKind, schema: S, cache: DefinitionCache | undefined): Promise<z.output<S>> {
  const cached = cache?.get(file);
  if (cached !== undefined) return cached as z.output<S>;
  const parsed = checkDefinition((await modules.import(file)).default, kind, schema, file);
  cache?.set(file, modules.inputs(file) ?? [file], parsed);
  return parsed;
}

/** The fleet settings, loaded before everything else (they cannot read the environment themselves). */
async function loadSettings(root: string): Promise<FleetSettings | undefined> {
  if (!existsSync(join(root, SETTINGS_FILE))) return undefined;
  const modules = new DefinitionModules(root);
  try {
    const value = (await modules.import(SETTINGS_FILE)).default;
    if (value === undefined) {
      throw new DefinitionError("must `export default { repository: { url: ... } }`", {
        file: SETTINGS_FILE, expected: "a default export with the fleet settings", received: "no default export", hint: "export the settings object as default",
      });
    }
    return parseDefinition(FleetSettingsSchema, value, { file: SETTINGS_FILE });
  } finally {
    modules.dispose();
  }
}

/** The declared environment variables and their values (an unset one is `null`). */
function declaredEnvironment(settings: FleetSettings | undefined): Record<string, string | null> {
  return Object.fromEntries((settings?.definitions.env ?? []).map((name) => [name, process.env[name] ?? null]));
}

/** Runs `task`, collecting a SlipwayError instead of throwing it. */
async function collect<T>(errors: SlipwayError[], task: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof SlipwayError) {
      errors.push(error);
      return undefined;
    }
    throw error;
  }
}

/** Every definition module of the fleet (the settings aside), where `loadFleet` looks for them. */
export function definitionFiles(root: string): string[] {
  const files = [
    ...subdirectories(join(root, "environments")).map((dir) => `environments/${dir}/environment.ts`),
    ...subdirectories(join(root, "clusters")).map((dir) => `clusters/${dir}/cluster.ts`),
    ...subdirectories(join(root, "apps")).flatMap((tenant) => [
      `apps/${tenant}/tenant.ts`,
      ...subdirectories(join(root, "apps", tenant)).map((app) => `apps/${tenant}/${app}/app.ts`),
    ]),
  ];
  const addonsDir = join(root, "addons");
  if (existsSync(addonsDir)) files.push(...readdirSync(addonsDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).map((f) => `addons/${f}`));
  return files.filter((file) => existsSync(join(root, file)));
}

export async function loadFleet(root: string, options: LoadOptions = {}): Promise<Fleet> {
  const settings = await loadSettings(root);
  const env = declaredEnvironment(settings);
  const cache = options.cache ? new DefinitionCache(root, env) : undefined;
  const modules = new DefinitionModules(root, env);
  try {
    // Every module the cache cannot answer for, compiled in one run; then imported in a fixed
    // order, so results and errors do not depend on timing.
    const files = definitionFiles(root);
    const uncached = cache ? files.filter((file) => !cache.holds(file)) : files;
    await modules.compile(uncached);
    const fleet = await loadDefinitions(root, modules, cache, settings, env);
    cache?.save();
    if (options.stats && cache) Object.assign(options.stats, { hits: cache.hits, misses: cache.misses });
    return fleet;
  } finally {
    modules.dispose();
  }
}

async function loadDefinitions(root: string, modules: DefinitionModules, cache: DefinitionCache | undefined, settings: FleetSettings | undefined, env: Record<string, string | null>): Promise<Fleet> {
  const errors: SlipwayError[] = [];
  const loadDefinition = <S extends ZodType>(file: string, kind: DefinitionKind, schema: S) => loadModule(modules, file, kind, schema, cache);
  const rel = (path: string) => toPosix(relative(root, path));

  // Environments, each with its release lock file.
  const environments = new Map<string, LoadedEnvironment>();
  for (const dir of subdirectories(join(root, "environments"))) {
    const file = `environments/${dir}/environment.ts`;
    if (!existsSync(join(root, file))) {
      errors.push(new DefinitionError("environment directory has no environment.ts", { file, hint: `add ${file} with \`export default defineEnvironment({ name: "${dir}", ... })\`` }));
      continue;
    }
    await collect(errors, async () => {
      const def = await loadDefinition(file, "environment", EnvironmentSchema);
      expectName(def.name, dir, file, "environment directory");
      if ((RESERVED_CLUSTER_DIRS as readonly string[]).includes(def.name)) {
        throw new DefinitionError(`\`${def.name}\` is reserved for rendered output and cannot name an environment`, { file, field: "name" });
      }
      const releasesFile = `environments/${dir}/releases.yaml`;
      environments.set(def.name, { def, file, releases: readReleases(root, releasesFile, cache), releasesFile, definitions: {} });
    });
  }

  const clusters = new Map<string, Sourced<ReturnType<typeof ClusterSchema.parse>>>();
  for (const dir of subdirectories(join(root, "clusters"))) {
    const file = `clusters/${dir}/cluster.ts`;
    if (!existsSync(join(root, file))) continue; // a directory without cluster.ts is not a cluster (e.g. leftovers)
    await collect(errors, async () => {
      const def = await loadDefinition(file, "cluster", ClusterSchema);
      expectName(def.name, dir, file, "cluster directory");
      clusters.set(def.name, { def, file });
    });
  }

  const tenants = new Map<string, Sourced<ReturnType<typeof TenantSchema.parse>>>();
  const apps = new Map<string, FleetApp>();
  for (const tenantDir of subdirectories(join(root, "apps"))) {
    const tenantFile = `apps/${tenantDir}/tenant.ts`;
    if (!existsSync(join(root, tenantFile))) {
      errors.push(new DefinitionError("tenant directory has no tenant.ts", { file: tenantFile, hint: `add ${tenantFile} with \`export default defineTenant({ name: "${tenantDir}", ... })\`` }));
    } else {
      await collect(errors, async () => {
        const def = await loadDefinition(tenantFile, "tenant", TenantSchema);
        expectName(def.name, tenantDir, tenantFile, "tenant directory");
        tenants.set(def.name, { def, file: tenantFile });
      });
    }
    for (const appDir of subdirectories(join(root, "apps", tenantDir))) {
      const file = `apps/${tenantDir}/${appDir}/app.ts`;
      if (!existsSync(join(root, file))) {
        errors.push(new DefinitionError("app directory has no app.ts", { file, hint: `add ${file}, or run \`npx slipway new app ${tenantDir}/${appDir}\`` }));
        continue;
      }
      await collect(errors, async () => {
        const { environments: perEnv, ...base } = await loadDefinition(file, "app", AppDefinitionSchema);
        expectName(base.name, appDir, file, "app directory");
        if (base.tenant !== tenantDir) {
          throw new DefinitionError(`app is in tenant directory \`${tenantDir}\` but says \`tenant: "${base.tenant}"\``, {
            file, field: "tenant", expected: tenantDir, received: base.tenant, hint: `set \`tenant: "${tenantDir}"\` or move the app`,
          });
        }
        const other = apps.get(base.name);
        if (other) {
          throw new FleetConsistencyError(`app name \`${base.name}\` is already used by ${other.file}`, {
            file, field: "name", hint: "app names are unique across the fleet (they name Argo CD Applications and releases); rename one",
          });
        }
        apps.set(base.name, { name: base.name, tenant: base.tenant, file, base, environments: perEnv as FleetApp["environments"] });
      });
    }
  }

  const addons = new Map<string, Sourced<ReturnType<typeof AddonChoiceSchema.parse>>>();
  const addonsDir = join(root, "addons");
  if (existsSync(addonsDir)) {
    for (const entry of readdirSync(addonsDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).sort()) {
      const file = rel(join(addonsDir, entry));
      await collect(errors, async () => {
        const def = await loadDefinition(file, "addon", AddonChoiceSchema);
        expectName(def.addon, entry.replace(/\.ts$/, ""), file, "file name");
        addons.set(def.addon, { def, file });
      });
    }
  }

  if (errors.length === 0) await collect(errors, () => loadPinnedDefinitions(root, environments, apps, env));
  throwIfAny(errors);
  const fleet: Fleet = { root, environments: orderByChain(environments), clusters, tenants, apps, addons, ...(settings ? { settings } : {}) };
  checkConsistency(fleet);
  return withPinnedAddons(fleet, env);
}

