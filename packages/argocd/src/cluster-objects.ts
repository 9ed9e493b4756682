/** All Argo CD objects of one cluster's `argocd/` directory, schema-checked. */
import type { AppProject, Application, ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { FleetConsistencyError, type KubeObject } from "@slipway/core";
import { addonsSet, appsSet, tenantsSet } from "./application-set";
import { crdApplications } from "./crd-applications";
import { bootstrapApplications } from "./bootstrap";
import type { ArgocdClusterInput } from "./model";
import { platformProject, tenantProject } from "./app-project";
import { rolloutSets } from "./rollout";

export type ArgocdModel = Application | ApplicationSet | AppProject;


/** The typed models; each is validated against the Argo CD CRD schema. */
export function argocdModels(input: ArgocdClusterInput): ArgocdModel[] {
  const tenants = [...input.tenants].sort((a, b) => (a.def.name < b.def.name ? -1 : 1));
  const models: (ArgocdModel | undefined)[] = [
    ...bootstrapApplications(input),
    platformProject(input),
    ...tenants.map((t) => tenantProject(input, t)),
    ...crdApplications(input),
    addonsSet(input, false),
    addonsSet(input, true),
    tenantsSet(input),
    ...input.environments.flatMap((env) => tenants.map((t) => appsSet(input, env, { name: t.def.name, file: t.file }))),
    ...rolloutSets(input),
  ];
  const out = models.filter((m): m is ArgocdModel => m !== undefined);
  for (const model of out) {
    try {
      model.validate();
    } catch (error) {
      throw new FleetConsistencyError(`generated ${model.kind} \`${model.metadata?.name}\` does not match the Argo CD schema: ${(error as Error).message}`, {
        file: input.clusterFile, cluster: input.cluster.name, hint: "this is a bug in @slipway/argocd; report it with the cluster definition",
      });
    }
  }
  return out;
}

/** Plain objects, ready to be written one per file. */
export function argocdObjects(input: ArgocdClusterInput): KubeObject[] {
  return argocdModels(input).map((m) => JSON.parse(JSON.stringify(m.toJSON())) as KubeObject);
}
