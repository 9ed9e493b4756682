/**
 * Fleet-wide settings the Argo CD objects need and no cluster, environment or app owns:
 * where this repository lives and which revision Argo CD follows. They live in
 * `slipway.config.ts` at the repository root:
 *
 *     import type { FleetSettingsInput } from "@slipway/argocd";
 *     export default { repository: { url: "https://github.com/acme/fleet.git" } } satisfies FleetSettingsInput;
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DefinitionError, dnsLabel, parseDefinition } from "@slipway/core";
import { require as requireTs } from "tsx/cjs/api";
import * as z from "zod";

export const SETTINGS_FILE = "slipway.config.ts";
export const FleetSettingsSchema = z.strictObject({
  repository: z.strictObject({
    /** Clone URL of this repository as Argo CD knows it, e.g. `https://github.com/acme/fleet.git`. */
    url: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, "must be a clone URL such as `https://github.com/acme/fleet.git`"),
    /** Branch (or tag) Argo CD follows. */
    revision: z.string().min(1).default("main"),
  }),
  argocd: z
    .strictObject({
      /** Namespace Argo CD runs in (where Applications, ApplicationSets and AppProjects live). */
      namespace: dnsLabel.default("argocd"),
    })
    .prefault({}),
});
export type FleetSettingsInput = z.input<typeof FleetSettingsSchema>;
export type FleetSettings = Readonly<z.output<typeof FleetSettingsSchema>>;

/**
 * Reads `slipway.config.ts` (synchronously: render's producers are synchronous); `undefined`
 * when the fleet has none, and then no Argo CD objects are rendered.
 */
export function readFleetSettings(root: string): FleetSettings | undefined {
  const path = join(root, SETTINGS_FILE);
  if (!existsSync(path)) return undefined;
  let mod: { default?: unknown };
  try {
    mod = requireTs(path, import.meta.url) as { default?: unknown };
  } catch (error) {
    throw new DefinitionError(`could not be loaded: ${(error as Error).message.split("\n")[0]}`, { file: SETTINGS_FILE, hint: "fix the TypeScript error (run `npm run typecheck` for details)" });
  }
  if (mod.default === undefined) {
    throw new DefinitionError("must `export default { repository: { url: ... } }`", { file: SETTINGS_FILE, hint: "export the settings object as default" });
  }
  return parseDefinition(FleetSettingsSchema, mod.default, { file: SETTINGS_FILE });
}
