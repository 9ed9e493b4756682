/**
 * Fleet-wide settings no cluster, environment or app owns: where this repository lives and which
 * revision Argo CD follows, and which environment variables definitions may read. They live in
 * `slipway.config.ts` at the repository root:
 *
 *     import type { FleetSettingsInput } from "@slipway/core";
 *     export default { repository: { url: "https://github.com/acme/fleet.git" } } satisfies FleetSettingsInput;
 *
 * The file is loaded by render's definition loader, like every other definition module.
 */
import { dnsLabel } from "./primitives";
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
  definitions: z
    .strictObject({
      /**
       * Environment variables definitions may read (`process.env.NAME`). Definitions are data:
       * reading anything else throws. Their values are part of what the render cache keys on.
       * @default []
       */
      env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name such as `AWS_REGION`")).default([]),
    })
    .prefault({}),
});
export type FleetSettingsInput = z.input<typeof FleetSettingsSchema>;
export type FleetSettings = Readonly<z.output<typeof FleetSettingsSchema>>;
