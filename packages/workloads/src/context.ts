/** Everything a golden-path construct needs to render one app in one environment on one cluster. */
import { Annotations, Labels, MANAGED_BY, type Cluster, type Environment, type Release, type ResolvedApp, type Tenant } from "@slipway/core";

export interface AppInstanceContext {
  readonly app: ResolvedApp;
  readonly environment: Environment;
  readonly cluster: Cluster;
  readonly tenant: Tenant;
  readonly release: Release;
  /** The namespace the app runs in. */
  readonly namespace: string;
  /** Repository-relative path of the app's definition, for the source annotation. */
  readonly sourceFile: string;
}

/** Labels every object of an app carries. */
export function appLabels(ctx: AppInstanceContext): Record<string, string> {
  return {
    [Labels.name]: ctx.app.name,
    [Labels.instance]: `${ctx.app.name}-${ctx.environment.name}`,
    [Labels.partOf]: ctx.tenant.name,
    [Labels.managedBy]: MANAGED_BY,
    [Labels.tenant]: ctx.tenant.name,
    [Labels.environment]: ctx.environment.name,
    [Labels.app]: ctx.app.name,
  };
}

/** The minimal, immutable selector: a Deployment's selector can never change after creation. */
export function selectorLabels(ctx: AppInstanceContext): Record<string, string> {
  return { [Labels.name]: ctx.app.name };
}

export function sourceAnnotations(ctx: AppInstanceContext): Record<string, string> {
  return { [Annotations.source]: ctx.sourceFile };
}

/** `repository:tag@digest`: the tag tells people what runs, the digest tells the kubelet. */
export function imageReference(release: Release): string {
  return `${release.image}:${release.tag}@${release.digest}`;
}

export function metadata(ctx: AppInstanceContext, name: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  return {
    name,
    namespace: ctx.namespace,
    labels: { ...appLabels(ctx), ...extra.labels },
    annotations: { ...sourceAnnotations(ctx), ...extra.annotations },
  };
}
