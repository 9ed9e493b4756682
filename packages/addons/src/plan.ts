/**
 * Which add-ons run on a cluster, with which values: checks the fleet's choices, layers values
 * (library defaults → choice.values → choice.environments[env] → choice.clusters[cluster] →
 * the cluster's own `addons.<name>.values`), and checks dependencies, conflicts and the cluster
 * facts each add-on needs. Every problem found is reported, each naming its file and field.
 */
import {
  DefinitionError,
  FleetConsistencyError,
  closest,
  formatPath,
  layer,
  parseDefinition,
  throwIfAny,
  type AddonChoice,
  type Cluster,
  type Environment,
  type PlainObject,
  type SlipwayError,
} from "@slipway/core";
import { requireAddon } from "./describe";
import { addonNamespaces, findAddon } from "./registry";
import type { AddonContext, AnyAddonModule, AppBackup, ScrapeTarget } from "./types";

export interface SourcedChoice {
  readonly def: AddonChoice;
  /** `addons/<name>.ts` */
  readonly file: string;
}

/** Something else in the fleet that needs an add-on on a cluster (an app with secrets needs external-secrets). */
export interface AddonRequirement {
  readonly addon: string;
  readonly file: string;
  readonly field: string;
  readonly reason: string;
}

export interface ClusterAddonsInput {
  readonly cluster: Cluster;
  /** `clusters/<name>/cluster.ts` */
  readonly clusterFile: string;
  /** The environment whose policy governs the cluster's add-ons (see AddonContext.environment). */
  readonly environment: Environment;
  readonly choices: ReadonlyMap<string, SourcedChoice>;
  readonly requirements?: readonly AddonRequirement[];
  /** Apps on the cluster with their own backup schedule (the velero add-on renders them). */
  readonly appBackups?: readonly AppBackup[];
}

export interface PlannedAddon {
  readonly module: AnyAddonModule;
  readonly context: AddonContext;
}

function majorOf(version: string): string {
  const [major, minor] = version.replace(/^v/, "").split(".");
  // Before 1.0 a minor release may break, so 0.x versions pin the minor.
  return major === "0" ? `0.${minor}` : String(major);
}

/** Fleet-wide checks of the choices themselves: known add-on, supported version, known env/cluster keys. */
export function checkAddonChoices(choices: ReadonlyMap<string, SourcedChoice>, environments: readonly string[], clusters: readonly string[]): void {
  const errors: SlipwayError[] = [];
  for (const { def, file } of choices.values()) {
    const module = findAddon(def.addon);
    if (!module) {
      try {
        requireAddon(def.addon, { file, field: "addon" });
      } catch (error) {
        errors.push(error as SlipwayError);
      }
      continue;
    }
    if (majorOf(def.version) !== majorOf(module.defaultVersion)) {
      errors.push(new DefinitionError(`version ${def.version} is outside the ${majorOf(module.defaultVersion)}.x line the ${def.addon} generator is written for`, {
        file, field: "version", expected: `${majorOf(module.defaultVersion)}.x (tested: ${module.defaultVersion})`, received: def.version,
        hint: `pin a ${majorOf(module.defaultVersion)}.x release such as \`${module.defaultVersion}\`, or update the generator in packages/addons first`,
      }));
    }
    const unknownKey = (kind: string, key: string, known: readonly string[], field: string) => {
      const guess = closest(key, known);
      errors.push(new FleetConsistencyError(`unknown ${kind} \`${key}\``, {
        file, field, expected: known.join(" | "), received: key, hint: guess ? `did you mean \`${guess}\`?` : `remove the \`${key}\` layer or define the ${kind}`,
      }));
    };
    for (const env of Object.keys(def.environments)) if (!environments.includes(env)) unknownKey("environment", env, environments, `environments.${env}`);
    for (const cluster of Object.keys(def.clusters)) if (!clusters.includes(cluster)) unknownKey("cluster", cluster, clusters, `clusters.${cluster}`);
  }
  throwIfAny(errors);
}

interface Layer {
  readonly values: PlainObject | undefined;
  readonly file: string;
  readonly prefix: (string | number)[];
}

function has(object: unknown, path: readonly PropertyKey[]): boolean {
  let node = object;
  for (const step of path) {
    if (typeof node !== "object" || node === null || !(String(step) in node)) return false;
    node = (node as Record<string, unknown>)[String(step)];
  }
  return true;
}

/** Parses the merged values; an error is blamed on the last layer that set the offending field. */
function resolveValues(module: AnyAddonModule, layers: readonly Layer[], cluster: string): unknown {
  const merged = layer(...layers.map((l) => l.values));
  // Interpreted, as definitions are (core's parseDefinition): each add-on's schema is parsed a few times per render.
  const result = module.values.safeParse(merged, { jitless: true });
  if (result.success) return result.data;
  const errors: SlipwayError[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const probe = issue.code === "unrecognized_keys" ? [...path, issue.keys[0]!] : path;
    // A missing field is blamed on the layer that wrote its closest existing parent.
    let blamed: Layer | undefined;
    for (let depth = probe.length; depth >= 0 && !blamed; depth--) {
      blamed = [...layers].reverse().find((l) => l.values && has(l.values, probe.slice(0, depth)) && (depth > 0 || l === layers[1]));
    }
    blamed ??= layers[1]!;
    try {
      // Re-parse the blamed layer's view so the message carries zod's detail with the right file and field.
      parseDefinition(module.values, merged, { file: blamed.file, cluster }, blamed.prefix);
    } catch (error) {
      const all = (error as { errors?: SlipwayError[] }).errors ?? [error as SlipwayError];
      const match = all.find((e) => e.details.field === formatPath([...blamed.prefix, ...path]) || e.details.field?.startsWith(formatPath([...blamed.prefix, ...path])));
      errors.push(match ?? all[0]!);
      continue;
    }
  }
  throwIfAny(dedupe(errors));
  return undefined;
}

