/** The typed registry of every add-on the library knows. A new add-on adds its module here. */
import type { AnyAddonModule } from "./types";

const modules: readonly AnyAddonModule[] = [];

const byName = new Map<string, AnyAddonModule>(modules.map((m) => [m.name, m]));

/** Names of every add-on the library can generate, sorted. */
export function addonNames(): string[] {
  return [...byName.keys()].sort();
}

export function findAddon(name: string): AnyAddonModule | undefined {
  return byName.get(name);
}

/** Namespace of every known add-on (monitoring and policies reach into them). */
export function addonNamespaces(): Record<string, string> {
  return Object.fromEntries(modules.map((m) => [m.name, m.namespace]));
}
