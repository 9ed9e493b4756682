/**
 * The contract every add-on module fulfils. An add-on is a typed generator: zod-checked values,
 * a pinned upstream version, the add-ons it needs, the AWS identity it runs as, and a function
 * that adds its objects to a cdk8s scope for one cluster.
 */
import type { Cluster, Environment } from "@slipway/core";
import type { Construct } from "constructs";
import type { z } from "zod";

/** How an add-on's pods get AWS credentials. */
export type IdentityMode = "irsa" | "pod-identity";

/** The IAM role an add-on's ServiceAccount assumes. */
export interface AddonIdentity {
  readonly serviceAccount: string;
  /** Key under `facts.roles` in `clusters/<cluster>/cluster.ts` holding the role ARN. */
  readonly roleFact: string;
  /** What the role is for, in the AWS-resources summary. */
  readonly purpose: string;
}

/**
 * A CustomResourceDefinition an add-on needs delivered: its name (`<plural>.<group>`), its kind,
 * and the versions it must serve. `slipway addons check-sources` checks each against the upstream
 * source at the pinned tag.
 */
export interface CrdRef {
  readonly name: string;
  readonly kind: string;
  readonly versions: readonly string[];
}

/**
 * Where an add-on's CRDs come from. Every variant resolves, at the pinned version, to plain
 * CustomResourceDefinition documents and nothing else (`slipway addons check-sources` proves it
 * against GitHub).
 */
export type CrdSource =
  | {
      /** A directory of the upstream repository at the pinned tag, synced as an Argo CD directory source. */
      readonly from: "upstream";
      readonly repoURL: string;
      /** Directory inside the repository at the pinned tag. */
      readonly path: string;
      /**
       * Argo CD `directory.include` glob, matched against each file's path relative to `path`
       * (gobwas/glob without separators: `*` also matches `/`). @default `*.yaml`
       */
      readonly include?: string;
      /** The CRDs sit in subdirectories of `path`. */
      readonly recurse?: boolean;
    }
  | {
      /**
       * A file attached to the upstream GitHub release of the pinned tag (upstream publishes no
       * plain CRD files in git). This repository holds, at `path`, a kustomization whose only
       * resource is that file's download URL; Argo CD's kustomize fetches it. Nothing of upstream
       * is copied into this repository.
       */
      readonly from: "release-asset";
      readonly repoURL: string;
      /** File name of the release asset, e.g. `cert-manager.crds.yaml`. */
      readonly asset: string;
      /** Repository-relative directory of the kustomization; `{version}` is replaced by the pinned tag. */
      readonly path: string;
    };

/** An add-on's CRDs: where they come from, and which of them must be there. */
export interface AddonCrds {
  readonly source: CrdSource;
  /**
   * CRDs the source must deliver: every CRD the controller needs to start (even with no object of
   * that kind in the fleet) and every kind the add-on renders objects of.
   */
  readonly required: readonly CrdRef[];
}

/** An AWS resource the cluster expects the infrastructure code to have created. */
export type AwsResource =
  | { readonly type: "iam-role"; readonly addon: string; readonly arn: string; readonly purpose: string; readonly trust: IamTrust }
  | { readonly type: "sqs-queue"; readonly addon: string; readonly name: string; readonly purpose: string }
  | { readonly type: "s3-bucket"; readonly addon: string; readonly name: string; readonly purpose: string }
  | { readonly type: "route53-hosted-zone"; readonly addon: string; readonly id: string; readonly purpose: string }
  | { readonly type: "cloudwatch-log-group"; readonly addon: string; readonly name: string; readonly purpose: string }
  | { readonly type: "iam-role-for-nodes"; readonly addon: string; readonly name: string; readonly purpose: string }
  /**
   * An EKS Pod Identity association the infrastructure code creates (`aws eks
   * create-pod-identity-association`, Terraform `aws_eks_pod_identity_association`): nothing in
   * the cluster binds the role for a ServiceAccount that uses Pod Identity.
   */
  | { readonly type: "pod-identity-association"; readonly user: string; readonly namespace: string; readonly serviceAccount: string; readonly roleArn: string };

/** Who may assume a role: the IRSA web-identity subject, or the EKS Pod Identity association. */
export type IamTrust =
  | { readonly mode: "irsa"; readonly oidcProvider: string; readonly subject: string; readonly audience: "sts.amazonaws.com" }
  | { readonly mode: "pod-identity"; readonly principal: "pods.eks.amazonaws.com"; readonly namespace: string; readonly serviceAccount: string };

