/**
 * Fleet-wide settings the Argo CD objects need and no cluster, environment or app owns:
 * where this repository lives and which revision Argo CD follows. They live in
 * `slipway.yaml` at the repository root.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DefinitionError, dnsLabel, parseDefinition } from "@slipway/core";
import { parseDocument } from "yaml";
import { z } from "zod";

export const SETTINGS_FILE = "slipway.yaml";

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

/** Reads `slipway.yaml`; `undefined` when the fleet has none (then no Argo CD objects are rendered). */
export function readFleetSettings(root: string): FleetSettings | undefined {
  const path = join(root, SETTINGS_FILE);
  if (!existsSync(path)) return undefined;
  const doc = parseDocument(readFileSync(path, "utf8"), { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new DefinitionError(`is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`, { file: SETTINGS_FILE, hint: "fix the YAML syntax at the line shown" });
  }
  return parseDefinition(FleetSettingsSchema, doc.toJS() ?? {}, { file: SETTINGS_FILE });
}
