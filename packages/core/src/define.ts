/**
 * The functions fleet files call. Each returns a tagged, unchecked definition: the loader
 * knows which file it came from and checks it there, so every error can name the file.
 * The input types come from the zod schemas, so editors autocomplete every field.
 */
import type { z, ZodType } from "zod";
import type { AppInput } from "./app-schema";
import { DefinitionError } from "./errors";
import type { AddonChoiceInput, ClusterInput, EnvironmentInput, TenantInput } from "./fleet-schema";
import { parseDefinition } from "./zod-errors";

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

const DEFINE_FUNCTION: Record<DefinitionKind, string> = {
  environment: "defineEnvironment",
  cluster: "defineCluster",
  tenant: "defineTenant",
  app: "defineApp",
  addon: "defineAddon",
};

function isDefinition(value: unknown): value is Definition<DefinitionKind, unknown> {
  return typeof value === "object" && value !== null && "kind" in value && "input" in value && Object.hasOwn(DEFINE_FUNCTION, String(value.kind));
}

/**
 * The checked input of a definition module's default export (`value`), which must have been made
 * by the `define*` function of `kind`; errors name `file`.
 */
export function checkDefinition<S extends ZodType>(value: unknown, kind: DefinitionKind, schema: S, file: string): z.output<S> {
  if (!isDefinition(value) || value.kind !== kind) {
    throw new DefinitionError(`must \`export default ${DEFINE_FUNCTION[kind]}({ ... })\``, {
      file,
      expected: `a default export made by ${DEFINE_FUNCTION[kind]}`,
      received: value === undefined ? "no default export" : isDefinition(value) ? `a ${value.kind} definition` : typeof value,
      hint: `import { ${DEFINE_FUNCTION[kind]} } from "@slipway/core" and export its result as default`,
    });
  }
  return parseDefinition(schema, value.input, { file });
}
