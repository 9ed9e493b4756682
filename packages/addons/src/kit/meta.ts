/** Labels, annotations and metadata every add-on object carries. */
import { Annotations, Labels, MANAGED_BY } from "@slipway/core";
import { ResourceWave, SYNC_WAVE_ANNOTATION, type ResourceWaveName } from "../waves";
import type { AddonContext } from "../types";

export const PART_OF = "slipway-platform";

export function addonLabels(ctx: AddonContext, component?: string): Record<string, string> {
  return {
    [Labels.name]: ctx.addon,
    [Labels.instance]: ctx.addon,
    ...(component ? { [Labels.component]: component } : {}),
    [Labels.partOf]: PART_OF,
    [Labels.managedBy]: MANAGED_BY,
    [Labels.addon]: ctx.addon,
  };
}

/** The immutable selector of an add-on workload: add-on and component only. */
export function selectorLabels(ctx: AddonContext, component: string): Record<string, string> {
  return { [Labels.name]: ctx.addon, [Labels.component]: component };
}

export interface MetaOptions {
  /** `null` for cluster-scoped objects. @default the add-on's namespace */
  readonly namespace?: string | null;
  readonly wave?: ResourceWaveName;
  readonly component?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export function meta(ctx: AddonContext, name: string, options: MetaOptions = {}) {
  const namespace = options.namespace === undefined ? ctx.namespace : options.namespace;
  const wave = options.wave ?? "controller";
  return {
    name,
    ...(namespace === null ? {} : { namespace }),
    labels: { ...addonLabels(ctx, options.component), ...options.labels },
    annotations: {
      [Annotations.source]: ctx.sourceFile,
      [SYNC_WAVE_ANNOTATION]: String(ResourceWave[wave]),
      ...options.annotations,
    },
  };
}

/** Custom resources whose CRD may not exist at dry-run time (it is applied by an earlier wave). */
export const SKIP_DRY_RUN = { "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true" } as const;