function dedupe(errors: SlipwayError[]): SlipwayError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.details.file}:${e.details.field}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The add-ons switched on for one cluster, values resolved and every requirement checked. */
export function planClusterAddons(input: ClusterAddonsInput): PlannedAddon[] {
  const { cluster, clusterFile, environment, choices } = input;
  const errors: SlipwayError[] = [];
  const enabled = new Set(Object.keys(cluster.addons));
  const modules: AnyAddonModule[] = [];
  for (const name of [...enabled].sort()) {
    try {
      modules.push(requireAddon(name, { file: clusterFile, field: `addons.${name}` }));
    } catch (error) {
      errors.push(error as SlipwayError);
    }
  }
  for (const requirement of input.requirements ?? []) {
    if (!enabled.has(requirement.addon)) {
      errors.push(new FleetConsistencyError(`${requirement.reason}, but add-on \`${requirement.addon}\` is not on for cluster ${cluster.name}`, {
        file: requirement.file, field: requirement.field, cluster: cluster.name, environment: environment.name,
        hint: `switch it on in ${clusterFile}: \`addons: { "${requirement.addon}": true }\``,
      }));
    }
  }

  const planned: PlannedAddon[] = [];
  const namespaces = addonNamespaces();
  const resolved: { module: AnyAddonModule; values: unknown; file: string }[] = [];
  for (const module of modules) {
    const field = `addons.${module.name}`;
    for (const needed of module.requires) {
      if (!enabled.has(needed)) {
        errors.push(new FleetConsistencyError(`add-on \`${module.name}\` requires \`${needed}\`, which is not on for this cluster`, {
          file: clusterFile, field, cluster: cluster.name, expected: `${needed} switched on`,
          hint: `add \`"${needed}": true\` to \`addons\` in ${clusterFile}, or switch \`${module.name}\` off`,
        }));
      }
    }
    for (const conflict of module.conflicts ?? []) {
      if (enabled.has(conflict) && module.name < conflict) {
        errors.push(new FleetConsistencyError(`add-ons \`${module.name}\` and \`${conflict}\` cannot both be on: they would fight over the same job`, {
          file: clusterFile, field, cluster: cluster.name, hint: `switch one of them off in ${clusterFile}`,
        }));
      }
    }
    const choice = choices.get(module.name);
    if (!choice) {
      errors.push(new FleetConsistencyError(`add-on \`${module.name}\` is on, but the fleet has not chosen a version of it`, {
        file: clusterFile, field, cluster: cluster.name,
        hint: `add addons/${module.name}.ts: \`export default defineAddon({ addon: "${module.name}", version: "${module.defaultVersion}" })\``,
      }));
      continue;
    }
    const switchValue = cluster.addons[module.name];
    const clusterValues = typeof switchValue === "object" ? (switchValue.values as PlainObject) : undefined;
    const layers: Layer[] = [
      { values: undefined, file: "packages/addons", prefix: [] },
      { values: choice.def.values as PlainObject, file: choice.file, prefix: ["values"] },
      { values: choice.def.environments[environment.name] as PlainObject | undefined, file: choice.file, prefix: ["environments", environment.name] },
      { values: choice.def.clusters[cluster.name] as PlainObject | undefined, file: choice.file, prefix: ["clusters", cluster.name] },
      { values: clusterValues, file: clusterFile, prefix: ["addons", module.name, "values"] },
    ];
    try {
      const values = resolveValues(module, layers, cluster.name);
      resolved.push({ module, values, file: choice.file });
      for (const check of module.checks?.(choice.def.version, values as never, cluster) ?? []) {
        errors.push(new DefinitionError(check.message, { file: choice.file, field: check.field, cluster: cluster.name, hint: check.hint }));
      }
      const identity = module.identity?.(values as never);
      const facts = [
        ...(identity ? [{ fact: `roles.${identity.roleFact}` as const, purpose: identity.purpose, example: `arn:aws:iam::${cluster.aws.accountId}:role/${cluster.name}-${module.name}` }] : []),
        ...(module.facts?.(values as never, cluster) ?? []),
      ];
      for (const fact of facts) {
        const [kind, key] = [fact.fact.slice(0, fact.fact.indexOf(".")), fact.fact.slice(fact.fact.indexOf(".") + 1)] as ["roles" | "values", string];
        if (cluster.facts[kind][key] === undefined) {
          errors.push(new DefinitionError(`add-on \`${module.name}\` needs cluster fact \`${fact.fact}\` (${fact.purpose})`, {
            file: clusterFile, field: `facts.${fact.fact}`, cluster: cluster.name, expected: kind === "roles" ? "an IAM role ARN" : "a value",
            hint: `add \`facts: { ${kind}: { "${key}": "${fact.example}" } }\` to ${clusterFile}`,
          }));
        }
      }
    } catch (error) {
      const collected = (error as { errors?: SlipwayError[] }).errors;
      errors.push(...(collected ?? [error as SlipwayError]));
    }
  }
  throwIfAny(errors);

  const scrapeTargets: ScrapeTarget[] = resolved.flatMap(({ module, values }) =>
    (module.metrics?.(values as never) ?? []).map((m) => ({ ...m, addon: module.name, namespace: module.namespace })),
  );
  for (const { module, values, file } of resolved) {
    planned.push({
      module,
      context: {
        addon: module.name,
        version: choices.get(module.name)!.def.version,
        values,
        cluster,
        environment,
        namespace: module.namespace,
        enabled,
        namespaces,
        scrapeTargets,
        appBackups: input.appBackups ?? [],
        sourceFile: file,
      },
    });
  }
  return planned;
}
