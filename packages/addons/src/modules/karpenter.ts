/**
 * Karpenter: the node autoscaler. Controller, an EC2NodeClass (AL2023, subnets and security groups
 * discovered by the `karpenter.sh/discovery` tag, IMDSv2 required) and NodePools: general
 * on-demand, interruption-tolerant spot, and optional system and GPU pools.
 */
import { ApiObject } from "cdk8s";
import { BATCH_POOL, BATCH_TAINT, cpuQuantity, INTERRUPTIBLE_TAINT, memoryQuantity, NODE_POOL_LABEL } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import * as z from "zod";
import { addServiceAccount, roleArn } from "../kit/identity";
import { meta, selectorLabels, SKIP_DRY_RUN } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { addClusterRole, addRole, READ, rule } from "../kit/rbac";
import { controllerValues, identityValue } from "../kit/values";
import { addService, addWorkload, CRITICAL_ADDONS_TAINT, fieldEnv, SYSTEM_NODE_LABEL, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "karpenter";
const NAMESPACE = "karpenter";
const NODE_CLASS = "default";

const poolValues = (cpu: string, memory: string) => z.strictObject({
  /** Upper bound of the pool's total capacity. */
  cpu: cpuQuantity.default(cpu),
  memory: memoryQuantity.default(memory),
  /** Share of the pool's nodes Karpenter may disrupt at once. */
  disruptionBudget: z.string().regex(/^\d+%?$/).default("10%"),
  /** Nodes are replaced after this long, so they pick up new AMIs. */
  expireAfter: z.string().regex(/^\d+h$/).default("720h"),
  instanceCategories: z.array(z.enum(["c", "m", "r", "t", "g", "p", "i"])).default(["c", "m", "r"]),
  architectures: z.array(z.enum(["amd64", "arm64"])).default(["amd64", "arm64"]),
});
const PoolValues = poolValues("200", "800Gi");

export const KarpenterValues = z.strictObject({
  ...controllerValues({ replicas: 2, cpu: "250m", memory: "512Mi" }),
  identity: identityValue,
  /** Pinned EKS-optimized AL2023 AMI release, e.g. `al2023@v20250715` (never `@latest` in prod). */
  amiAlias: z.string().regex(/^al2023@(v\d{8}|latest)$/, "must be `al2023@v<YYYYMMDD>` or `al2023@latest`"),
  rootVolumeSize: z.string().regex(/^\d+Gi$/).default("50Gi"),
  onDemand: PoolValues.prefault({}),
  spot: PoolValues.extend({ enabled: z.boolean().default(true) }).prefault({}),
  /** A tainted pool for platform add-ons, isolated from tenant workloads. */
  system: poolValues("32", "128Gi").extend({ enabled: z.boolean().default(false) }).prefault({}),
  /** A tainted GPU pool (`nvidia.com/gpu`), off unless a tenant needs it. */
  gpu: poolValues("64", "512Gi").extend({
    enabled: z.boolean().default(false),
    instanceCategories: z.array(z.enum(["g", "p"])).default(["g"]),
    architectures: z.array(z.enum(["amd64"])).default(["amd64"]),
  }).prefault({}),
  consolidateAfter: z.string().regex(/^\d+(s|m|h)$/).default("5m"),
  /**
   * A tainted pool for batch Jobs and Spark (`slipway.dev/batch`): spot first (on-demand for
   * drivers and when spot runs out), data instance families, nodes removed as soon as they are
   * empty (`WhenEmpty`, short `consolidateAfter`) and never consolidated while pods run.
   */
  batch: poolValues("400", "3200Gi").extend({
    enabled: z.boolean().default(false),
    instanceCategories: z.array(z.enum(["c", "m", "r", "i"])).default(["c", "m", "r"]),
    /** Empty nodes go after this long: churn is the pattern, and idle batch capacity is cost. */
    consolidateAfter: z.string().regex(/^\d+(s|m)$/).default("30s"),
    /** Nodes are replaced after this long; long enough for a day's longest job. */
    expireAfter: z.string().regex(/^\d+h$/).default("168h"),
    /**
     * Only instance types with instance-store NVMe, assembled in RAID0 by the node class
     * (`instanceStorePolicy: RAID0`) and used for the kubelet's and containers' ephemeral
     * storage, so `emptyDir` shuffle volumes live on local NVMe. @default true
     */
    instanceStore: z.boolean().default(true),
    /** Smallest local NVMe per node (GiB, `karpenter.k8s.aws/instance-local-nvme`). */
    minLocalNvmeGi: z.number().int().min(1).default(100),
  }).prefault({}),
  /**
   * Working hours of a \`profile: "static"\` cluster, when no node is disrupted voluntarily (a
   * disruption budget of 0 nodes with this schedule, in UTC as Karpenter reads it).
   */
  workingHours: z.strictObject({
    schedule: z.string().regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron expression such as `0 7 * * 1-5`").default("0 7 * * 1-5"),
    duration: z.string().regex(/^\d+h(\d+m)?$/).default("12h"),
  }).prefault({}),
});
type Values = z.output<typeof KarpenterValues>;
type Pool = z.output<typeof PoolValues>;
const BATCH_NODE_CLASS = "batch-nvme";

export const karpenter = defineAddonModule({
  name: NAME,
  description: "Just-in-time EC2 capacity: NodePools on an AL2023 EC2NodeClass, spot interruption handling.",
  namespace: NAMESPACE,
  defaultVersion: "1.6.3",
  upstream: "https://github.com/aws/karpenter-provider-aws",
  values: KarpenterValues,
  requires: [],
  conflicts: ["cluster-autoscaler"],
  syncWave: AddonWave.core,
  serverSideApply: true,
  crds: {
    source: { from: "upstream", repoURL: "https://github.com/aws/karpenter-provider-aws", path: "pkg/apis/crds" },
    required: [
      { name: "ec2nodeclasses.karpenter.k8s.aws", kind: "EC2NodeClass", versions: ["v1"] },
      { name: "nodeclaims.karpenter.sh", kind: "NodeClaim", versions: ["v1"] },
      { name: "nodepools.karpenter.sh", kind: "NodePool", versions: ["v1"] },
    ],
  },
  comparedWith: ["charts/karpenter/templates@v1.6.3", "charts/karpenter/values.yaml@v1.6.3", "pkg/apis/crds@v1.6.3"],
  identity: (_v: Values) => ({ serviceAccount: NAME, roleFact: "karpenter", purpose: "launch and terminate EC2 instances, pass the node role, read the interruption queue" }),
  facts: () => [
    { fact: "values.karpenterInterruptionQueue", purpose: "SQS queue receiving EC2 spot interruption and rebalance events", example: "karpenter-<cluster>" },
    { fact: "values.karpenterNodeRole", purpose: "IAM role (name) of the nodes Karpenter launches", example: "KarpenterNodeRole-<cluster>" },
  ],
  metrics: () => [{ selector: selectorLabels({ addon: NAME } as never, "controller"), port: "http-metrics" }],
  awsResources: (ctx) => [
    { type: "sqs-queue", addon: NAME, name: ctx.cluster.facts.values.karpenterInterruptionQueue!, purpose: "EC2 interruption events (EventBridge rules for spot interruption, rebalance, state change, health)" },
    { type: "iam-role-for-nodes", addon: NAME, name: ctx.cluster.facts.values.karpenterNodeRole!, purpose: "node instance role with an EKS access entry of type EC2_LINUX" },
  ],
  generate(scope, ctx) {
    const v = ctx.values;
    addNamespace(scope, ctx);
    addServiceAccount(scope, ctx, NAME, { mode: v.identity, roleArn: roleArn(ctx, "karpenter") });
    // The chart's two ClusterRoles (core and AWS) and its Roles, as at the tag: Karpenter patches,
    // updates and deletes nodes but never creates them (the kubelet registers them), and writes
    // only NodeClaims; NodePools and EC2NodeClasses are read and get their status written.
    addClusterRole(scope, ctx, `${NAME}-core`, [
      rule(["karpenter.sh"], ["nodepools", "nodepools/status", "nodeclaims", "nodeclaims/status"], READ),
      rule([""], ["pods", "nodes", "persistentvolumes", "persistentvolumeclaims", "replicationcontrollers", "namespaces"], READ),
      rule(["storage.k8s.io"], ["storageclasses", "csinodes", "volumeattachments"], READ),
      rule(["apps"], ["daemonsets", "deployments", "replicasets", "statefulsets"], ["list", "watch"]),
      rule(["policy"], ["poddisruptionbudgets"], READ),
      rule([""], ["events"], [...READ, "create", "patch"]),
      rule(["karpenter.sh"], ["nodeclaims", "nodeclaims/status"], ["create", "delete", "update", "patch"]),
      rule(["karpenter.sh"], ["nodepools", "nodepools/status"], ["update", "patch"]),
      rule([""], ["nodes"], ["patch", "delete", "update"]),
      rule([""], ["pods/eviction"], ["create"]),
      rule([""], ["pods"], ["delete"]),
    ], NAME);
    addClusterRole(scope, ctx, NAME, [
      rule(["karpenter.k8s.aws"], ["ec2nodeclasses"], READ),
      rule(["karpenter.k8s.aws"], ["ec2nodeclasses", "ec2nodeclasses/status"], ["patch", "update"]),
    ], NAME);
    addRole(scope, ctx, NAME, [
      rule(["coordination.k8s.io"], ["leases"], ["get", "watch"]),
      rule(["coordination.k8s.io"], ["leases"], ["patch", "update"], ["karpenter-leader-election"]),
      rule(["coordination.k8s.io"], ["leases"], ["create"]),
    ], NAME);
    addRole(scope, ctx, `${NAME}-dns`, [rule([""], ["services"], ["get"], ["kube-dns"])], NAME, "kube-system");

    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "controller", serviceAccount: NAME, replicas: v.replicas, priorityClassName: v.priorityClassName,
      // Karpenter must not run on capacity it manages: it would scale its own node away.
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "DoesNotExist" }] }] } },
      tolerations: [{ key: CRITICAL_ADDONS_TAINT, operator: "Exists" }],
      containers: [{
        name: "controller",
        image: `public.ecr.aws/karpenter/controller:${ctx.version.replace(/^v/, "")}`,
        resources: { ...v.resources, memoryLimit: v.resources.memoryLimit ?? v.resources.memory },
        env: [
          { name: "KUBERNETES_MIN_VERSION", value: "1.19.0-0" },
          { name: "KARPENTER_SERVICE", value: NAME },
          { name: "LOG_LEVEL", value: v.logLevel },
          { name: "METRICS_PORT", value: "8080" },
          { name: "HEALTH_PROBE_PORT", value: "8081" },
          fieldEnv("SYSTEM_NAMESPACE", "metadata.namespace"),
          { name: "MEMORY_LIMIT", valueFrom: { resourceFieldRef: { containerName: "controller", divisor: k8s.Quantity.fromString("0"), resource: "limits.memory" } } },
          { name: "CLUSTER_NAME", value: ctx.cluster.name },
          { name: "INTERRUPTION_QUEUE", value: ctx.cluster.facts.values.karpenterInterruptionQueue! },
          { name: "BATCH_MAX_DURATION", value: "10s" },
          { name: "BATCH_IDLE_DURATION", value: "1s" },
          { name: "FEATURE_GATES", value: "ReservedCapacity=true,SpotToSpotConsolidation=false,NodeRepair=false" },
        ],
        ports: [{ name: "http-metrics", containerPort: 8080 }, { name: "http", containerPort: 8081 }],
        liveness: { ...httpProbe("/healthz", "http", "HTTP", 30), timeoutSeconds: 30 },
        readiness: { ...httpProbe("/readyz", "http", "HTTP", 5), timeoutSeconds: 30 },
      }],
    });
    addService(scope, ctx, NAME, "controller", [{ name: "http-metrics", port: 8080, targetPort: "http-metrics" }]);

    const discovery = { "karpenter.sh/discovery": ctx.cluster.name };
    const config = (name: string) => meta(ctx, name, { namespace: null, wave: "configuration", annotations: SKIP_DRY_RUN });
    const nodeClass = (id: string, name: string, extra: Record<string, unknown> = {}) => new ApiObject(scope, id, {
      apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass",
      metadata: config(name),
      spec: {
        role: ctx.cluster.facts.values.karpenterNodeRole,
        amiSelectorTerms: [{ alias: v.amiAlias }],
        subnetSelectorTerms: [{ tags: discovery }],
        securityGroupSelectorTerms: [{ tags: discovery }],
        // IMDSv2 only, one hop: pods cannot borrow the node's credentials.
        metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: v.rootVolumeSize, volumeType: "gp3", encrypted: true, deleteOnTermination: true } }],
        tags: { "slipway.dev/cluster": ctx.cluster.name, "karpenter.sh/discovery": ctx.cluster.name },
        ...extra,
      },
    });
    nodeClass("ec2-node-class", NODE_CLASS);

    const disruption = disruptionFor(ctx.cluster.profile, v);
    const pool = (id: string, name: string, p: Pool, capacityType: string[], extra: PoolExtra = {}) =>
      new ApiObject(scope, `node-pool-${id}`, {
        apiVersion: "karpenter.sh/v1", kind: "NodePool",
        metadata: config(name),
        spec: {
          template: {
            metadata: { labels: { [NODE_POOL_LABEL]: name, ...extra.labels } },
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: extra.nodeClass ?? NODE_CLASS },
              requirements: [
                { key: "karpenter.sh/capacity-type", operator: "In", values: capacityType },
                { key: "kubernetes.io/arch", operator: "In", values: p.architectures },
                { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                { key: "karpenter.k8s.aws/instance-category", operator: "In", values: p.instanceCategories },
                { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["4"] },
                ...(extra.requirements ?? []),
              ],
              ...(extra.taints ? { taints: extra.taints } : {}),
              expireAfter: p.expireAfter,
              terminationGracePeriod: "48h",
            },
          },
          disruption: extra.disruption ?? disruption(p),
          limits: { cpu: p.cpu, memory: p.memory },
        },
      });
    pool("on-demand", "general-on-demand", v.onDemand, ["on-demand"]);
    // Spot capacity is opt-in: only workloads that tolerate interruption (and say so) land there.
    if (v.spot.enabled) {
      pool("spot", "general-spot", v.spot, ["spot"], { taints: [{ key: INTERRUPTIBLE_TAINT, value: "true", effect: "NoSchedule" }], labels: { [INTERRUPTIBLE_TAINT]: "true" } });
    }
    // Platform add-ons tolerate this taint and prefer these nodes (src/kit/workload.ts).
    if (v.system.enabled) pool("system", "system", v.system, ["on-demand"], { taints: [{ key: CRITICAL_ADDONS_TAINT, value: "true", effect: "NoSchedule" }], labels: { [SYSTEM_NODE_LABEL]: "true" } });
    if (v.batch.enabled) addBatchPool(v, nodeClass, pool);
    if (v.gpu.enabled) pool("gpu", "gpu", v.gpu, ["on-demand"], { taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }] });
  },
});

