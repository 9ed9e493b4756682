/**
 * Schemas of the platform-side definitions: environments, clusters, tenants, add-on choices,
 * and the per-environment release lock file.
 */
import * as z from "zod";
import { AppOverridesSchema } from "./app-schema";
import {
  awsAccountId,
  awsRegion,
  cidr,
  cpuQuantity,
  dnsLabel,
  gitCommit,
  hostname,
  iamRoleArn,
  imageDigest,
  imageRepository,
  imageTag,
  kubernetesVersion,
  memoryQuantity,
  prefixListId,
  wafv2WebAclArn,
  acmCertificateArn,
} from "./primitives";
import { AwsServiceName } from "./app-schema";
import { AlertingSchema, receiverSecrets } from "./observability-schema";

const SyncWindowSchema = z.strictObject({
  kind: z.enum(["allow", "deny"]),
  /** Cron expression of when the window opens. */
  schedule: z.string().regex(/^(\S+\s+){4}\S+$/),
  duration: z.string().regex(/^\d+(m|h)$/),
  timeZone: z.string().default("Etc/UTC"),
});

/**
 * Progressive rollout of an environment's apps across its clusters (Argo CD RollingSync): each
 * app's Applications sync step by step, a step starting once the previous step's Applications
 * are healthy. Every cluster hosting the environment is named in exactly one step.
 */
const RolloutSchema = z.strictObject({
  steps: z
    .array(
      z.strictObject({
        clusters: z.array(dnsLabel).min(1),
        /**
         * How many of the step's Applications sync at once: a count, or a percentage such as
         * `"25%"`. `0` makes the step a manual gate (someone syncs it in Argo CD). Default: all.
         */
        maxUpdate: z
          .union([z.number().int().min(0), z.string().regex(/^(100|[1-9]?[0-9])%$/, "must be a percentage such as `25%`")])
          .optional(),
      }),
    )
    .min(2, "a rollout needs at least two steps (with one, every cluster syncs at once: drop `rollout`)"),
});

export const EnvironmentSchema = z.strictObject({
  name: dnsLabel,
  /** The environment releases are promoted from; absent for the first in the chain. */
  promotesFrom: dnsLabel.optional(),
  policy: z
    .strictObject({
      /** Guardrail findings are errors (`strict`) or warnings (`relaxed`). */
      guardrails: z.enum(["strict", "relaxed"]).default("strict"),
      minReplicas: z.number().int().min(1).default(1),
      requirePdb: z.boolean().default(false),
      requireDigest: z.boolean().default(true),
      /**
       * Operators may `kubectl exec` into pods. Where they may not, the environment is treated as
       * reviewed-only: tenant developers cannot sync its Argo CD Applications (only operators can,
       * as break-glass), so nothing runs there that did not pass review of `clusters/`.
       */
      allowExec: z.boolean().default(true),
      /** Tenant roles may read their pods' logs in Argo CD (`logs, get`; Kubernetes RBAC grants `pods/log` regardless). */
      allowLogs: z.boolean().default(true),
      /** Every public ingress needs a WAF web ACL (`ingress.wafAclArn`, or the cluster's `edge.wafAclArn`). */
      requireWaf: z.boolean().default(false),
      trustedRegistries: z.array(z.string().min(3)).min(1),
    }),
  /** How Argo CD syncs this environment's Applications. */
  sync: z
    .strictObject({
      mode: z.enum(["automated", "manual"]).default("automated"),
      windows: z.array(SyncWindowSchema).default([]),
      rollout: RolloutSchema.optional(),
    })
    .prefault({}),
  /** Values every app in this environment starts from (an app's own values win). */
  appDefaults: AppOverridesSchema.default({}),
  /**
   * Leaving this environment: `slipway promote` into the next one refuses a release unless its
   * Argo CD Applications here are Synced and Healthy on every cluster, and have been for `soak`
   * (since their last sync finished), asked of Argo CD's API. Absent: no health gate.
   */
  promotion: z
    .strictObject({
      soak: z.string().regex(/^\d+(s|m|h)$/, "must be a duration such as `30m` or `2h`"),
    })
    .optional(),
});
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
export type Environment = Readonly<z.output<typeof EnvironmentSchema>>;

const AddonSwitch = z.union([z.literal(true), z.strictObject({ values: z.record(z.string(), z.unknown()).default({}) })]);

