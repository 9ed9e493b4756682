/**
 * Karpenter: the node autoscaler. Controller, an EC2NodeClass (AL2023, subnets and security groups
 * discovered by the `karpenter.sh/discovery` tag, IMDSv2 required) and NodePools: general
 * on-demand, interruption-tolerant spot, and optional system and GPU pools.
 */
import { ApiObject } from "cdk8s";
import { cpuQuantity, memoryQuantity } from "@slipway/core";
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
});
type Values = z.output<typeof KarpenterValues>;
type Pool = z.output<typeof PoolValues>;

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
    new ApiObject(scope, "ec2-node-class", {
      apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass",
      metadata: config(NODE_CLASS),
      spec: {
        role: ctx.cluster.facts.values.karpenterNodeRole,
        amiSelectorTerms: [{ alias: v.amiAlias }],
        subnetSelectorTerms: [{ tags: discovery }],
        securityGroupSelectorTerms: [{ tags: discovery }],
        // IMDSv2 only, one hop: pods cannot borrow the node's credentials.
        metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: v.rootVolumeSize, volumeType: "gp3", encrypted: true, deleteOnTermination: true } }],
        tags: { "slipway.dev/cluster": ctx.cluster.name, "karpenter.sh/discovery": ctx.cluster.name },
      },
    });

    const pool = (id: string, name: string, p: Pool, capacityType: string[], extra: { taints?: k8s.Taint[]; labels?: Record<string, string> } = {}) =>
      new ApiObject(scope, `node-pool-${id}`, {
        apiVersion: "karpenter.sh/v1", kind: "NodePool",
        metadata: config(name),
        spec: {
          template: {
            metadata: { labels: { "slipway.dev/node-pool": name, ...extra.labels } },
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: NODE_CLASS },
              requirements: [
                { key: "karpenter.sh/capacity-type", operator: "In", values: capacityType },
                { key: "kubernetes.io/arch", operator: "In", values: p.architectures },
                { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                { key: "karpenter.k8s.aws/instance-category", operator: "In", values: p.instanceCategories },
                { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["4"] },
              ],
              ...(extra.taints ? { taints: extra.taints } : {}),
              expireAfter: p.expireAfter,
              terminationGracePeriod: "48h",
            },
          },
          disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: v.consolidateAfter, budgets: [{ nodes: p.disruptionBudget }] },
          limits: { cpu: p.cpu, memory: p.memory },
        },
      });
    pool("on-demand", "general-on-demand", v.onDemand, ["on-demand"]);
    // Spot capacity is opt-in: only workloads that tolerate interruption (and say so) land there.
    if (v.spot.enabled) {
      pool("spot", "general-spot", v.spot, ["spot"], { taints: [{ key: "slipway.dev/interruptible", value: "true", effect: "NoSchedule" }], labels: { "slipway.dev/interruptible": "true" } });
    }
    // Platform add-ons tolerate this taint and prefer these nodes (src/kit/workload.ts).
    if (v.system.enabled) pool("system", "system", v.system, ["on-demand"], { taints: [{ key: CRITICAL_ADDONS_TAINT, value: "true", effect: "NoSchedule" }], labels: { [SYSTEM_NODE_LABEL]: "true" } });
    if (v.gpu.enabled) pool("gpu", "gpu", v.gpu, ["on-demand"], { taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }] });
  },
});