interface PoolExtra {
  readonly taints?: k8s.Taint[];
  readonly labels?: Record<string, string>;
  readonly nodeClass?: string;
  readonly requirements?: { key: string; operator: string; values?: string[] }[];
  readonly disruption?: Record<string, unknown>;
}

/**
 * Disruption of the general pools by cluster profile (Karpenter v1 `spec.disruption`).
 * `dynamic`: consolidate empty and underused nodes after `consolidateAfter`, a share of the
 * nodes at a time. `static`: the same outside working hours; during them a budget of 0 nodes,
 * so long-running streaming and training pods are not moved while people depend on them
 * (drift and expiry wait too; forced disruption, such as spot interruption, is never budgeted).
 */
function disruptionFor(profile: "dynamic" | "static", v: Values) {
  return (p: Pool) => ({
    consolidationPolicy: "WhenEmptyOrUnderutilized",
    consolidateAfter: v.consolidateAfter,
    budgets: profile === "static"
      ? [{ nodes: p.disruptionBudget }, { nodes: "0", schedule: v.workingHours.schedule, duration: v.workingHours.duration }]
      : [{ nodes: p.disruptionBudget }],
  });
}

/**
 * The batch pool: spot and on-demand (Karpenter launches the cheapest that fits, spot first;
 * drivers ask for on-demand), compute, general and memory families, and with `instanceStore`
 * only types with local NVMe, on a node class that assembles it in RAID0. `WhenEmpty`: a node is
 * removed once its last batch pod finished, never while one runs (an executor moved mid-stage
 * loses its shuffle output).
 */
function addBatchPool(
  v: Values,
  nodeClass: (id: string, name: string, extra?: Record<string, unknown>) => unknown,
  pool: (id: string, name: string, p: Pool, capacityType: string[], extra?: PoolExtra) => unknown,
): void {
  const b = v.batch;
  if (b.instanceStore) nodeClass("ec2-node-class-batch", BATCH_NODE_CLASS, { instanceStorePolicy: "RAID0" });
  pool("batch", BATCH_POOL, b, ["spot", "on-demand"], {
    taints: [{ key: BATCH_TAINT, value: "true", effect: "NoSchedule" }],
    labels: { [BATCH_TAINT]: "true" },
    ...(b.instanceStore
      ? { nodeClass: BATCH_NODE_CLASS, requirements: [{ key: "karpenter.k8s.aws/instance-local-nvme", operator: "Gt", values: [String(b.minLocalNvmeGi - 1)] }] }
      : {}),
    disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: b.consolidateAfter, budgets: [{ nodes: b.disruptionBudget }] },
  });
}
