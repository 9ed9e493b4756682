/**
 * The checks a loaded fleet must pass beyond each definition's schema: names match their
 * directories, the environments form one promotion chain, and definitions refer to each other
 * (environments, tenants, apps, registries, releases) correctly. Every problem is reported.
 */
import {
  closest,
  DefinitionError,
  FleetConsistencyError,
  throwIfAny,
  type Fleet,
  type LoadedEnvironment,
  type SlipwayError,
} from "@slipway/core";

export function expectName(name: string, expected: string, file: string, what: string): void {
  if (name !== expected) {
    throw new DefinitionError(`name \`${name}\` does not match its ${what} \`${expected}\``, {
      file, field: "name", expected, received: name, hint: `rename the ${what} or set \`name: "${expected}"\``,
    });
  }
}

/** Orders environments along the promotion chain and rejects forks, cycles and unknown links. */
export function orderByChain(environments: Map<string, LoadedEnvironment>): Map<string, LoadedEnvironment> {
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

export function checkConsistency(fleet: Fleet): void {
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
      if (release.definition && !env.def.promotesFrom) {
        errors.push(new FleetConsistencyError(`${env.def.name} is the first environment: it renders every app from the working tree, so it pins no definition`, {
          file: env.releasesFile, field: `apps.${appName}.definition`, hint: "remove `definition:`; promotion pins it in the next environment",
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
