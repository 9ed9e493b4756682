/**
 * Stage 1: load the fleet. Imports every definition module, checks it against its schema in
 * the context of its file, and checks the definitions against each other. All problems found
 * are reported together.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import {
  AddonChoiceSchema,
  AppDefinitionSchema,
  ClusterSchema,
  DefinitionError,
  EnvironmentSchema,
  FleetConsistencyError,
  ReleasesFileSchema,
  SlipwayError,
  TenantSchema,
  closest,
  isDefinition,
  parseDefinition,
  throwIfAny,
  type DefinitionKind,
  type ReleasesFile,
} from "@slipway/core";
import { FleetSettingsSchema, SETTINGS_FILE, type FleetSettings } from "@slipway/argocd";
import type { z, ZodType } from "zod";
import type { DefinitionCache } from "./cache";
import { DefinitionModules } from "./definition-modules";
import { yamlLibrary } from "./yaml-library";
import { RESERVED_CLUSTER_DIRS, type Fleet, type FleetApp, type LoadedEnvironment, type Sourced } from "./fleet";

const DEFINE_FUNCTION: Record<DefinitionKind, string> = {
  environment: "defineEnvironment",
  cluster: "defineCluster",
  tenant: "defineTenant",
  app: "defineApp",
  addon: "defineAddon",
};

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
  /** Definition inputs by module-closure hash: an unchanged module is not imported again. */
  readonly cache?: DefinitionCache;
  /** The fleet's definition modules, when the caller has listed them already (`definitionFiles`). */
  readonly files?: readonly string[];
}

/**
 * What a module's default export holds: a definition made by `define<Kind>()` (its input is
 * unwrapped), or, for `slipway.config.ts`, the settings object itself.
 */
type ModuleKind = DefinitionKind | "settings";

/**
 * Imports a definition module and checks its default export against `schema`. An unchanged
 * module (same closure hash) is neither imported nor checked again: its checked value is cached.
 */
async function loadDefinitionCached<S extends ZodType>(modules: DefinitionModules, file: string, kind: ModuleKind, schema: S, cache?: DefinitionCache): Promise<z.output<S>> {
  const cached = cache?.get(file);
  if (cached?.hit && cached.parsed !== undefined) return cached.parsed as z.output<S>;
  const input = cached?.hit ? cached.input : await importModule(modules, file, kind);
  const parsed = parseDefinition(schema, input, { file });
  if (cached && !cached.hit) cache!.set(file, cached.key, input, parsed);
  else if (cached?.hit) cache!.setParsed(file, parsed);
  return parsed;
}

async function importModule(modules: DefinitionModules, file: string, kind: ModuleKind): Promise<unknown> {
  const value = (await modules.import(file)).default;
  if (kind === "settings") {
    if (value === undefined) {
      throw new DefinitionError("must `export default { repository: { url: ... } }`", {
        file, expected: "a default export with the fleet settings", received: "no default export", hint: "export the settings object as default",
      });
    }
    return value;
  }
  if (!isDefinition(value) || value.kind !== kind) {
    throw new DefinitionError(`must \`export default ${DEFINE_FUNCTION[kind]}({ ... })\``, {
      file,
      expected: `a default export made by ${DEFINE_FUNCTION[kind]}`,
      received: value === undefined ? "no default export" : isDefinition(value) ? `a ${value.kind} definition` : typeof value,
      hint: `import { ${DEFINE_FUNCTION[kind]} } from "@slipway/core" and export its result as default`,
    });
  }
  return value.input;
}

function readReleases(root: string, file: string, cache: DefinitionCache | undefined): ReleasesFile {
  const path = join(root, file);
  if (!existsSync(path)) {
    throw new DefinitionError("release lock file is missing", { file, hint: "create it with `apps: {}` (an environment with no releases yet)" });
  }
  const text = readFileSync(path, "utf8");
  const parse = (): ReleasesFile => {
    const doc = yamlLibrary().parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      throw new DefinitionError(`is not valid YAML: ${e.message.split("\n")[0]}`, { file, hint: "fix the YAML syntax at the line shown" });
    }
    return parseDefinition(ReleasesFileSchema, doc.toJS() ?? {}, { file });
  };
  return cache ? (cache.parsedData(file, text, parse) as ReleasesFile) : parse();
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

/** Every definition module of the fleet, where `loadFleet` looks for them. */
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
  files.push(SETTINGS_FILE);
  return files.filter((file) => existsSync(join(root, file)));
}

export async function loadFleet(root: string, options: LoadOptions = {}): Promise<Fleet> {
  const modules = new DefinitionModules(root);
  try {
    // Every module the cache cannot answer for, compiled in one run; then imported in a fixed
    // order, so results and errors do not depend on timing.
    await modules.compile((options.files ?? definitionFiles(root)).filter((file) => !options.cache?.holds(file)));
    return await loadDefinitions(root, modules, options.cache);
  } finally {
    modules.dispose();
  }
}

async function loadDefinitions(root: string, modules: DefinitionModules, cache: DefinitionCache | undefined): Promise<Fleet> {
  const errors: SlipwayError[] = [];
  const loadDefinition = <S extends ZodType>(file: string, kind: ModuleKind, schema: S) => loadDefinitionCached(modules, file, kind, schema, cache);
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
      environments.set(def.name, { def, file, releases: readReleases(root, releasesFile, cache), releasesFile });
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

  let settings: FleetSettings | undefined;
  if (existsSync(join(root, SETTINGS_FILE))) {
    await collect(errors, async () => {
      settings = await loadDefinition(SETTINGS_FILE, "settings", FleetSettingsSchema);
    });
  }

  throwIfAny(errors);
  const fleet: Fleet = { root, environments: orderByChain(environments), clusters, tenants, apps, addons, ...(settings ? { settings } : {}) };
  checkConsistency(fleet);
  return fleet;
}

