/**
 * Every producer of render units: each package makes the units of its own domain from the fleet.
 * A new kind of output adds its producer here.
 */
import { MONITORING_NAMESPACE, addonNamespaces, produceAddonUnits } from "@slipway/addons";
import { produceArgocdUnits } from "@slipway/argocd";
import { planAppInstances, type Fleet, type RenderFilter, type RenderUnit } from "@slipway/core";
import { produceTenantUnits } from "@slipway/tenants";
import { produceAppUnit } from "@slipway/workloads";

export type Producer = (fleet: Fleet, filter: RenderFilter) => RenderUnit[];

/** The platform's producers: everything but the app instances, which render synthesizes across cores. */
export const platformProducers: readonly Producer[] = [
  (fleet, filter) => produceTenantUnits(fleet, filter, { addons: addonNamespaces(), monitoring: MONITORING_NAMESPACE }),
  produceAddonUnits,
  produceArgocdUnits,
];

export const producers: readonly Producer[] = [
  (fleet, filter) => planAppInstances(fleet, filter).map((instance) => produceAppUnit(fleet, instance)),
  ...platformProducers,
];

export function produceUnits(fleet: Fleet, filter: RenderFilter): RenderUnit[] {
  return producers.flatMap((produce) => produce(fleet, filter));
}
