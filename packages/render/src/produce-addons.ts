/** Producer: one unit per add-on switched on for a cluster (filled in by the add-on library). */
import type { Fleet } from "./fleet";
import type { RenderFilter, RenderUnit } from "./units";

export function produceAddonUnits(_fleet: Fleet, _filter: RenderFilter): RenderUnit[] {
  return [];
}