export const ClusterSchema = z.strictObject({
  name: dnsLabel,
  /** Environments this cluster hosts; each gets its own directory under the cluster. */
  environments: z.array(dnsLabel).min(1),
  kubernetesVersion,
  /**
   * What the cluster's capacity is for. `dynamic`: short-lived pods at high churn (batch, Spark):
   * Karpenter consolidates empty and underused nodes quickly. `static`: long-running work
   * (streaming, training): Karpenter disrupts no node during working hours (disruption budgets
   * with a schedule) and batch Jobs get `karpenter.sh/do-not-disrupt`.
   * @default "dynamic"
   */
  profile: z.enum(["dynamic", "static"]).default("dynamic"),
  aws: z.strictObject({
    accountId: awsAccountId,
    region: awsRegion,
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id such as `vpc-0abc12345def67890`"),
    vpcCidr: cidr,
    /** The cluster's IAM OIDC provider host (for IRSA trust policies), without `https://`. */
    oidcProvider: z.string().regex(/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\/[0-9A-F]+$/, "must be `oidc.eks.<region>.amazonaws.com/id/<ID>`"),
    /**
     * Where each AWS service is reached from pods: the CIDRs of its VPC endpoint (the subnets of an
     * interface endpoint's network interfaces; for a gateway endpoint, the CIDRs of the service's
     * managed prefix list, named in `prefixList`). Apps' `access.outbound: [{ aws: ... }]` open
     * HTTPS to exactly these. A service not listed falls back: interface-endpoint services to the
     * VPC CIDR (`vpc-cidr-fallback`), S3 and DynamoDB to every public address (`public-fallback`).
     */
    endpoints: z
      .partialRecord(
        AwsServiceName,
        z.strictObject({
          cidrs: z.array(cidr).min(1),
          /** The managed prefix list the CIDRs were taken from (gateway endpoints), for reviewers. */
          prefixList: prefixListId.optional(),
        }),
      )
      .default({}),
  }),
  /** Hosts ingress may use on this cluster end in one of these suffixes. */
  ingressDomains: z.array(hostname).default([]),
  /** What the load balancers of this cluster terminate with, and which hosts it shares with other clusters. */
  edge: z
    .strictObject({
      /**
       * ACM certificates of this cluster's region and account, by domain: an ingress whose host is
       * the domain or under it uses the certificate unless it names its own (longest domain wins).
       */
      certificates: z.record(hostname, acmCertificateArn).default({}),
      /** WAFv2 web ACL for public ingresses that name none. */
      wafAclArn: wafv2WebAclArn.optional(),
      /**
       * Hosts this cluster serves together with other clusters (multi-region). A host two clusters
       * claim must be listed in both; each then publishes its record with its own set identifier
       * and latency routing (external-dns), so the clusters' external-dns do not fight over it.
       */
      sharedHosts: z.array(hostname).default([]),
    })
    .prefault({}),
  /** Add-ons switched on for this cluster, with cluster-level values. */
  addons: z.record(z.string(), AddonSwitch).default({}),
  /** Cluster facts add-ons need: role ARNs, queue names, buckets, hosted zones. */
  facts: z
    .strictObject({
      roles: z.record(z.string(), iamRoleArn).default({}),
      values: z.record(z.string(), z.string()).default({}),
    })
    .prefault({}),
  argocd: z
    .discriminatedUnion("topology", [
      z.strictObject({ topology: z.literal("in-cluster") }),
      z.strictObject({
        topology: z.literal("hub"),
        /** The cluster running the hub Argo CD. */
        hub: dnsLabel,
        /** This cluster's name as registered in the hub Argo CD. */
        registeredName: z.string().min(1),
      }),
    ])
    .default({ topology: "in-cluster" }),
  appDefaults: AppOverridesSchema.default({}),
});
export type ClusterInput = z.input<typeof ClusterSchema>;
export type Cluster = Readonly<z.output<typeof ClusterSchema>>;

const QuotaSchema = z.strictObject({
  requestsCpu: cpuQuantity.default("8"),
  requestsMemory: memoryQuantity.default("16Gi"),
  limitsCpu: cpuQuantity.default("16"),
  limitsMemory: memoryQuantity.default("32Gi"),
  pods: z.number().int().min(1).default(100),
  persistentVolumeClaims: z.number().int().min(0).default(10),
});

