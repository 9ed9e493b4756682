/**
 * The functions fleet files call. Each returns a tagged, unchecked definition: the loader
 * knows which file it came from and checks it there, so every error can name the file.
 * The input types come from the zod schemas, so editors autocomplete every field.
 */
import type { AppInput } from "./app-schema";
import type { AddonChoiceInput, ClusterInput, EnvironmentInput, TenantInput } from "./fleet-schema";

export interface Definition<K extends DefinitionKind, T> {
  readonly kind: K;
  readonly input: T;
}
export type DefinitionKind = "environment" | "cluster" | "tenant" | "app" | "addon";

export type EnvironmentDefinition = Definition<"environment", EnvironmentInput>;
export type ClusterDefinition = Definition<"cluster", ClusterInput>;
export type TenantDefinition = Definition<"tenant", TenantInput>;
export type AppDefinition = Definition<"app", AppInput>;
export type AddonDefinition = Definition<"addon", AddonChoiceInput>;

export function defineEnvironment(input: EnvironmentInput): EnvironmentDefinition {
  return { kind: "environment", input };
}
export function defineCluster(input: ClusterInput): ClusterDefinition {
  return { kind: "cluster", input };
}
export function defineTenant(input: TenantInput): TenantDefinition {
  return { kind: "tenant", input };
}
export function defineApp(input: AppInput): AppDefinition {
  return { kind: "app", input };
}
/** The fleet's choice of an add-on from `@slipway/addons`: its pinned version and values per env/cluster. */
export function defineAddon(input: AddonChoiceInput): AddonDefinition {
  return { kind: "addon", input };
}

export function isDefinition(value: unknown): value is Definition<DefinitionKind, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    "kind" in value &&
    "input" in value &&
    ["environment", "cluster", "tenant", "app", "addon"].includes(String((value as { kind: unknown }).kind))
  );
}
