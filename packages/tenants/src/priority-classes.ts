/**
 * The app PriorityClasses of a cluster (one per tier of core's PRIORITY_CLASSES), in their own
 * directory `tenants/priority-classes/`: the tenants ApplicationSet syncs it with the tenants'
 * namespaces, before any app, so no app pod is refused for naming a class that does not exist yet.
 */
import { Annotations, Labels, MANAGED_BY, PRIORITY_CLASSES, type KubeObject } from "@slipway/core";

/** The directory under `tenants/`; no tenant may have this name. */
export const PRIORITY_CLASSES_DIR = "priority-classes";

export function priorityClassObjects(sourceFile: string): KubeObject[] {
  return Object.values(PRIORITY_CLASSES).map((tier) => ({
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: {
      name: tier.name,
      labels: { [Labels.managedBy]: MANAGED_BY, [Labels.partOf]: "slipway-platform" },
      annotations: { [Annotations.source]: sourceFile },
    },
    value: tier.value,
    globalDefault: false,
    preemptionPolicy: tier.preemptionPolicy,
    description: tier.description,
  }));
}