function expectName(name: string, expected: string, file: string, what: string): void {
  if (name !== expected) {
    throw new DefinitionError(`name \`${name}\` does not match its ${what} \`${expected}\``, {
      file, field: "name", expected, received: name, hint: `rename the ${what} or set \`name: "${expected}"\``,
    });
  }
}

/** Orders environments along the promotion chain and rejects forks, cycles and unknown links. */
function orderByChain(environments: Map<string, LoadedEnvironment>): Map<string, LoadedEnvironment> {
  const errors: SlipwayError[] = [];
  const names = [...environments.keys()];
  const firsts = [...environments.values()].filter((e) => !e.def.promotesFrom);
  const next = new Map<string, string>();
  for (const env of environments.values()) {
    const from = env.def.promotesFrom;
    if (!from) continue;
    if (!environments.has(from)) {
      const guess = closest(from, names);
      errors.push(new DefinitionError(`promotes from unknown environment \`${from}\``, {
        file: env.file, field: "promotesFrom", expected: names.join(" | "), received: from, hint: guess ? `did you mean \`${guess}\`?` : "name an existing environment",
      }));
    } else if (next.has(from)) {
      errors.push(new DefinitionError(`\`${from}\` already promotes to \`${next.get(from)}\`; the promotion chain cannot fork`, { file: env.file, field: "promotesFrom" }));
    } else next.set(from, env.def.name);
  }
  if (environments.size > 0 && firsts.length !== 1) {
    errors.push(new FleetConsistencyError(
      `the promotion chain needs exactly one first environment (without \`promotesFrom\`), found ${firsts.length}: ${firsts.map((e) => e.def.name).join(", ") || "none"}`,
      { file: "environments/", hint: "every environment but the first names the one it promotes from" },
    ));
  }
  throwIfAny(errors);
  const ordered = new Map<string, LoadedEnvironment>();
  for (let name: string | undefined = firsts[0]?.def.name; name && !ordered.has(name); name = next.get(name)) {
    ordered.set(name, environments.get(name)!);
  }
  if (ordered.size !== environments.size) {
    const orphans = names.filter((n) => !ordered.has(n));
    throw new FleetConsistencyError(`environments ${orphans.join(", ")} are not on the promotion chain (a cycle?)`, {
      file: environments.get(orphans[0]!)!.file, field: "promotesFrom",
    });
  }
  return ordered;
}

function checkConsistency(fleet: Fleet): void {
  const errors: SlipwayError[] = [];
  const envNames = [...fleet.environments.keys()];
  const unknown = (what: string, value: string, known: string[], file: string, field: string) => {
    const guess = closest(value, known);
    errors.push(new FleetConsistencyError(`unknown ${what} \`${value}\``, {
      file, field, expected: known.join(" | ") || `a defined ${what}`, received: value, hint: guess ? `did you mean \`${guess}\`?` : `define the ${what} or remove the reference`,
    }));
  };
  for (const { def, file } of fleet.clusters.values()) {
    def.environments.forEach((env, i) => { if (!fleet.environments.has(env)) unknown("environment", env, envNames, file, `environments[${i}]`); });
  }
  for (const app of fleet.apps.values()) {
    if (!fleet.tenants.has(app.tenant)) unknown("tenant", app.tenant, [...fleet.tenants.keys()], app.file, "tenant");
    for (const env of Object.keys(app.environments)) {
      if (!fleet.environments.has(env)) unknown("environment", env, envNames, app.file, `environments.${env}`);
    }
    const tenant = fleet.tenants.get(app.tenant)?.def;
    const image = String(app.base.image);
    if (tenant && !tenant.registries.some((r) => image.startsWith(r))) {
      errors.push(new FleetConsistencyError(`image \`${image}\` is not from a registry tenant ${tenant.name} may use`, {
        file: app.file, field: "image", expected: tenant.registries.join(" | "), received: image, hint: `push the image to an allowed registry or add the registry to apps/${tenant.name}/tenant.ts`,
      }));
    }
  }
  for (const env of fleet.environments.values()) {
    for (const [appName, release] of Object.entries(env.releases.apps)) {
      const app = fleet.apps.get(appName);
      if (!app) { unknown("app", appName, [...fleet.apps.keys()], env.releasesFile, `apps.${appName}`); continue; }
      if (release.image !== app.base.image) {
        errors.push(new FleetConsistencyError(`release image \`${release.image}\` is not the app's image repository`, {
          file: env.releasesFile, field: `apps.${appName}.image`, expected: String(app.base.image), received: release.image,
          hint: `record releases with \`npx slipway release ${appName} --env ${env.def.name} --image ${String(app.base.image)}:<tag>@sha256:<digest>\``,
        }));
      }
      if (release.promotedFrom && release.promotedFrom !== env.def.promotesFrom) {
        errors.push(new FleetConsistencyError(`release says it was promoted from \`${release.promotedFrom}\`, but ${env.def.name} promotes from \`${env.def.promotesFrom ?? "nothing"}\``, {
          file: env.releasesFile, field: `apps.${appName}.promotedFrom`, hint: "promote with `npx slipway promote`, which keeps this field right",
        }));
      }
    }
  }
  throwIfAny(errors);
}
