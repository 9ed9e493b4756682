/** Every producer of render units. A new kind of output adds its producer here. */
import type { Fleet } from "./fleet";
import { planAppInstances, produceAppUnit } from "./produce-apps";
import { produceAddonUnits } from "./produce-addons";
import { produceArgocdUnits } from "./produce-argocd";
import { produceTenantUnits } from "./produce-tenants";
import type { RenderFilter, RenderUnit } from "./units";

export type Producer = (fleet: Fleet, filter: RenderFilter) => RenderUnit[];

/** The platform's producers: everything but the app instances, which render synthesizes across cores. */
export const platformProducers: readonly Producer[] = [produceTenantUnits, produceAddonUnits, produceArgocdUnits];

export const producers: readonly Producer[] = [
  (fleet, filter) => planAppInstances(fleet, filter).map((instance) => produceAppUnit(fleet, instance)),
  ...platformProducers,
];

export function produceUnits(fleet: Fleet, filter: RenderFilter): RenderUnit[] {
  return producers.flatMap((produce) => produce(fleet, filter));
}