/** Everything a generator gets: one cluster, the environment whose policy governs it, resolved values. */
export interface AddonContext<V = unknown> {
  readonly addon: string;
  /** Pinned upstream version, as written in `addons/<name>.ts`. */
  readonly version: string;
  readonly values: V;
  readonly cluster: Cluster;
  /**
   * The environment whose policy governs the cluster's add-ons: the one latest in the promotion
   * chain among those the cluster hosts (a cluster hosting dev and prod is run like prod).
   */
  readonly environment: Environment;
  /** Namespace this add-on runs in. */
  readonly namespace: string;
  /** Every add-on switched on for this cluster. */
  readonly enabled: ReadonlySet<string>;
  /** Metrics endpoints of every add-on switched on for this cluster (monitoring scrapes them). */
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** Namespaces of every known add-on, for cross-add-on references (monitoring, policies). */
  readonly namespaces: Readonly<Record<string, string>>;
  /** Apps on this cluster with their own backup schedule (`backup` in app.ts). */
  readonly appBackups: readonly AppBackup[];
  /** Repository-relative file the values came from, for the source annotation. */
  readonly sourceFile: string;
}

/** One app instance's Velero Schedule request. */
export interface AppBackup {
  readonly app: string;
  readonly tenant: string;
  readonly environment: string;
  readonly namespace: string;
  /** Five-field cron expression. */
  readonly schedule: string;
  readonly ttl: string;
  /** The app's definition, for the Schedule's source annotation. */
  readonly sourceFile: string;
}

/** A Service of an add-on that serves Prometheus metrics. */
export interface ScrapeTarget {
  readonly addon: string;
  readonly namespace: string;
  /** Labels selecting the metrics Service. */
  readonly selector: Readonly<Record<string, string>>;
  /** Name of the Service port serving metrics. */
  readonly port: string;
  readonly path?: string;
  readonly scheme?: "http" | "https";
  /** Keep the target's own `namespace`/`job` labels (an exporter describing other objects). */
  readonly honorLabels?: boolean;
}

/** Requirements on the cluster's facts an add-on checks before generating. */
export interface FactRequirement {
  /** `roles.<key>` or `values.<key>` under `facts` in cluster.ts. */
  readonly fact: `roles.${string}` | `values.${string}`;
  readonly purpose: string;
  /** Example value for the fix hint. */
  readonly example: string;
}

export interface AddonModule<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  /** Namespace the add-on's controllers run in. */
  readonly namespace: string;
  /** The upstream version this generator is written and tested against. */
  readonly defaultVersion: string;
  /** Upstream project, for docs and the summary. */
  readonly upstream: string;
  readonly values: S;
  /** Add-ons that must be on for the same cluster. */
  readonly requires: readonly string[];
  /** Add-ons that must not be on for the same cluster. */
  readonly conflicts?: readonly string[];
  /** Argo CD sync wave of the add-on's Application; above the waves of everything it requires. */
  readonly syncWave: number;
  /** Apply server-side (large objects, fields other controllers own). */
  readonly serverSideApply: boolean;
  readonly crds?: AddonCrds;
  /**
   * What this generator was compared with: upstream files at the pinned tag (`path@tag`), listed
   * in packages/addons/README.md with every deliberate difference.
   */
  readonly comparedWith: readonly string[];
  /** Upstream tag of a version, e.g. `v1.2.3`. @default `v` + the version without a leading `v` */
  readonly tag?: (version: string) => string;
  readonly identity?: (values: z.output<S>) => AddonIdentity | undefined;
  readonly facts?: (values: z.output<S>, cluster: Cluster) => readonly FactRequirement[];
  /** Extra checks of the version and values against a cluster; each problem is blamed on the choice file. */
  readonly checks?: (version: string, values: z.output<S>, cluster: Cluster) => readonly { field: string; message: string; hint: string }[];
  /** Metrics Services, scraped by the monitoring add-on. */
  readonly metrics?: (values: z.output<S>) => readonly Omit<ScrapeTarget, "addon" | "namespace">[];
  readonly awsResources?: (ctx: AddonContext<z.output<S>>) => readonly AwsResource[];
  readonly generate: (scope: Construct, ctx: AddonContext<z.output<S>>) => void;
}

/** What the Argo CD library needs to know to sync one add-on. */
export interface AddonDescription {
  readonly name: string;
  readonly namespace: string;
  /** Wave of the add-on's Application (documents the order; see waves.ts). Its CRD source, if any, syncs before every add-on. */
  readonly syncWave: number;
  /**
   * CRDs as their own Argo CD source (always server-side applied: CRDs exceed the client-side
   * annotation limit). `repoURL` is {@link SELF_REPO} when the source is a directory of this
   * repository (a kustomization fetching a release asset).
   */
  readonly crds?: {
    readonly repoURL: string;
    readonly path: string;
    readonly targetRevision: string;
    readonly include?: string;
    readonly recurse?: boolean;
    /** `path` holds a kustomization (a release asset fetched by kustomize), not plain CRD files. */
    readonly kustomize?: boolean;
  };
  readonly serverSideApply: boolean;
}

export type AnyAddonModule = AddonModule<z.ZodType>;

/** Stands for "this repository" in a CRD source; the Argo CD library substitutes its repo URL and revision. */
export const SELF_REPO = "self";

/** Helper that keeps a module's value type tied to its schema. */
export function defineAddonModule<S extends z.ZodType>(module: AddonModule<S>): AddonModule<S> {
  return module;
}