export const TenantSchema = z.strictObject({
  name: dnsLabel,
  description: z.string().optional(),
  /** Identity-provider groups (EKS access entries / IAM role mappings), never individual users. */
  groups: z.strictObject({
    viewers: z.array(z.string().min(1)).default([]),
    developers: z.array(z.string().min(1)).default([]),
    operators: z.array(z.string().min(1)).default([]),
  }),
  /** The team that owns the tenant, for CODEOWNERS and labels, e.g. `@acme/payments`. */
  team: z.string().regex(/^@[\w.-]+\/[\w.-]+$/, "must be a GitHub team such as `@acme/payments`"),
  podSecurity: z
    .discriminatedUnion("level", [
      z.strictObject({ level: z.literal("restricted") }),
      z.strictObject({ level: z.literal("baseline"), reason: z.string().min(10) }),
    ])
    .default({ level: "restricted" }),
  quota: QuotaSchema.prefault({}),
  /** Image registries (prefixes) the tenant's apps may pull from. */
  registries: z.array(z.string().min(3)).min(1),
  /** Ingress hosts the tenant may claim end in one of these. */
  ingressHostSuffixes: z.array(hostname).default([]),
  /** What the tenant's apps may use in AWS. */
  aws: z
    .strictObject({
      /**
       * AWS Secrets Manager name prefixes the tenant's apps may read (`secrets[].from`). The
       * tenant's SecretStore role is granted exactly these.
       * @default [`<tenant>/`]
       */
      secretPrefixes: z.array(z.string().regex(/^[\w/+=.@-]+\/$/, "must be a secret name prefix ending in `/`, such as `payments/`")).min(1).optional(),
      /**
       * IAM role names (with their path, as after `:role/` in the ARN) the tenant's apps may name;
       * `*` matches any characters except `/`. The role's account must be the cluster's.
       * @default [`<tenant>-*`]
       */
      rolePatterns: z.array(z.string().regex(/^[\w+=,.@/*-]+$/, "must be an IAM role name pattern such as `payments-*` or `tenants/payments/*`")).min(1).optional(),
    })
    .prefault({}),
  /**
   * Where the tenant's alerts go: an AlertmanagerConfig in each of its namespaces, credentials
   * from its Secrets Manager prefixes. @default none (alerts reach the platform's default receiver)
   */
  alerting: AlertingSchema.optional(),
  environments: z
    .record(z.string(), z.strictObject({ quota: QuotaSchema.partial().optional(), /** Replaces `alerting` in this environment. */ alerting: AlertingSchema.optional() }))
    .default({}),
}).superRefine((tenant, ctx) => {
  const prefixes = tenant.aws.secretPrefixes ?? [`${tenant.name}/`];
  const check = (alerting: z.output<typeof AlertingSchema> | undefined, at: (string | number)[]) => {
    for (const s of alerting ? receiverSecrets(alerting) : []) {
      if (!prefixes.some((p) => s.from.startsWith(p))) {
        ctx.addIssue({ code: "custom", path: [...at, ...s.path], message: `secret \`${s.from}\` of receiver \`${s.receiver}\` is outside the tenant's Secrets Manager prefixes (${prefixes.join(", ")}); store it under one of them` });
      }
    }
  };
  check(tenant.alerting, []);
  for (const [env, block] of Object.entries(tenant.environments)) check(block.alerting, ["environments", env]);
});
export type TenantInput = z.input<typeof TenantSchema>;
export type Tenant = Readonly<z.output<typeof TenantSchema>>;

/** The fleet's choice of one add-on: pinned version and layered values. */
export const AddonChoiceSchema = z.strictObject({
  addon: dnsLabel,
  /** Pinned upstream version, exact (no ranges, no `latest`). */
  version: z.string().regex(/^v?\d+\.\d+\.\d+(-[\w.]+)?$/, "must be an exact version such as `v1.9.2` (no ranges or `latest`)"),
  values: z.record(z.string(), z.unknown()).default({}),
  environments: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  clusters: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});
export type AddonChoiceInput = z.input<typeof AddonChoiceSchema>;
export type AddonChoice = Readonly<z.output<typeof AddonChoiceSchema>>;

export const ReleaseSchema = z.strictObject({
  image: imageRepository,
  tag: imageTag,
  digest: imageDigest,
  commit: gitCommit,
  /** The environment this release was promoted from; absent where it entered the chain. */
  promotedFrom: dnsLabel.optional(),
  /**
   * The fleet commit whose app definition (`apps/<tenant>/<app>/app.ts` and the local modules it
   * imports, less its `environments` block) this environment renders. Absent in the first
   * environment, which follows the working tree, and in entries written before definitions
   * were promoted (they follow the working tree too).
   */
  definition: gitCommit.optional(),
});
export type Release = Readonly<z.output<typeof ReleaseSchema>>;

/**
 * What one cluster runs of an add-on, in an environment after the first: the add-on's definition
 * (`addons/<addon>.ts`: its `version` and `values`) as of a fleet commit. The `environments` and
 * `clusters` blocks of that file, and the cluster's own `addons.<addon>` values, come from the
 * working tree, like an app's own `environments` block.
 */
export const AddonPinSchema = z.strictObject({
  /** The add-on's `version` at that commit, written out for reviewers; it must match the commit. */
  version: z.string().min(1),
  /** The fleet commit whose `addons/<addon>.ts` this cluster renders. */
  definition: gitCommit,
  /** The environment the pin was promoted from. */
  promotedFrom: dnsLabel.optional(),
});
export type AddonPin = Readonly<z.output<typeof AddonPinSchema>>;

export const ReleasesFileSchema = z.strictObject({
  apps: z.record(dnsLabel, ReleaseSchema).default({}),
  /** Add-on pins, by add-on, then by cluster of this environment. */
  addons: z.record(dnsLabel, z.record(dnsLabel, AddonPinSchema)).default({}),
});
export type ReleasesFile = Readonly<z.output<typeof ReleasesFileSchema>>;
