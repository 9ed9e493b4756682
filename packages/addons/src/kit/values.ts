/** Value fields most add-ons share, so every add-on is tuned the same way. */
import { cpuQuantity, memoryQuantity } from "@slipway/core";
import * as z from "zod";

export const ResourcesValues = z.strictObject({
  cpu: cpuQuantity,
  memory: memoryQuantity,
  /** @default the memory request */
  memoryLimit: memoryQuantity.optional(),
});
export type ResourcesValues = z.output<typeof ResourcesValues>;

export function controllerValues(defaults: { replicas: number; cpu: string; memory: string }) {
  return {
    replicas: z.number().int().min(1).max(10).default(defaults.replicas),
    resources: ResourcesValues.default({ cpu: defaults.cpu, memory: defaults.memory }),
    /** @default `system-cluster-critical`: platform controllers are evicted last. */
    priorityClassName: z.enum(["system-cluster-critical", "system-node-critical"]).default("system-cluster-critical"),
    logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
  };
}

/** How the add-on's pods get AWS credentials. @default `irsa` */
export const identityValue = z.enum(["irsa", "pod-identity"]).default("irsa");
