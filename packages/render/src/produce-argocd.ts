/** Producer: the Argo CD objects of each cluster (filled in by the Argo CD library). */
import type { Fleet } from "./fleet";
import type { RenderFilter, RenderUnit } from "./units";

export function produceArgocdUnits(_fleet: Fleet, _filter: RenderFilter): RenderUnit[] {
  return [];
}
